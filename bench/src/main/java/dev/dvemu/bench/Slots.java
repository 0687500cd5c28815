package dev.dvemu.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slot numbers that are never used twice in a run, so the unique (stock, slot) key never raises in the booking
 * changeset scenarios and every failure is a real version conflict (as in the reference c_tx script).
 */
final class Slots {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Slots() {
    }

    static int next() {
        return NEXT.incrementAndGet();
    }
}
