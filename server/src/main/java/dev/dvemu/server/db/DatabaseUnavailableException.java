package dev.dvemu.server.db;

import java.sql.SQLTransientConnectionException;

/** Thrown instead of waiting for a connection while the database is known to be down; carries why. */
public final class DatabaseUnavailableException extends SQLTransientConnectionException {
    private final String reason;

    public DatabaseUnavailableException(String reason) {
        super("The database is unavailable: " + reason, "08001");
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
