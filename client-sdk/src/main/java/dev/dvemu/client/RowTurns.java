package dev.dvemu.client;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets the threads of one process that read-modify-write the same row take turns, first come first served, so
 * they do not waste attempts racing each other for its ETag. Other processes are still kept out by the ETag itself:
 * this only removes the contention an application creates against itself. One instance is shared by the threads
 * that should take turns; rows map onto a fixed number of lock stripes.
 *
 * <pre>{@code
 * RowTurns turns = new RowTurns();
 * turns.take(promotionRef, () -> Retry.onConflict(policy, () -> {
 *     Row p = dv.retrieve(promotionRef).orElseThrow();
 *     ... dv.execute(changeset with If-Match: p.etag()) ...
 * }));
 * }</pre>
 */
public final class RowTurns {
    private final ReentrantLock[] stripes;

    public RowTurns() {
        this(256);
    }

    public RowTurns(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("at least one stripe");
        }
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock(true); // fair: waits stay short and bounded
        }
    }

    /** Runs {@code action} when it is this row's turn; others for the same row wait until it returns. */
    public <T> T take(RowRef row, Supplier<T> action) {
        ReentrantLock turn = stripes[Math.floorMod(Objects.requireNonNull(row).hashCode(), stripes.length)];
        turn.lock();
        try {
            return action.get();
        } finally {
            turn.unlock();
        }
    }
}
