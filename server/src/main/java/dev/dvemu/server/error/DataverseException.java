package dev.dvemu.server.error;

import java.util.Map;

/**
 * A failure that leaves the server as a Dataverse error body: {@code {"error":{"code":...,"message":...}}} with the
 * status of its {@link DataverseError}. Carries no stack trace: it is an answer, not a bug.
 */
public final class DataverseException extends RuntimeException {
    private final DataverseError error;
    private final Map<String, String> annotations;

    public DataverseException(DataverseError error, String message) {
        this(error, message, Map.of());
    }

    /**
     * With instance annotations for the error body ({@code @Microsoft.PowerApps.CDS.TraceText}, ...), already
     * chosen by what the request's {@code Prefer: odata.include-annotations} asked for.
     */
    public DataverseException(DataverseError error, String message, Map<String, String> annotations) {
        super(message, null, false, false);
        this.error = error;
        this.annotations = annotations.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
    }

    /** The annotations the error body carries beside its code and message, in the order Dataverse writes them. */
    public Map<String, String> annotations() {
        return annotations;
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
