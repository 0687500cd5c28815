package dev.dvemu.plugin;

/**
 * A failed {@link OrganizationService} call, with the Dataverse error code and message a Web API client would get
 * (e.g. {@code 0x80060882} for a version mismatch). Uncaught, it fails the plug-in's operation with that error.
 */
public class DataverseFault extends RuntimeException {
    private final String code;
    private final int status;

    public DataverseFault(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** The error code, as in a Web API error body ({@code 0x80060882}). */
    public String code() {
        return code;
    }

    /** The HTTP status a Web API client would get. */
    public int status() {
        return status;
    }
}
