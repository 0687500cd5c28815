package dev.dvemu.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryTest {
    private final List<Duration> slept = new ArrayList<>();
    /** Waits 10, 20, 40, 80... ms, recorded instead of slept. */
    private final RetryPolicy policy = RetryPolicy.noJitter(Duration.ofMillis(10), Duration.ofSeconds(1), 5)
            .withSleeper(slept::add);

    private static VersionConflictException conflict(String message) {
        return new VersionConflictException(412, "0x80060882", message);
    }

    private static DuplicateRecordException duplicate(String message) {
        return new DuplicateRecordException(412, "0x80040237", message);
    }

    @Test
    void aSuccessAtTheFirstAttemptIsReturnedWithoutWaiting() {
        AtomicInteger runs = new AtomicInteger();

        String result = Retry.onConflict(policy, () -> "ok " + runs.incrementAndGet());

        assertEquals("ok 1", result);
        assertEquals(1, runs.get());
        assertEquals(List.of(), slept);
    }

    @Test
    void aVersionConflictRunsTheActionAgainUntilItSucceeds() {
        AtomicInteger runs = new AtomicInteger();

        int result = Retry.onConflict(policy, () -> {
            int n = runs.incrementAndGet();
            if (n < 3) {
                throw conflict("conflict " + n);
            }
            return n * 100;
        });

        assertEquals(300, result);
        assertEquals(3, runs.get());
    }

    @Test
    void theSleeperIsCalledBetweenAttemptsWithThePolicysWaits() {
        AtomicInteger runs = new AtomicInteger();

        Retry.onConflict(policy, () -> {
            if (runs.incrementAndGet() < 4) {
                throw conflict("again");
            }
            return null;
        });

        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), slept);
    }

    @Test
    void whenAttemptsRunOutTheLastConflictIsThrownWithTheNumberOfAttempts() {
        AtomicInteger runs = new AtomicInteger();

        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> Retry.onConflict(policy, () -> {
                    throw conflict("conflict " + runs.incrementAndGet());
                }));

        assertEquals("conflict 5", e.getMessage());
        assertEquals(5, e.attempts());
        assertEquals(412, e.status());
        assertEquals("0x80060882", e.code());
        assertEquals(5, runs.get());
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80)),
                slept);
    }

    @Test
    void theActionRunsExactlyMaxAttemptsTimes() {
        for (int max = 1; max <= 7; max++) {
            AtomicInteger runs = new AtomicInteger();
            RetryPolicy p = policy.withMaxAttempts(max);

            VersionConflictException e = assertThrows(VersionConflictException.class,
                    () -> Retry.onConflict(p, () -> {
                        runs.incrementAndGet();
                        throw conflict("no");
                    }));

            assertEquals(max, runs.get());
            assertEquals(max, e.attempts());
        }
    }

    @Test
    void theNonePolicyRunsTheActionOnce() {
        AtomicInteger runs = new AtomicInteger();

        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> Retry.onConflict(RetryPolicy.none(), () -> {
                    runs.incrementAndGet();
                    throw conflict("once");
                }));

        assertEquals(1, runs.get());
        assertEquals(1, e.attempts());
    }

    @Test
    void anOperationIndexSurvivesTheRetryLoop() {
        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> Retry.onConflict(policy.withMaxAttempts(2), () -> {
                    throw conflict("in a changeset").atOperation(3);
                }));

        assertEquals(3, e.operationIndex().getAsInt());
        assertEquals(2, e.attempts());
    }

    @Test
    void aDuplicateLeavesOnConflictAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        DuplicateRecordException thrown = duplicate("taken");

        DuplicateRecordException e = assertThrows(DuplicateRecordException.class,
                () -> Retry.onConflict(policy, () -> {
                    runs.incrementAndGet();
                    throw thrown;
                }));

        assertSame(thrown, e);
        assertEquals(1, runs.get());
        assertEquals(List.of(), slept);
    }

    @Test
    void aBadRequestLeavesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        BadRequestException thrown = new BadRequestException(400, "0x0", "no such column");

        BadRequestException e = assertThrows(BadRequestException.class,
                () -> Retry.onConflictOrDuplicate(policy, () -> {
                    runs.incrementAndGet();
                    throw thrown;
                }));

        assertSame(thrown, e);
        assertEquals(1, runs.get());
        assertEquals(List.of(), slept);
    }

    @Test
    void aTransientFailureLeavesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        TransientException thrown = new TransientException(503, "", "unavailable", null, null);

        assertSame(thrown, assertThrows(TransientException.class,
                () -> Retry.onConflict(policy, () -> {
                    runs.incrementAndGet();
                    throw thrown;
                })));
        assertEquals(1, runs.get());
    }

    @Test
    void anyOtherRuntimeExceptionLeavesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException thrown = new IllegalStateException("bug in the action");

        assertSame(thrown, assertThrows(IllegalStateException.class,
                () -> Retry.onConflictOrDuplicate(policy, () -> {
                    runs.incrementAndGet();
                    throw thrown;
                })));
        assertEquals(1, runs.get());
        assertEquals(List.of(), slept);
    }

    @Test
    void onConflictOrDuplicateAlsoRetriesDuplicates() {
        AtomicInteger runs = new AtomicInteger();

        String slot = Retry.onConflictOrDuplicate(policy, () -> {
            int n = runs.incrementAndGet();
            if (n == 1) {
                throw duplicate("slot 1 taken");
            }
            if (n == 2) {
                throw conflict("stock changed");
            }
            return "slot " + n;
        });

        assertEquals("slot 3", slot);
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20)), slept);
    }

    @Test
    void whenAttemptsRunOutOnDuplicatesTheLastDuplicateIsThrownWithTheNumberOfAttempts() {
        AtomicInteger runs = new AtomicInteger();

        DuplicateRecordException e = assertThrows(DuplicateRecordException.class,
                () -> Retry.onConflictOrDuplicate(policy.withMaxAttempts(3), () -> {
                    throw duplicate("taken " + runs.incrementAndGet());
                }));

        assertEquals("taken 3", e.getMessage());
        assertEquals(3, e.attempts());
        assertEquals(3, runs.get());
    }

    @Test
    void theAttemptsAreCountedAcrossConflictsAndDuplicates() {
        AtomicInteger runs = new AtomicInteger();

        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> Retry.onConflictOrDuplicate(policy.withMaxAttempts(4), () -> {
                    int n = runs.incrementAndGet();
                    if (n % 2 == 1) {
                        throw duplicate("taken");
                    }
                    throw conflict("changed " + n);
                }));

        assertEquals(4, runs.get());
        assertEquals("changed 4", e.getMessage());
        assertEquals(4, e.attempts());
    }
}
