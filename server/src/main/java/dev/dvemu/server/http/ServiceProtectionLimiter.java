package dev.dvemu.server.http;

import dev.dvemu.server.config.ServiceProtection;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Dataverse's service protection limits (dataverse-features.md §a, dataverse-web-api.md §7), kept per user over a
 * sliding window: requests admitted in the window, combined execution time of the requests that ended in the window,
 * and requests in flight. Concurrency is refused at once; the request count and execution time are evaluated when a
 * request arrives, so requests already running may overshoot them, as in Dataverse.
 *
 * <p>Each user has its own {@link UserWindow}, locked on its own: requests of different users never wait for each
 * other. A user idle for a whole window is dropped by a sweep that runs at most once a window, so memory follows the
 * users active in the last window. Refused requests are not counted: they were not run, and a client that waits the
 * {@code Retry-After} it was given is then let in.
 *
 * <p>This is test-control state in the memory of one server instance, like Dataverse's "per web server" counting.
 */
public final class ServiceProtectionLimiter {
    /** The shortest {@code Retry-After}: a client told 0 would come straight back. */
    static final long MIN_RETRY_AFTER_SECONDS = 1;

    private final ServiceProtection limits;
    private final long windowNanos;
    private final long executionNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, UserWindow> users = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    public ServiceProtectionLimiter(ServiceProtection limits) {
        this(limits, System::nanoTime);
    }

    ServiceProtectionLimiter(ServiceProtection limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.windowNanos = limits.window().toNanos();
        this.executionNanos = limits.executionTime().toNanos();
        this.nanoClock = nanoClock;
        this.nextSweep = new AtomicLong(nanoClock.getAsLong() + windowNanos);
    }

    /** What {@link #admit} decided. */
    public sealed interface Admission permits Admitted, Refused {
    }

    /** Let in: call {@link #end()} exactly once when the request has been answered. */
    public static final class Admitted implements Admission {
        private final UserWindow window;
        private final long startNanos;

        private Admitted(UserWindow window, long startNanos) {
            this.window = window;
            this.startNanos = startNanos;
        }

        public void end() {
            window.end(startNanos);
        }
    }

    /** Refused with HTTP 429: the Dataverse error to answer and the {@code Retry-After} in whole seconds. */
    public record Refused(DataverseException error, long retryAfterSeconds) implements Admission {
    }

    /** Admits or refuses one request of {@code user} (an opaque key: a token's hash, never the token). */
    public Admission admit(String user) {
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        while (true) {
            UserWindow w = users.computeIfAbsent(user, k -> new UserWindow());
            synchronized (w) {
                if (!w.retired) {
                    // the clock is read under the lock, so each user's times are in order
                    return w.admit(nanoClock.getAsLong());
                }
            }
            // swept between the lookup and the lock: look it up again
        }
    }

    /** Users currently remembered (for tests of the memory bound). */
    int users() {
        return users.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + windowNanos)) {
            return;
        }
        users.forEach((key, w) -> {
            synchronized (w) {
                if (w.idleSince(now)) {
                    w.retired = true;
                    users.remove(key, w);
                }
            }
        });
    }

    /** Whole seconds, rounded up so a client that waits them is let in; at least {@link #MIN_RETRY_AFTER_SECONDS}. */
    static long retryAfterSeconds(long nanos) {
        long seconds = (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        return Math.max(MIN_RETRY_AFTER_SECONDS, seconds);
    }

    private Refused tooManyRequests(long waitNanos) {
        return new Refused(DataverseError.SERVICE_PROTECTION_REQUESTS.exception(limits.requests(), limits.window().toSeconds()),
                retryAfterSeconds(waitNanos));
    }

    private Refused tooMuchExecutionTime(long waitNanos) {
        String millis = String.format(Locale.US, "%,d", limits.executionTime().toMillis());
        return new Refused(DataverseError.SERVICE_PROTECTION_EXECUTION_TIME.exception(millis, limits.window().toSeconds()),
                retryAfterSeconds(waitNanos));
    }

    private Refused tooManyConcurrent() {
        // a running request's end cannot be foreseen: come back in a second
        return new Refused(DataverseError.SERVICE_PROTECTION_CONCURRENT.exception(limits.concurrent()), MIN_RETRY_AFTER_SECONDS);
    }

    /**
     * One user's window. Guarded by its own monitor. The start times of admitted requests are a ring of at most
     * {@code limits.requests()} entries (a full ring refuses, so it never needs more); the execution times are a ring
     * of (end, duration) pairs with their sum, holding the requests that ended within the window.
     */
    private final class UserWindow {
        private long[] starts = new long[Math.min(16, limits.requests())];
        private int startHead;
        private int startCount;
        private long[] ends = new long[16];
        private long[] durations = new long[16];
        private int execHead;
        private int execCount;
        private long execSum;
        private int inFlight;
        private long lastActivity;
        private boolean retired;

        Admission admit(long now) {
            expire(now);
            if (inFlight >= limits.concurrent()) {
                return tooManyConcurrent();
            }
            if (startCount >= limits.requests()) {
                // the oldest admitted request leaves the window first; then one more is let in
                return tooManyRequests(starts[startHead] + windowNanos - now);
            }
            if (execSum >= executionNanos) {
                return tooMuchExecutionTime(untilExecutionBelowLimit(now));
            }
            pushStart(now);
            inFlight++;
            lastActivity = now;
            return new Admitted(this, now);
        }

        void end(long startNanos) {
            synchronized (this) {
                long now = nanoClock.getAsLong();
                inFlight--;
                lastActivity = now;
                expire(now);
                pushExecution(now, Math.max(0, now - startNanos));
            }
        }

        boolean idleSince(long now) {
            return inFlight == 0 && now - lastActivity >= windowNanos;
        }

        private void expire(long now) {
            long oldest = now - windowNanos;
            while (startCount > 0 && starts[startHead] - oldest <= 0) {
                startHead = (startHead + 1) % starts.length;
                startCount--;
            }
            while (execCount > 0 && ends[execHead] - oldest <= 0) {
                execSum -= durations[execHead];
                execHead = (execHead + 1) % ends.length;
                execCount--;
            }
        }

        /** The wait until enough of the oldest execution times leave the window to bring the sum under the limit. */
        private long untilExecutionBelowLimit(long now) {
            long sum = execSum;
            for (int i = 0; i < execCount; i++) {
                int at = (execHead + i) % ends.length;
                sum -= durations[at];
                if (sum < executionNanos) {
                    return ends[at] + windowNanos - now;
                }
            }
            return windowNanos; // not reached: all gone leaves a sum of 0
        }

        private void pushStart(long now) {
            if (startCount == starts.length) {
                long[] grown = new long[(int) Math.min((long) starts.length * 2, limits.requests())];
                for (int i = 0; i < startCount; i++) {
                    grown[i] = starts[(startHead + i) % starts.length];
                }
                starts = grown;
                startHead = 0;
            }
            starts[(startHead + startCount) % starts.length] = now;
            startCount++;
        }

        private void pushExecution(long end, long duration) {
            if (execCount == ends.length) {
                long[] grownEnds = new long[ends.length * 2];
                long[] grownDurations = new long[ends.length * 2];
                for (int i = 0; i < execCount; i++) {
                    grownEnds[i] = ends[(execHead + i) % ends.length];
                    grownDurations[i] = durations[(execHead + i) % ends.length];
                }
                ends = grownEnds;
                durations = grownDurations;
                execHead = 0;
            }
            int at = (execHead + execCount) % ends.length;
            ends[at] = end;
            durations[at] = duration;
            execCount++;
            execSum += duration;
        }
    }
}
