package dev.dvemu.server.store;

import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;

import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's SQLSTATE classes and the Dataverse answer each gets when no table context explains it better
 * ({@link SqlFailures}). SQLSTATEs and condition names are the SQL standard's, not PostgreSQL's own wording.
 */
final class SqlState {
    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String RESTRICT_VIOLATION = "23001";
    private static final String NOT_NULL_VIOLATION = "23502";
    private static final String CHECK_VIOLATION = "23514";
    private static final String EXCLUSION_VIOLATION = "23P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String QUERY_CANCELED = "57014";
    /** A statement after an error in the same transaction: a plug-in caught a failed call and went on. */
    private static final String IN_FAILED_SQL_TRANSACTION = "25P02";

    /** What a data exception (class 22) says about the value, for the few a request can cause. */
    private static final Map<String, String> DATA_EXCEPTIONS = Map.ofEntries(
            Map.entry("22001", "a text value is longer than its column allows"),
            Map.entry("22003", "a number is out of the range its column allows"),
            Map.entry("22007", "a date or time value is not valid"),
            Map.entry("22008", "a date or time value is out of range"),
            Map.entry("22012", "a calculation divided by zero"),
            Map.entry("22021", "a text value contains a character that cannot be stored (such as the NUL character)"),
            Map.entry("22P05", "a text value contains a character that cannot be stored (such as the NUL character)"),
            Map.entry("22P02", "a value does not have the format its column needs"),
            Map.entry("22004", "a value may not be null"),
            Map.entry("22023", "a value is not valid"));

    private SqlState() {
    }

    /**
     * The answer for failures whose meaning does not depend on the transaction's fate: integrity violations of a
     * user's own constraints, data exceptions, a user's trigger raising its own error, aborted transactions.
     */
    static Optional<DataverseException> answer(String state, String constraint, String column, String raisedMessage) {
        switch (state) {
            case UNIQUE_VIOLATION -> {
                return Optional.of(DataverseError.DUPLICATE_RECORD.exception());
            }
            case EXCLUSION_VIOLATION -> {
                return Optional.of(DataverseError.CONFLICTING_RECORD.exception(name(constraint)));
            }
            case FOREIGN_KEY_VIOLATION -> {
                return Optional.of(DataverseError.LOOKUP_TARGET_MISSING.exception(name(constraint)));
            }
            case RESTRICT_VIOLATION -> {
                return Optional.of(DataverseError.CANNOT_DELETE_DUE_TO_ASSOCIATION.exception());
            }
            case CHECK_VIOLATION -> {
                return Optional.of(DataverseError.CHECK_VIOLATION.exception(name(constraint)));
            }
            case NOT_NULL_VIOLATION -> {
                return Optional.of(DataverseError.COLUMN_VALUE_REQUIRED.exception(name(column)));
            }
            case SERIALIZATION_FAILURE, DEADLOCK_DETECTED -> {
                return Optional.of(DataverseError.GENERIC_SQL_ERROR.exception());
            }
            case LOCK_NOT_AVAILABLE, QUERY_CANCELED -> {
                return Optional.of(DataverseError.SQL_TIMEOUT.exception());
            }
            case IN_FAILED_SQL_TRANSACTION -> {
                return Optional.of(DataverseError.TRANSACTION_ALREADY_ROLLED_BACK.exception());
            }
            default -> {
                // by class below
            }
        }
        if (state.startsWith("22")) {
            return Optional.of(DataverseError.VALUE_NOT_STORABLE.exception(
                    DATA_EXCEPTIONS.getOrDefault(state, "the value is not valid (SQLSTATE " + state + ")")));
        }
        if (state.startsWith("P0") && raisedMessage != null) {
            // RAISE EXCEPTION in a user's trigger: the user's own business rule, answered as a plug-in's error is
            return Optional.of(DataverseError.CUSTOM_LOGIC_FAILED.exception(raisedMessage));
        }
        return Optional.empty();
    }

    /** Connection failures (class 08) and the server shutting a connection down (57P01-57P03). */
    static boolean isConnectionLoss(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    /** Failures that roll a transaction back and pass: conflicts, timeouts, momentary lack of resources. */
    static boolean isTransient(String state) {
        return state.startsWith("40") || state.equals(LOCK_NOT_AVAILABLE) || state.equals(QUERY_CANCELED) || state.startsWith("53");
    }

    /** The answer for everything {@link #answer} does not know: retryable when transient, else unexpected. */
    static DataverseException fallback(String state) {
        return isTransient(state) ? DataverseError.GENERIC_SQL_ERROR.exception() : DataverseError.UNEXPECTED.exception();
    }

    private static String name(String s) {
        return s == null ? "(unnamed)" : s;
    }
}
