package dev.dvemu.client;

/**
 * A row with the same id or the same alternate-key values already exists ({@code 0x80040237} or
 * {@code 0x80060892}, HTTP 412). In the booking pattern this is "someone took this slot first".
 */
public final class DuplicateRecordException extends DataverseException {
    private final int attempts;

    public DuplicateRecordException(int status, String code, String message) {
        this(status, code, message, null, 1);
    }

    DuplicateRecordException(int status, String code, String message, Integer operationIndex, int attempts) {
        super(status, code, message, operationIndex, null);
        this.attempts = attempts;
    }

    /** How many attempts were made before this failure was given up on. */
    public int attempts() {
        return attempts;
    }

    DuplicateRecordException withAttempts(int n) {
        return new DuplicateRecordException(status(), code(), getMessage(),
                operationIndex().isPresent() ? operationIndex().getAsInt() : null, n);
    }
}
