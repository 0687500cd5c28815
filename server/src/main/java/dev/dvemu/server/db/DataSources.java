package dev.dvemu.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dvemu.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens the database the configuration names: an external PostgreSQL by JDBC URL, or a real PostgreSQL started
 * in-process (embedded) with its files in the data directory. Closing it stops the embedded server.
 */
public final class DataSources implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataSources.class);

    private final HikariDataSource pool;
    private final EmbeddedPostgres embedded;
    private final Path ephemeralDir;

    private DataSources(HikariDataSource pool, EmbeddedPostgres embedded, Path ephemeralDir) {
        this.pool = pool;
        this.embedded = embedded;
        this.ephemeralDir = ephemeralDir;
    }

    public static DataSources open(ServerConfig config) {
        if (config.dbUrl().isPresent()) {
            return new DataSources(pool(config.dbUrl().get(), config.dbUser().orElse(null),
                    config.dbPassword().orElse(null), config.poolSize()), null, null);
        }
        Path dir = config.dataDir();
        Path ephemeralDir = null;
        try {
            if (config.ephemeral()) {
                ephemeralDir = Files.createTempDirectory("dvemu-pg-");
                dir = ephemeralDir;
            } else {
                Files.createDirectories(dir);
            }
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(config.ephemeral())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "256MB")
                    .start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            LOG.debug("embedded PostgreSQL on port {} with data in {}", pg.getPort(), dir);
            return new DataSources(pool(url, "postgres", null, config.poolSize()), pg, ephemeralDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(Math.min(size, 4));
        hc.setPoolName("dvemu");
        hc.setConnectionTimeout(10_000);
        hc.addDataSourceProperty("ApplicationName", "dvemu");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(hc);
    }

    public HikariDataSource dataSource() {
        return pool;
    }

    /** The JDBC URL of the database (for a second server on the same database, or for tools). */
    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
        if (ephemeralDir != null) {
            deleteRecursively(ephemeralDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
