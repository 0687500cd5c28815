package dev.dvemu.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass by itself. Two kinds, told apart by {@link #outcomeUnknown()}:
 * <ul>
 *   <li>the service answered that it rolled the request back or never ran it ({@code 0x80044150}, or
 *       {@code -2147204784} as Dataverse's .NET SDK reports it, with any HTTP status: a deadlock, a serialization
 *       failure, the database unavailable): nothing was written, so any request may be sent again;</li>
 *   <li>nobody can say whether the request took effect: HTTP 502/503/504 without that code (a gateway, or a commit
 *       whose outcome the service lost), a reset connection, a timeout. Only requests that cannot do harm twice are
 *       sent again automatically (reads, and writes whose every part carries a precondition).</li>
 * </ul>
 * A guarded write sent again after its answer was lost can fail on what its first send did (a version conflict
 * on the ETag it moved itself, a duplicate of the row it created): such a failure, or any later failure of that
 * write, is thrown as this exception with an unknown outcome and the service's answer as its cause.
 */
public final class TransientException extends DataverseException {
    private final Duration retryAfter;
    private final boolean outcomeUnknown;

    /** The outcome is unknown unless {@code code} says the service rolled the request back. */
    public TransientException(int status, String code, String message, Duration retryAfter, Throwable cause) {
        this(status, code, message, retryAfter, null, cause, !ErrorMapper.rolledBack(code));
    }

    TransientException(int status, String code, String message, Duration retryAfter, Integer operationIndex,
                       Throwable cause, boolean outcomeUnknown) {
        super(status, code, message, operationIndex, cause);
        this.retryAfter = retryAfter;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** The wait the service asked for in {@code Retry-After} (503), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * True when the request may or may not have taken effect (no answer, a 502/503/504 without {@code 0x80044150},
     * or a failure after a send whose answer was lost); false when the service said it rolled it back.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
