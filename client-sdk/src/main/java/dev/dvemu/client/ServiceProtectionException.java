package dev.dvemu.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The service is throttling this client (HTTP 429, service protection limits): wait {@link #retryAfter()} and
 * send again. The request was not processed, so retrying it is always safe.
 */
public final class ServiceProtectionException extends DataverseException {
    private final Duration retryAfter;

    public ServiceProtectionException(int status, String code, String message, Duration retryAfter) {
        this(status, code, message, retryAfter, null);
    }

    ServiceProtectionException(int status, String code, String message, Duration retryAfter, Integer operationIndex) {
        super(status, code, message, operationIndex, null);
        this.retryAfter = retryAfter;
    }

    /** The wait the service asked for in {@code Retry-After}, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
