package dev.dvemu.client;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The read-modify-write loop of optimistic concurrency, after Kubernetes client-go's {@code RetryOnConflict}:
 * {@code action} reads the row (and its ETag), computes, and writes with {@code If-Match}; when the write meets a
 * newer version the whole action runs again after a backoff wait. Only version conflicts are retried (and
 * duplicate keys, with {@link #onConflictOrDuplicate}); every other failure leaves at once. When the attempts run out,
 * the last conflict is thrown, carrying the number of attempts.
 *
 * <p>A write whose answer was lost is not a conflict, even when the client's resend of it then met a newer version:
 * that version may be the write's own. {@link DataverseClient} throws such a write's failure as a
 * {@link TransientException} with {@link TransientException#outcomeUnknown()}, which leaves this loop at once:
 * running the action again would apply the change a second time. Read the row to learn what happened.
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

    /** Runs {@code action}, and again after a backoff wait each time it fails with a version conflict. */
    public static <T> T onConflict(RetryPolicy policy, Supplier<T> action) {
        return loop(policy, action, e -> e instanceof VersionConflictException);
    }

    /** Also retries duplicate-record failures, e.g. "this slot was just taken: read again and take the next". */
    public static <T> T onConflictOrDuplicate(RetryPolicy policy, Supplier<T> action) {
        return loop(policy, action, Retry::lostRace);
    }

    /** A version conflict or a duplicate key: someone else wrote first. */
    static boolean lostRace(DataverseException e) {
        return e instanceof VersionConflictException || e instanceof DuplicateRecordException;
    }

    /**
     * Runs {@code action} until it returns, again after a backoff wait whenever it fails with a failure
     * {@code retried} accepts (asked once per failure, so it may take note of it). When the attempts run out the
     * last failure is thrown, a conflict or duplicate carrying the number of attempts.
     */
    static <T> T loop(RetryPolicy policy, Supplier<T> action, Predicate<DataverseException> retried) {
        RetryPolicy.Backoff backoff = policy.newBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (DataverseException e) {
                if (!retried.test(e)) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts()) {
                    throw e instanceof VersionConflictException c ? c.withAttempts(attempt)
                            : e instanceof DuplicateRecordException d ? d.withAttempts(attempt) : e;
                }
            }
            backoff.sleep(backoff.next());
        }
    }
}
