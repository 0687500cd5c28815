package dev.dvemu.server.db;

import dev.dvemu.server.store.SqlFailures;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The pool and its three ways to run work: in autocommit, in a transaction of its own, or joined to an open one.
 * Which one an operation takes is the unit of work's decision ({@code dev.dvemu.server.execution.UnitOfWork}), never
 * this class's. Every SQL failure leaves through {@link SqlFailures}, told whether the request's writes are known to
 * be rolled back or may have committed, so a client is told truthfully whether it may resend.
 */
public final class Database {
    /** Work on one connection; may throw SQL errors, which are translated in one place ({@link SqlFailures}). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

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
     * Runs {@code work} in one transaction (a changeset, or an operation whose plug-ins run in its transaction):
     * committed when it returns, after any fault rule's hold before the commit; rolled back when it throws anything
     * at all, an {@link Error} included.
     */
    public <T> T transaction(Work<T> work) {
        return inTransaction(c -> {
            T result = work.run(c);
            if (gate.holdsCommit()) {
                gate.beforeCommit();
            }
            return result;
        });
    }

    /**
     * Runs one write outside any transaction, in autocommit: every write of the store is a single mutating statement
     * (a compare-and-set UPDATE, an INSERT ... ON CONFLICT, a DELETE), which PostgreSQL makes atomic by itself, so
     * an explicit BEGIN/COMMIT would only add a round trip. The other statements a write may issue (an autonumber's
     * nextval, the read that explains a failed compare-and-set, resolving a lookup bound by key) need no atomicity
     * with it.
     */
    public <T> T write(Work<T> work) {
        if (gate.holdsCommit()) {
            // a fault rule stops this write before its commit: that needs a transaction of its own
            return transaction(work);
        }
        // a lost connection during an autocommit write leaves unknown whether the statement committed
        return autocommit(work, SqlFailures.Outcome.UNKNOWN);
    }

    /** Runs read-only {@code work} in autocommit mode. */
    public <T> T read(Work<T> work) {
        return autocommit(work, SqlFailures.Outcome.ROLLED_BACK);
    }

    /** Runs {@code work} on the connection of an open transaction; a SQL failure fails (and rolls back) all of it. */
    public static <T> T joined(Connection c, Work<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, SqlFailures.Outcome.ROLLED_BACK);
        }
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
