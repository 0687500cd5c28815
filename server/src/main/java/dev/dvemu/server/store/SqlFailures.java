package dev.dvemu.server.store;

import dev.dvemu.server.db.DatabaseUnavailableException;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns PostgreSQL errors into Dataverse errors, in one place. The unique indexes and foreign keys are the arbiters
 * of duplicates and missing lookup targets, and their violations become the same 412/404 answers Dataverse gives;
 * constraints and triggers of a user's own migrations become 4xx answers naming the constraint; failures of the
 * database itself say truthfully whether the request's writes were rolled back (retry at will) or may have
 * committed. Error bodies never carry PostgreSQL's own text: it names our internals and may echo raw input.
 */
public final class SqlFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SqlFailures.class);

    /** What is known of the request's writes when the failure happened. */
    public enum Outcome {
        /** no connection could be had: nothing ran */
        NOT_STARTED,
        /** a read, or inside a transaction that is rolled back because of this failure: nothing was written */
        ROLLED_BACK,
        /** an autocommit write or a COMMIT in flight: a lost connection leaves unknown whether it committed */
        UNKNOWN
    }

    private SqlFailures() {
    }

    /**
     * Throws the Dataverse error for a violation of one of {@code table}'s own constraints (its alternate keys,
     * its lookups' foreign keys), whose meaning needs the table and the values written; returns otherwise, leaving
     * every other failure to {@link #translate(SQLException, Outcome)} where the transaction's fate is known.
     */
    static void throwIfTableConstraint(SQLException e, TableDef table, Map<ColumnDef, Object> values, boolean createOnly) {
        String constraint = constraint(e);
        if (constraint == null) {
            return;
        }
        if (SqlState.UNIQUE_VIOLATION.equals(e.getSQLState())) {
            for (AlternateKey key : table.alternateKeys()) {
                if (constraint.equals(key.indexName(table))) {
                    if (createOnly) {
                        throw DataverseError.DUPLICATE_RECORD.exception();
                    }
                    String attrs = key.columns().stream().map(ColumnDef::name).collect(Collectors.joining(", "));
                    throw DataverseError.DUPLICATE_RECORD_ENTITY_KEY.exception(attrs, key.name());
                }
            }
        }
        if (SqlState.FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
            for (ColumnDef lookup : table.lookups()) {
                if (constraint.equals(foreignKeyName(table, lookup))) {
                    throw DataverseError.OBJECT_DOES_NOT_EXIST.exception(lookup.lookupTarget(), values.get(lookup));
                }
            }
        }
    }

    /** Translates any failure; {@code outcome} says what a lost connection means for the request's writes. */
    public static DataverseException translate(SQLException e, Outcome outcome) {
        if (e instanceof DatabaseUnavailableException down) {
            return DataverseError.DATABASE_UNAVAILABLE.exception(down.reason());
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Optional<DataverseException> known = SqlState.answer(state, constraint(e), column(e), serverMessage(e));
        if (known.isPresent()) {
            return known.get();
        }
        if (SqlState.isConnectionLoss(state) || e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException) {
            LOG.info("database connection failed ({}, {}): {}", state, outcome, firstLine(e.getMessage()));
            return switch (outcome) {
                case NOT_STARTED -> DataverseError.DATABASE_UNAVAILABLE.exception("no connection to it could be made");
                case ROLLED_BACK -> DataverseError.CONNECTION_LOST_ROLLED_BACK.exception();
                case UNKNOWN -> DataverseError.CONNECTION_LOST_OUTCOME_UNKNOWN.exception();
            };
        }
        if (SqlState.isTransient(state)) {
            LOG.info("transaction aborted by the database ({}): {}", state, firstLine(e.getMessage()));
        } else {
            // a user's trigger or function that is broken, or a bug of ours: the operator needs PostgreSQL's words
            LOG.error("unexpected database failure {}: {}", state, firstLine(e.getMessage()));
        }
        return SqlState.fallback(state);
    }

    /** The name the generated DDL gives the foreign key behind a lookup. */
    public static String foreignKeyName(TableDef table, ColumnDef lookup) {
        return table.logicalName() + "_" + lookup.name() + "_fkey";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.startsWith("ERROR: ") ? message.substring(7) : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static ServerErrorMessage server(SQLException e) {
        return e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    }

    private static String constraint(SQLException e) {
        ServerErrorMessage m = server(e);
        return m == null ? null : m.getConstraint();
    }

    private static String column(SQLException e) {
        ServerErrorMessage m = server(e);
        return m == null ? null : m.getColumn();
    }

    /** The message a user's own trigger raised (RAISE EXCEPTION '...'), which is the user's text, not ours. */
    private static String serverMessage(SQLException e) {
        ServerErrorMessage m = server(e);
        return m == null ? null : m.getMessage();
    }
}
