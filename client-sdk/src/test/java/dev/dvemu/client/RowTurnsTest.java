package dev.dvemu.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowTurnsTest {
    @Test
    @Timeout(30)
    void callsForTheSameRowNeverOverlap() throws Exception {
        RowTurns turns = new RowTurns();
        RowRef row = RowRef.of("new_stocks", UUID.randomUUID());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            Future<?>[] f = new Future<?>[64];
            for (int i = 0; i < f.length; i++) {
                f[i] = pool.submit(() -> turns.take(row, () -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, maxInside.get());
    }

    @Test
    @Timeout(30)
    void callsForDifferentRowsOnDifferentStripesRunTogether() throws Exception {
        RowTurns turns = new RowTurns(1024);
        RowRef a = RowRef.of("new_stocks", UUID.randomUUID());
        RowRef b = RowRef.of("new_stocks", UUID.randomUUID());
        while (Math.floorMod(a.hashCode(), 1024) == Math.floorMod(b.hashCode(), 1024)) {
            b = RowRef.of("new_stocks", UUID.randomUUID());
        }
        CountDownLatch bothInside = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        RowRef other = b;
        try {
            Future<Boolean> first = pool.submit(() -> turns.take(a, () -> await(bothInside)));
            Future<Boolean> second = pool.submit(() -> turns.take(other, () -> await(bothInside)));
            assertTrue(first.get(10, TimeUnit.SECONDS) && second.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTurnIsReleasedWhenTheActionThrows() {
        RowTurns turns = new RowTurns(1);
        RowRef row = RowRef.of("new_stocks", UUID.randomUUID());
        assertThrows(IllegalStateException.class, () -> turns.take(row, () -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("next", turns.take(row, () -> "next"));
    }

    private static boolean await(CountDownLatch latch) {
        latch.countDown();
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
