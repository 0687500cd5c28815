package dev.dvemu.server.db;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The pool as the server sees it: while the database is known to be down, asking for a connection fails at once
 * with the reason ({@link DatabaseUnavailableException}) instead of waiting out the pool's connection timeout.
 */
final class FailFastDataSource implements DataSource {
    private final DataSource pool;
    private final DatabaseStatus status;

    FailFastDataSource(DataSource pool, DatabaseStatus status) {
        this.pool = pool;
        this.status = status;
    }

    @Override
    public Connection getConnection() throws SQLException {
        failIfDown();
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        failIfDown();
        return pool.getConnection(username, password);
    }

    private void failIfDown() throws DatabaseUnavailableException {
        String reason = status.downReason().orElse(null);
        if (reason != null) {
            throw new DatabaseUnavailableException(reason);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
