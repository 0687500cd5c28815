package dev.dvemu.server.error;

/**
 * A failure that leaves the server as a Dataverse error body: {@code {"error":{"code":...,"message":...}}} with the
 * status of its {@link DataverseError}. Carries no stack trace: it is an answer, not a bug.
 */
public final class DataverseException extends RuntimeException {
    private final DataverseError error;

    public DataverseException(DataverseError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public DataverseError error() {
        return error;
    }

    public int status() {
        return error.status();
    }

    public String code() {
        return error.code();
    }
}
