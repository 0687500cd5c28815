package dev.dvemu.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dvemu.server.config.ServerConfig;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * Opens the database the configuration names: an external PostgreSQL by JDBC URL, or a real PostgreSQL started
 * in-process ({@link EmbeddedDatabase}). The pool is handed out behind a {@link FailFastDataSource}, so while the
 * database is known to be down a request fails at once with the reason. Closing it stops the embedded server.
 */
public final class DataSources implements AutoCloseable {
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final DatabaseStatus status;
    private final DatabaseHealth health;
    private final Optional<EmbeddedDatabase> embedded;

    private DataSources(HikariDataSource pool, DatabaseStatus status, Optional<EmbeddedDatabase> embedded) {
        this.pool = pool;
        this.status = status;
        this.dataSource = new FailFastDataSource(pool, status);
        this.health = new DatabaseHealth(status, pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        this.embedded = embedded;
    }

    public static DataSources open(ServerConfig config) {
        DatabaseStatus status = new DatabaseStatus();
        if (config.dbUrl().isPresent()) {
            return new DataSources(pool(config.dbUrl().get(), config.dbUser().orElse(null),
                    config.dbPassword().orElse(null), config.poolSize()), status, Optional.empty());
        }
        EmbeddedDatabase db = EmbeddedDatabase.start(config);
        try {
            HikariDataSource pool = pool(db.jdbcUrl(), "postgres", null, config.poolSize());
            db.supervise(status, () -> evict(pool));
            return new DataSources(pool, status, Optional.of(db));
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
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

    /** Connections to a postmaster that died are useless: idle ones go now, busy ones when they are returned. */
    private static void evict(HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    /** The pool, failing fast while the database is known to be down. */
    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseStatus status() {
        return status;
    }

    public DatabaseHealth health() {
        return health;
    }

    /** The JDBC URL of the database (for a second server on the same database, or for tools). */
    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
    }
}
