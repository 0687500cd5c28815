package dev.dvemu.server.db;

import dev.dvemu.server.store.SqlFailures;


import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The pool and the unit of work: every write runs in one PostgreSQL transaction (a standalone request is a
 * changeset of one); reads run in autocommit.
 */
public final class Database {
    /** Work on one connection; may throw SQL errors, which are translated in one place ({@link SqlFailures}). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * The connection of the changeset this thread is executing, if any: every write of the changeset joins its one
     * transaction (§5: a changeset is all-or-nothing), through the same write path a standalone request takes.
     */
    private static final ThreadLocal<Connection> CHANGESET = new ThreadLocal<>();

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} as one changeset: one transaction that every {@link #inTransaction} inside joins. Committed
     * when {@code work} returns, rolled back when it throws.
     */
    public <T> T inChangeset(java.util.function.Supplier<T> work) {
        if (CHANGESET.get() != null) {
            throw new IllegalStateException("changesets do not nest");
        }
        return inTransaction(c -> {
            CHANGESET.set(c);
            try {
                return work.get();
            } finally {
                CHANGESET.remove();
            }
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs one write. Inside a changeset it joins the changeset's transaction. Standalone, it runs in autocommit:
     * every write of the store is a single mutating statement (a compare-and-set UPDATE, an INSERT ... ON CONFLICT,
     * a DELETE), which PostgreSQL makes atomic by itself, so an explicit BEGIN/COMMIT would only add a round trip.
     * The other statements a write may issue (an autonumber's nextval, the read that explains a failed
     * compare-and-set, resolving a lookup bound by key) need no atomicity with it.
     */
    public <T> T write(Work<T> work) {
        return autocommitOrChangeset(work);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        Connection joined = CHANGESET.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw SqlFailures.translate(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e);
        }
    }

    /** Runs read-only {@code work} in autocommit mode (or, inside a changeset, in its transaction). */
    public <T> T read(Work<T> work) {
        return autocommitOrChangeset(work);
    }

    private <T> T autocommitOrChangeset(Work<T> work) {
        if (CHANGESET.get() != null) {
            return inTransaction(work);
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw SqlFailures.translate(e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it and PostgreSQL rolls back on its own
        }
    }
}
