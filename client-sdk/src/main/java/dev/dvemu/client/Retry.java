package dev.dvemu.client;

import java.util.function.Supplier;

/**
 * The read-modify-write loop of optimistic concurrency, after Kubernetes client-go's {@code RetryOnConflict}:
 * {@code action} reads the row (and its ETag), computes, and writes with {@code If-Match}; when the write meets a
 * newer version the whole action runs again after a backoff wait. Only version conflicts are retried (and
 * duplicate keys, with {@link #onConflictOrDuplicate}); every other failure leaves at once. When the attempts run out,
 * the last conflict is thrown, carrying the number of attempts.
 *
 * <pre>{@code
 * Retry.onConflict(RetryPolicy.defaults(), () -> {
 *     Row stock = dv.retrieve(ref).orElseThrow();
 *     int left = stock.integer("new_availablecount").orElse(0);
 *     dv.update(ref, RowValues.create().set("new_availablecount", left - 1), stock.etag());
 *     return left - 1;
 * });
 * }</pre>
 */
public final class Retry {
    private Retry() {
    }

    public static <T> T onConflict(RetryPolicy policy, Supplier<T> action) {
        return loop(policy, action, false);
    }

    /** Also retries duplicate-record failures, e.g. "this slot was just taken: read again and take the next". */
    public static <T> T onConflictOrDuplicate(RetryPolicy policy, Supplier<T> action) {
        return loop(policy, action, true);
    }

    private static <T> T loop(RetryPolicy policy, Supplier<T> action, boolean duplicates) {
        RetryPolicy.Backoff backoff = policy.newBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (VersionConflictException e) {
                if (attempt >= policy.maxAttempts()) {
                    throw e.withAttempts(attempt);
                }
            } catch (DuplicateRecordException e) {
                if (!duplicates) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts()) {
                    throw e.withAttempts(attempt);
                }
            }
            backoff.sleep(backoff.next());
        }
    }
}
