package dev.dvemu.testkit;

/** An admin call the emulator refused or could not answer; the message is the server's. */
public class DvemuException extends RuntimeException {
    private final int status;
    private final String code;

    public DvemuException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public DvemuException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = null;
    }

    /** The HTTP status of the answer (0 if there was none). */
    public int status() {
        return status;
    }

    /** The admin error code ({@code BadRequest}, {@code NotFound}, {@code Conflict}, {@code Timeout}...), or a Dataverse code. */
    public String code() {
        return code;
    }
}
