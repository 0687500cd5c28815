package dev.dvemu.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How often to try and how long to wait in between: exponential backoff capped at {@code cap}, with jitter so that
 * clients that failed together do not retry together (AWS Architecture Blog, "Exponential Backoff and Jitter":
 * full jitter makes the fewest calls under contention, and is the default). A {@code Retry-After} from the service
 * (429, 503) replaces the computed wait. Immutable; the random source and the sleeper can be replaced, so tests are
 * deterministic.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2), 10);
 * RetryPolicy seeded = policy.withRandom(new Random(42)::nextDouble).withSleeper(d -> { });
 * }</pre>
 *
 * <p>With {@code n} the number of the retry (1 for the first) and {@code exp(n) = min(cap, base * 2^(n-1))}:
 * <ul>
 *   <li>{@link Jitter#FULL}: a uniform random wait in {@code [0, exp(n))};</li>
 *   <li>{@link Jitter#EQUAL}: {@code exp(n)/2} plus a uniform random wait in {@code [0, exp(n)/2)};</li>
 *   <li>{@link Jitter#DECORRELATED}: {@code min(cap, uniform in [base, 3 * previous wait))}, starting from base;</li>
 *   <li>{@link Jitter#NONE}: exactly {@code exp(n)};</li>
 *   <li>{@link #fixedDelay}: always the same wait.</li>
 * </ul>
 */
public final class RetryPolicy {
    /** The jitter strategies. */
    public enum Jitter {
        FULL, EQUAL, DECORRELATED, NONE, FIXED
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Jitter jitter;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    private RetryPolicy(int maxAttempts, Duration base, Duration cap, Jitter jitter, DoubleSupplier random, Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (base.isNegative() || cap.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 <= base <= cap");
        }
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.jitter = Objects.requireNonNull(jitter);
        this.random = Objects.requireNonNull(random);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    private static RetryPolicy of(Jitter jitter, Duration base, Duration cap, int maxAttempts) {
        return new RetryPolicy(maxAttempts, base, cap, jitter, () -> ThreadLocalRandom.current().nextDouble(), Sleeper.THREAD);
    }

    /** Exponential backoff with full jitter: the default, and the best under contention. */
    public static RetryPolicy fullJitter(Duration base, Duration cap, int maxAttempts) {
        return of(Jitter.FULL, base, cap, maxAttempts);
    }

    public static RetryPolicy equalJitter(Duration base, Duration cap, int maxAttempts) {
        return of(Jitter.EQUAL, base, cap, maxAttempts);
    }

    public static RetryPolicy decorrelatedJitter(Duration base, Duration cap, int maxAttempts) {
        return of(Jitter.DECORRELATED, base, cap, maxAttempts);
    }

    /** Exponential backoff without jitter: clients that collide once keep colliding; shown for comparison. */
    public static RetryPolicy noJitter(Duration base, Duration cap, int maxAttempts) {
        return of(Jitter.NONE, base, cap, maxAttempts);
    }

    /** The same wait before every retry. */
    public static RetryPolicy fixedDelay(Duration delay, int maxAttempts) {
        return of(Jitter.FIXED, delay, delay, maxAttempts);
    }

    /** One attempt, no retries. */
    public static RetryPolicy none() {
        return of(Jitter.NONE, Duration.ZERO, Duration.ZERO, 1);
    }

    /** Full jitter from 20 ms up to 2 s, 10 attempts: what a client gets when it names no policy. */
    public static RetryPolicy defaults() {
        return fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2), 10);
    }

    /** The same policy drawing its randomness from {@code random} (values in [0, 1)). */
    public RetryPolicy withRandom(DoubleSupplier random) {
        return new RetryPolicy(maxAttempts, base, cap, jitter, random, sleeper);
    }

    public RetryPolicy withSleeper(Sleeper sleeper) {
        return new RetryPolicy(maxAttempts, base, cap, jitter, random, sleeper);
    }

    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, base, cap, jitter, random, sleeper);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }

    public Jitter jitter() {
        return jitter;
    }

    /** A fresh sequence of waits for one retry loop (decorrelated jitter remembers the previous wait). */
    public Backoff newBackoff() {
        return new Backoff();
    }

    /** The waits of one retry loop, in order. Not thread-safe: one per loop. */
    public final class Backoff {
        private int retries;
        private Duration previous = base;

        private Backoff() {
        }

        /** The wait before the next retry. */
        public Duration next() {
            retries++;
            Duration exp = exponential(retries);
            Duration d = switch (jitter) {
                case FULL -> scale(exp, random.getAsDouble());
                case EQUAL -> exp.dividedBy(2).plus(scale(exp.dividedBy(2), random.getAsDouble()));
                case DECORRELATED -> {
                    Duration upper = previous.compareTo(cap) >= 0 ? cap.plus(cap).plus(cap) : previous.multipliedBy(3);
                    Duration span = upper.minus(base);
                    Duration pick = base.plus(scale(span, random.getAsDouble()));
                    yield pick.compareTo(cap) > 0 ? cap : pick;
                }
                case NONE -> exp;
                case FIXED -> base;
            };
            previous = d;
            return d;
        }

        /** The wait before the next retry, or what the service asked for when it said so. */
        public Duration next(java.util.Optional<Duration> retryAfter) {
            Duration computed = next();
            return retryAfter.orElse(computed);
        }

        /** Waits {@code d} with the policy's sleeper. */
        public void sleep(Duration d) {
            if (!d.isZero() && !d.isNegative()) {
                sleeper.sleep(d);
            }
        }
    }

    private Duration exponential(int retry) {
        long factor = retry >= 62 ? Long.MAX_VALUE : 1L << (retry - 1);
        Duration d;
        try {
            d = base.multipliedBy(factor);
        } catch (ArithmeticException overflow) {
            return cap;
        }
        return d.compareTo(cap) > 0 || d.isNegative() ? cap : d;
    }

    /** Durations up to this many seconds fit in a long of nanoseconds (about 292 years). */
    private static final long MAX_NANO_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private static Duration scale(Duration d, double fraction) {
        double f = Math.max(0, Math.min(fraction, 1));
        if (d.getSeconds() < MAX_NANO_SECONDS) {
            return Duration.ofNanos((long) (d.toNanos() * f));
        }
        // too long for nanoseconds: scale the seconds (sub-second precision does not matter at this size)
        double seconds = d.getSeconds() * f;
        long whole = (long) seconds;
        return Duration.ofSeconds(whole, (long) ((seconds - whole) * 1e9));
    }

    @Override
    public String toString() {
        return "RetryPolicy[" + jitter + ", base=" + base + ", cap=" + cap + ", maxAttempts=" + maxAttempts + "]";
    }
}
