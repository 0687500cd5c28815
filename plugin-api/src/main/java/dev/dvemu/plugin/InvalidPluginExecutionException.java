package dev.dvemu.plugin;

import java.util.Objects;

/**
 * Refuses the operation with a message for the caller: the whole operation (in a changeset, the whole changeset) is
 * rolled back and the client gets HTTP 400 with code {@code 0x80040265} and this message, as from Dataverse.
 *
 * <pre>{@code
 * throw new InvalidPluginExecutionException("The promotion's limit of 500 would be exceeded.");
 * }</pre>
 */
public class InvalidPluginExecutionException extends RuntimeException {
    private final OperationStatus status;
    private final int subErrorCode;

    public InvalidPluginExecutionException(String message) {
        this(OperationStatus.CANCELED, 0, message);
    }

    public InvalidPluginExecutionException(String message, Throwable cause) {
        super(message, cause);
        this.status = OperationStatus.CANCELED;
        this.subErrorCode = 0;
    }

    /** With the status and sub-error code the error's annotations report, as Dataverse's three-argument constructor. */
    public InvalidPluginExecutionException(OperationStatus status, int subErrorCode, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
        this.subErrorCode = subErrorCode;
    }

    public OperationStatus status() {
        return status;
    }

    public int subErrorCode() {
        return subErrorCode;
    }
}
