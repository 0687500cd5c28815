package dev.dvemu.client;

import java.time.Duration;

/**
 * How a retry loop waits. The default sleeps the thread; tests pass one that records the delays instead.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * RetryPolicy policy = RetryPolicy.fullJitter(base, cap, 5).withSleeper(waits::add);
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper THREAD = d -> {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    };

    void sleep(Duration duration);
}
