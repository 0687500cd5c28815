package dev.dvemu.server.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code /health} reports about the database, in about {@link #TIMEOUT_SECONDS} seconds at most: a database
 * known to be down at once with its reason, otherwise whether a new connection can be opened and answers. A new
 * connection rather than one from the pool, because the pool waits up to its connection timeout (10 s) for one.
 */
public final class DatabaseHealth {
    static final int TIMEOUT_SECONDS = 2;

    private final DatabaseStatus status;
    private final String url;
    private final Properties properties = new Properties();

    DatabaseHealth(DatabaseStatus status, String url, String user, String password) {
        this.status = status;
        this.url = url;
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        String timeout = Integer.toString(TIMEOUT_SECONDS);
        properties.setProperty("connectTimeout", timeout);
        properties.setProperty("loginTimeout", timeout);
        properties.setProperty("socketTimeout", timeout);
        properties.setProperty("ApplicationName", "dvemu health");
    }

    /** Empty when the database serves; otherwise why not. */
    public Optional<String> problem() {
        Optional<String> down = status.downReason();
        if (down.isPresent()) {
            return down;
        }
        try (Connection c = DriverManager.getConnection(url, properties)) {
            return c.isValid(TIMEOUT_SECONDS) ? Optional.empty() : Optional.of("the database does not answer");
        } catch (SQLException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = m.indexOf('\n');
            return Optional.of("the database does not answer: " + (nl < 0 ? m : m.substring(0, nl)));
        }
    }
}
