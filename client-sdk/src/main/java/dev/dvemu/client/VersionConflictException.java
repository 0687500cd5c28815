package dev.dvemu.client;

/**
 * The row changed since its ETag was read ({@code 0x80060882}, HTTP 412): re-read it and apply the change again.
 * {@link Retry#onConflict} does exactly that; when it gives up, this carries the number of attempts made.
 */
public final class VersionConflictException extends DataverseException {
    private final int attempts;

    public VersionConflictException(int status, String code, String message) {
        this(status, code, message, null, 1);
    }

    VersionConflictException(int status, String code, String message, Integer operationIndex, int attempts) {
        super(status, code, message, operationIndex, null);
        this.attempts = attempts;
    }

    /** How many attempts were made before this conflict was given up on (1 when no retry loop was involved). */
    public int attempts() {
        return attempts;
    }

    VersionConflictException withAttempts(int n) {
        return new VersionConflictException(status(), code(), getMessage(),
                operationIndex().isPresent() ? operationIndex().getAsInt() : null, n);
    }
}
