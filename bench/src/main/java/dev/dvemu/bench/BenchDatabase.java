package dev.dvemu.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dvemu.server.db.Durability;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The one PostgreSQL of a benchmark run: dvemu and the JDBC baseline both work on it, in separate databases
 * ({@code dvemu}, {@code baseline}, {@code promo}), so their figures are comparable.
 */
final class BenchDatabase implements AutoCloseable {
    private final EmbeddedPostgres pg;
    private final Path dir;

    private BenchDatabase(EmbeddedPostgres pg, Path dir) {
        this.pg = pg;
        this.dir = dir;
    }

    /**
     * Flushing as dvemu's {@code --ephemeral} database does it (off), named here rather than left to the library's
     * defaults: the figures measure CPU per request, not the disk. The report states the settings as PostgreSQL
     * reports them ({@link #settings()}).
     */
    static final Durability DURABILITY = Durability.FAST;

    static BenchDatabase start() throws IOException, SQLException {
        Path dir = Files.createTempDirectory("dvemu-bench-pg-");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "400")
                .setServerConfig("shared_buffers", "256MB");
        DURABILITY.settings().forEach(builder::setServerConfig);
        EmbeddedPostgres pg = builder.start();
        BenchDatabase db = new BenchDatabase(pg, dir);
        for (String name : new String[]{"dvemu", "baseline", "promo"}) {
            db.execute("postgres", "CREATE DATABASE " + name);
        }
        return db;
    }

    /** The durability settings as PostgreSQL reports them, e.g. {@code fsync=off, synchronous_commit=off, ...}. */
    String settings() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (HikariDataSource ds = pool("postgres", 1); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String name : DURABILITY.settings().keySet()) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    sb.append(sb.length() == 0 ? "" : ", ").append(name).append('=').append(rs.getString(1));
                }
            }
        }
        return sb.toString();
    }

    String jdbcUrl(String database) {
        return pg.getJdbcUrl("postgres", database);
    }

    HikariDataSource pool(String database, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl(database));
        c.setUsername("postgres");
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setPoolName("bench-" + database);
        return new HikariDataSource(c);
    }

    void execute(String database, String... sql) throws SQLException {
        try (HikariDataSource ds = pool(database, 1); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** Row n's id: {@code 00000000-0000-0000-0000-<n in hex>}, as the reference pgbench scripts number rows. */
    static UUID id(long n) {
        return UUID.fromString(String.format("00000000-0000-0000-0000-%012x", n));
    }

    @Override
    public void close() throws IOException {
        pg.close();
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
