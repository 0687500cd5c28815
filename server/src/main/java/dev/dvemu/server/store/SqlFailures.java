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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns PostgreSQL errors into Dataverse errors: the unique indexes and foreign keys are the arbiters of
 * duplicates and missing lookup targets, and their violations become the same 412/404 answers Dataverse gives.
 */
public final class SqlFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SqlFailures.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** serialization failure, deadlock, lock timeout, query canceled by timeout, connection and shutdown failures */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03");

    private SqlFailures() {
    }

    /** Translates a failure of a statement on {@code table} whose written values are {@code values}. */
    static DataverseException translate(SQLException e, TableDef table, Map<ColumnDef, Object> values, boolean createOnly) {
        String state = e.getSQLState();
        String constraint = constraint(e);
        if (UNIQUE_VIOLATION.equals(state) && constraint != null) {
            for (AlternateKey key : table.alternateKeys()) {
                if (constraint.equals(key.indexName(table))) {
                    if (createOnly) {
                        return DataverseError.DUPLICATE_RECORD.exception();
                    }
                    String attrs = key.columns().stream().map(ColumnDef::name).collect(Collectors.joining(", "));
                    return DataverseError.DUPLICATE_RECORD_ENTITY_KEY.exception(attrs, key.name());
                }
            }
            return DataverseError.DUPLICATE_RECORD.exception();
        }
        if (FOREIGN_KEY_VIOLATION.equals(state) && constraint != null) {
            for (ColumnDef lookup : table.lookups()) {
                if (constraint.equals(foreignKeyName(table, lookup))) {
                    return DataverseError.OBJECT_DOES_NOT_EXIST.exception(lookup.lookupTarget(), values.get(lookup));
                }
            }
        }
        return translate(e);
    }

    /** Translates a failure that no table constraint explains. */
    public static DataverseException translate(SQLException e) {
        if (e instanceof DatabaseUnavailableException down) {
            return DataverseError.DATABASE_UNAVAILABLE.exception(down.reason());
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("22")) {
            // data exceptions come only from values a client sent (validation catches most before SQL)
            return DataverseError.BAD_REQUEST.exception("A value in the request cannot be stored or compared: "
                    + firstLine(e.getMessage()));
        }
        if (state != null && (TRANSIENT.contains(state) || state.startsWith("08"))) {
            LOG.info("transient database failure {}: {}", state, e.getMessage());
            return DataverseError.TRANSIENT_SQL.exception("SQLSTATE " + state);
        }
        LOG.error("unexpected database failure {}", state, e);
        return DataverseError.UNEXPECTED.exception();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.startsWith("ERROR: ") ? message.substring(7) : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The name the generated DDL gives the foreign key behind a lookup. */
    public static String foreignKeyName(TableDef table, ColumnDef lookup) {
        return table.logicalName() + "_" + lookup.name() + "_fkey";
    }

    private static String constraint(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m == null ? null : m.getConstraint();
        }
        return null;
    }
}
