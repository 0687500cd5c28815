package dev.dvemu.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryPolicyTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(1);

    /** A random source returning {@code fractions} in turn; drawing more than scripted fails the test. */
    private static DoubleSupplier scripted(double... fractions) {
        int[] next = {0};
        return () -> {
            if (next[0] >= fractions.length) {
                throw new AssertionError("drew more random numbers than the " + fractions.length + " scripted");
            }
            return fractions[next[0]++];
        };
    }

    private static DoubleSupplier noRandomness() {
        return () -> {
            throw new AssertionError("this strategy must not draw random numbers");
        };
    }

    /** The waits before retries 1..n of one fresh retry loop. */
    private static List<Duration> waits(RetryPolicy policy, int n) {
        RetryPolicy.Backoff backoff = policy.newBackoff();
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(backoff.next());
        }
        return out;
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    // ------------------------------------------------------------------------------------------------ FULL

    @Test
    void fullJitterWaitsTheFractionOfTheCappedExponential() {
        RetryPolicy policy = RetryPolicy.fullJitter(BASE, CAP, 10).withRandom(scripted(0.0, 0.5, 0.999, 0.25, 0.5));

        // exp(n) = 100, 200, 400, 800, 1000 (capped) ms
        assertEquals(List.of(ms(0), ms(100), ms(399.6), ms(200), ms(500)), waits(policy, 5));
    }

    @Test
    void fullJitterWithASeededRandomFollowsTheFormula() {
        RetryPolicy policy = RetryPolicy.fullJitter(BASE, CAP, 10).withRandom(new Random(42)::nextDouble);

        Random same = new Random(42);
        List<Duration> expected = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            long exp = Math.min(CAP.toNanos(), BASE.toNanos() << (n - 1));
            expected.add(Duration.ofNanos((long) (exp * same.nextDouble())));
        }
        assertEquals(expected, waits(policy, 8));
    }

    @Test
    void fullJitterStaysBelowTheCapForVeryLargeRetryNumbers() {
        RetryPolicy policy = RetryPolicy.fullJitter(BASE, CAP, 1000).withRandom(() -> 0.5);

        List<Duration> w = waits(policy, 200);

        for (int n = 5; n <= 200; n++) {
            assertEquals(ms(500), w.get(n - 1), "retry " + n);
        }
    }

    @Test
    void fullJitterDoesNotOverflowWithAVeryLargeCap() {
        Duration thousandYears = Duration.ofDays(365L * 1000);
        RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofSeconds(1), thousandYears, 100).withRandom(() -> 0.5);

        List<Duration> w = waits(policy, 64);

        assertEquals(Duration.ofMillis(500), w.get(0));
        assertEquals(Duration.ofDays(365L * 500), w.get(63));
    }

    // ------------------------------------------------------------------------------------------------ EQUAL

    @Test
    void equalJitterWaitsHalfTheExponentialPlusAFractionOfTheOtherHalf() {
        RetryPolicy policy = RetryPolicy.equalJitter(BASE, CAP, 10).withRandom(scripted(0.0, 0.5, 0.999, 0.25, 0.5));

        // exp(n)/2 = 50, 100, 200, 400, 500 ms
        assertEquals(List.of(ms(50), ms(150), ms(399.8), ms(500), ms(750)), waits(policy, 5));
    }

    @Test
    void equalJitterNeverWaitsLessThanHalfTheCapOnceCapped() {
        RetryPolicy policy = RetryPolicy.equalJitter(BASE, CAP, 1000).withRandom(() -> 0.0);

        List<Duration> w = waits(policy, 80);

        assertEquals(ms(500), w.get(63));
        assertEquals(ms(500), w.get(79));
    }

    // ------------------------------------------------------------------------------------------------ DECORRELATED

    @Test
    void decorrelatedJitterPicksBetweenBaseAndThreeTimesThePreviousWaitStartingFromBase() {
        RetryPolicy policy = RetryPolicy.decorrelatedJitter(BASE, CAP, 10)
                .withRandom(scripted(0.0, 0.5, 0.999, 0.5, 0.5, 0.0));

        // previous = 100: 100 + 0.0 * 200 = 100
        // previous = 100: 100 + 0.5 * 200 = 200
        // previous = 200: 100 + 0.999 * 500 = 599.5
        // previous = 599.5: 100 + 0.5 * 1698.5 = 949.25
        // previous = 949.25: 100 + 0.5 * 2747.75 = 1473.875 -> capped at 1000
        // previous = 1000: 100 + 0.0 * 2900 = 100
        assertEquals(List.of(ms(100), ms(200), ms(599.5), ms(949.25), ms(1000), ms(100)), waits(policy, 6));
    }

    @Test
    void decorrelatedJitterWithASeededRandomFollowsTheFormula() {
        RetryPolicy policy = RetryPolicy.decorrelatedJitter(BASE, CAP, 10).withRandom(new Random(42)::nextDouble);

        Random same = new Random(42);
        List<Duration> expected = new ArrayList<>();
        long previous = BASE.toNanos();
        for (int n = 1; n <= 8; n++) {
            long pick = BASE.toNanos() + (long) ((3 * previous - BASE.toNanos()) * same.nextDouble());
            previous = Math.min(CAP.toNanos(), pick);
            expected.add(Duration.ofNanos(previous));
        }
        assertEquals(expected, waits(policy, 8));
    }

    @Test
    void decorrelatedJitterStaysWithinBaseAndCapForVeryLargeRetryNumbers() {
        RetryPolicy policy = RetryPolicy.decorrelatedJitter(BASE, CAP, 1000).withRandom(() -> 0.999);

        List<Duration> w = waits(policy, 100);

        assertEquals(CAP, w.get(63));
        assertEquals(CAP, w.get(99));
    }

    // ------------------------------------------------------------------------------------------------ NONE, FIXED

    @Test
    void noJitterWaitsExactlyTheCappedExponentialAndDrawsNoRandomness() {
        RetryPolicy policy = RetryPolicy.noJitter(BASE, CAP, 10).withRandom(noRandomness());

        assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)), waits(policy, 6));
    }

    @Test
    void noJitterHoldsTheCapAtRetry64AndBeyondWithoutOverflow() {
        RetryPolicy policy = RetryPolicy.noJitter(BASE, CAP, 1000).withRandom(noRandomness());

        List<Duration> w = waits(policy, 130);

        assertEquals(CAP, w.get(61));   // retry 62
        assertEquals(CAP, w.get(62));   // retry 63
        assertEquals(CAP, w.get(63));   // retry 64: 2^63 does not fit in a long
        assertEquals(CAP, w.get(64));   // retry 65
        assertEquals(CAP, w.get(129));  // retry 130
    }

    @Test
    void noJitterWithALargeBaseReachesTheCapWithoutOverflow() {
        Duration day = Duration.ofDays(1);
        RetryPolicy policy = RetryPolicy.noJitter(day, Duration.ofDays(10), 100);

        List<Duration> w = waits(policy, 70);

        assertEquals(List.of(day, Duration.ofDays(2), Duration.ofDays(4), Duration.ofDays(8), Duration.ofDays(10)),
                w.subList(0, 5));
        assertEquals(Duration.ofDays(10), w.get(69));
    }

    @Test
    void fixedDelayAlwaysWaitsTheSameAndDrawsNoRandomness() {
        RetryPolicy policy = RetryPolicy.fixedDelay(Duration.ofMillis(250), 5).withRandom(noRandomness());

        assertEquals(List.of(ms(250), ms(250), ms(250), ms(250), ms(250), ms(250)), waits(policy, 6));
        assertEquals(RetryPolicy.Jitter.FIXED, policy.jitter());
        assertEquals(5, policy.maxAttempts());
    }

    // ------------------------------------------------------------------------------------------------ seeds

    @Test
    void theSameSeedGivesTheSameWaits() {
        RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2), 10);

        List<Duration> first = waits(policy.withRandom(new Random(42)::nextDouble), 9);
        List<Duration> second = waits(policy.withRandom(new Random(42)::nextDouble), 9);
        List<Duration> otherSeed = waits(policy.withRandom(new Random(43)::nextDouble), 9);

        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void eachBackoffStartsFromTheFirstRetryAgain() {
        RetryPolicy policy = RetryPolicy.noJitter(BASE, CAP, 10);
        RetryPolicy.Backoff first = policy.newBackoff();
        first.next();
        first.next();

        assertEquals(ms(100), policy.newBackoff().next());
        assertEquals(ms(400), first.next());
    }

    // ------------------------------------------------------------------------------------------------ Retry-After

    @Test
    void aRetryAfterReplacesTheComputedWait() {
        RetryPolicy.Backoff backoff = RetryPolicy.noJitter(BASE, CAP, 10).newBackoff();

        assertEquals(Duration.ofSeconds(7), backoff.next(Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void aRetryAfterIsHonouredEvenAboveTheCap() {
        RetryPolicy.Backoff backoff = RetryPolicy.fullJitter(BASE, CAP, 10).withRandom(() -> 0.5).newBackoff();

        assertEquals(Duration.ofSeconds(30), backoff.next(Optional.of(Duration.ofSeconds(30))));
    }

    @Test
    void aZeroRetryAfterMeansNoWaitNotTheComputedOne() {
        RetryPolicy.Backoff backoff = RetryPolicy.noJitter(BASE, CAP, 10).newBackoff();

        assertEquals(Duration.ZERO, backoff.next(Optional.of(Duration.ZERO)));
    }

    @Test
    void withoutRetryAfterTheComputedWaitIsUsed() {
        RetryPolicy.Backoff backoff = RetryPolicy.noJitter(BASE, CAP, 10).newBackoff();

        assertEquals(ms(100), backoff.next(Optional.empty()));
        assertEquals(ms(200), backoff.next(Optional.empty()));
    }

    @Test
    void aRetryAfterStillCountsAsARetry() {
        RetryPolicy.Backoff backoff = RetryPolicy.noJitter(BASE, CAP, 10).newBackoff();

        backoff.next(Optional.of(Duration.ofSeconds(7)));

        assertEquals(ms(200), backoff.next());
    }

    // ------------------------------------------------------------------------------------------------ arguments

    @Test
    void zeroMaxAttemptsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.fullJitter(BASE, CAP, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.noJitter(BASE, CAP, -1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.fixedDelay(BASE, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().withMaxAttempts(0));
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.fullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
        assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.decorrelatedJitter(Duration.ofMillis(101), Duration.ofMillis(100), 3));
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.equalJitter(Duration.ofMillis(-1), CAP, 3));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.fixedDelay(Duration.ofMillis(-1), 3));
    }

    @Test
    void aCapEqualToTheBaseIsAccepted() {
        RetryPolicy policy = RetryPolicy.noJitter(BASE, BASE, 3);

        assertEquals(List.of(ms(100), ms(100), ms(100)), waits(policy, 3));
    }

    // ------------------------------------------------------------------------------------------------ sleeper, copies

    @Test
    void theSleeperReceivesTheWaits() {
        List<Duration> slept = new ArrayList<>();
        RetryPolicy.Backoff backoff = RetryPolicy.noJitter(BASE, CAP, 10).withSleeper(slept::add).newBackoff();

        backoff.sleep(backoff.next());
        backoff.sleep(backoff.next());
        backoff.sleep(Duration.ofSeconds(7));

        assertEquals(List.of(ms(100), ms(200), Duration.ofSeconds(7)), slept);
    }

    @Test
    void aZeroWaitDoesNotSleep() {
        List<Duration> slept = new ArrayList<>();
        RetryPolicy.Backoff backoff = RetryPolicy.none().withSleeper(slept::add).newBackoff();

        backoff.sleep(Duration.ZERO);

        assertEquals(List.of(), slept);
    }

    @Test
    void noneMeansOneAttempt() {
        RetryPolicy none = RetryPolicy.none();

        assertEquals(1, none.maxAttempts());
        assertEquals(Duration.ZERO, none.newBackoff().next());
    }

    @Test
    void defaultsAreFullJitterFrom20msTo2sWith10Attempts() {
        RetryPolicy d = RetryPolicy.defaults();

        assertEquals(RetryPolicy.Jitter.FULL, d.jitter());
        assertEquals(Duration.ofMillis(20), d.base());
        assertEquals(Duration.ofSeconds(2), d.cap());
        assertEquals(10, d.maxAttempts());
    }

    @Test
    void theWithMethodsReturnChangedCopiesAndLeaveTheOriginalAlone() {
        RetryPolicy original = RetryPolicy.equalJitter(BASE, CAP, 4);

        RetryPolicy more = original.withMaxAttempts(9);
        RetryPolicy seeded = original.withRandom(() -> 0.0);
        RetryPolicy quiet = original.withSleeper(d -> { });

        assertEquals(4, original.maxAttempts());
        assertEquals(9, more.maxAttempts());
        for (RetryPolicy p : List.of(more, seeded, quiet)) {
            assertSame(RetryPolicy.Jitter.EQUAL, p.jitter());
            assertEquals(BASE, p.base());
            assertEquals(CAP, p.cap());
        }
        assertEquals(ms(50), seeded.newBackoff().next());
    }
}
