package dev.dvemu.client;

import java.util.OptionalInt;

/**
 * A request the service refused or could not complete. The subclass says what kind of failure it is, decided by
 * the Dataverse error code first and the HTTP status second: a version conflict and a duplicate key are both
 * HTTP 412 but are different failures.
 *
 * <pre>{@code
 * try {
 *     dv.update(RowRef.of("new_stocks", id), values, etag);
 * } catch (VersionConflictException e) {
 *     // someone changed the row since we read it: re-read and try again
 * }
 * }</pre>
 */
public class DataverseException extends RuntimeException {
    private final int status;
    private final String code;
    private final Integer operationIndex;

    public DataverseException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    protected DataverseException(int status, String code, String message, Integer operationIndex, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code == null ? "" : code;
        this.operationIndex = operationIndex;
    }

    /** The HTTP status of the answer (0 when no answer arrived, e.g. a connection failure). */
    public int status() {
        return status;
    }

    /** The Dataverse error code, e.g. {@code 0x80060882}; empty when the service sent none. */
    public String code() {
        return code;
    }

    /** In a changeset or batch: the position (from 0) of the operation that failed. */
    public OptionalInt operationIndex() {
        return operationIndex == null ? OptionalInt.empty() : OptionalInt.of(operationIndex);
    }

    /** The same failure, attributed to an operation of a changeset or batch. */
    public DataverseException atOperation(int index) {
        return ErrorMapper.copy(this, index);
    }

    /** True for failures that may succeed when sent again unchanged (throttling, transient). */
    public boolean isRetryable() {
        return false;
    }
}
