package dev.dvemu.server.db;

import dev.dvemu.server.store.SqlFailures;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * The pool and the unit of work: a changeset runs in one PostgreSQL transaction; standalone reads and writes run in
 * autocommit. Every SQL failure leaves through {@link SqlFailures}, told whether the request's writes are known to
 * be rolled back or may have committed, so a client is told truthfully whether it may resend.
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
    private final CommitGate gate;

    public Database(DataSource dataSource) {
        this(dataSource, CommitGate.NONE);
    }

    /** {@code gate} may stop an operation between its writes and its commit (fault rules' beforeCommit holds). */
    public Database(DataSource dataSource, CommitGate gate) {
        this.dataSource = dataSource;
        this.gate = gate;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} as one changeset: one transaction that every {@link #write} and {@link #read} inside joins.
     * Committed when {@code work} returns; rolled back when it throws anything at all, an {@link Error} included.
     */
    public <T> T inChangeset(Supplier<T> work) {
        if (CHANGESET.get() != null) {
            throw new IllegalStateException("changesets do not nest");
        }
        return inTransaction(c -> {
            CHANGESET.set(c);
            try {
                T result = work.get();
                if (gate.holdsCommit()) {
                    gate.beforeCommit();
                }
                return result;
            } finally {
                CHANGESET.remove();
            }
        });
    }

    /**
     * Runs one write. Inside a changeset it joins the changeset's transaction. Standalone, it runs in autocommit:
     * every write of the store is a single mutating statement (a compare-and-set UPDATE, an INSERT ... ON CONFLICT,
     * a DELETE), which PostgreSQL makes atomic by itself, so an explicit BEGIN/COMMIT would only add a round trip.
     * The other statements a write may issue (an autonumber's nextval, the read that explains a failed
     * compare-and-set, resolving a lookup bound by key) need no atomicity with it.
     */
    public <T> T write(Work<T> work) {
        Connection joined = CHANGESET.get();
        if (joined != null) {
            return joined(joined, work);
        }
        if (gate.holdsCommit()) {
            // a fault rule stops this write before its commit: that needs a transaction of its own
            return inTransaction(c -> {
                T result = work.run(c);
                gate.beforeCommit();
                return result;
            });
        }
        // a lost connection during an autocommit write leaves unknown whether the statement committed
        return autocommit(work, SqlFailures.Outcome.UNKNOWN);
    }

    /** Runs read-only {@code work} in autocommit mode (or, inside a changeset, in its transaction). */
    public <T> T read(Work<T> work) {
        Connection joined = CHANGESET.get();
        return joined != null ? joined(joined, work) : autocommit(work, SqlFailures.Outcome.ROLLED_BACK);
    }

    /**
     * One transaction: committed when {@code work} returns, rolled back when it throws — whatever it throws. The
     * connection goes back to the pool without touching its autocommit flag: with pgJDBC,
     * {@code setAutoCommit(true)} on an open transaction commits it, which must never happen to a failed one (the
     * pool restores autocommit itself, after its own rollback of anything left open).
     */
    private <T> T inTransaction(Work<T> work) {
        Connection c = connection();
        try {
            T result;
            try {
                c.setAutoCommit(false);
                result = work.run(c);
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw SqlFailures.translate(e, SqlFailures.Outcome.ROLLED_BACK);
            } catch (Throwable t) {
                rollbackQuietly(c);
                throw t;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                // a refused COMMIT (serialization failure, deferred constraint) rolled back; a lost connection
                // during COMMIT leaves the outcome unknown: SqlFailures tells the two apart by SQLSTATE
                rollbackQuietly(c);
                throw SqlFailures.translate(e, SqlFailures.Outcome.UNKNOWN);
            }
            return result;
        } finally {
            closeQuietly(c);
        }
    }

    private static <T> T joined(Connection c, Work<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            // the changeset fails with this operation and its transaction is rolled back
            throw SqlFailures.translate(e, SqlFailures.Outcome.ROLLED_BACK);
        }
    }

    private <T> T autocommit(Work<T> work, SqlFailures.Outcome onConnectionLoss) {
        Connection c = connection();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, onConnectionLoss);
        } finally {
            closeQuietly(c);
        }
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw SqlFailures.translate(e, SqlFailures.Outcome.NOT_STARTED);
        }
    }

    /** Rolls back, ignoring a failure: a broken connection's transaction is rolled back by PostgreSQL itself. */
    public static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: PostgreSQL rolls the transaction back on its own and the pool discards it
        }
    }

    /** Closes (returns to the pool), ignoring a failure: the pool discards a broken connection. */
    public static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken connection; the pool discards it
        }
    }
}
