package dev.dvemu.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass by itself: HTTP 502/503/504, a database deadlock the service rolled back
 * ({@code 0x80044150}), a reset connection or a timeout. Whether the request took effect is unknown unless the
 * service answered; so only idempotent requests are retried automatically.
 */
public final class TransientException extends DataverseException {
    private final Duration retryAfter;

    public TransientException(int status, String code, String message, Duration retryAfter, Throwable cause) {
        this(status, code, message, retryAfter, null, cause);
    }

    TransientException(int status, String code, String message, Duration retryAfter, Integer operationIndex, Throwable cause) {
        super(status, code, message, operationIndex, cause);
        this.retryAfter = retryAfter;
    }

    /** The wait the service asked for in {@code Retry-After} (503), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** True when no answer arrived at all (connection reset, timeout): the request may or may not have run. */
    public boolean outcomeUnknown() {
        return status() == 0;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
