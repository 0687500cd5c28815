package dev.dvemu.server.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named holds: operations a fault rule stops at a point of their way (before their writes, before their commit,
 * before their answer) until a test releases them, until enough of them are held (a barrier), or until their
 * timeout passes. One monitor guards everything: holds are rare and short, and only requests a rule matched wait here.
 */
public final class Holds {
    private final Object lock = new Object();
    private final Map<String, Hold> holds = new LinkedHashMap<>();

    private static final class Hold {
        final List<Waiter> waiting = new ArrayList<>();
        long released;
    }

    private static final class Waiter {
        boolean released;
    }

    /** What one hold looks like from outside. */
    public record State(String name, int held, long released) {
    }

    /**
     * Waits at hold {@code name} until released, until {@code releaseWhen} (when above 0) are held, or until
     * {@code timeoutMs} passes; returns true when released, false when the timeout let it go.
     */
    public boolean hold(String name, int releaseWhen, long timeoutMs) {
        Waiter me = new Waiter();
        synchronized (lock) {
            Hold h = holds.computeIfAbsent(name, n -> new Hold());
            h.waiting.add(me);
            if (releaseWhen > 0 && h.waiting.size() >= releaseWhen) {
                releaseAll(h);
            }
            lock.notifyAll();
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            boolean interrupted = false;
            while (!me.released) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!me.released) {
                h.waiting.remove(me);
                lock.notifyAll();
                return false;
            }
            return true;
        }
    }

    /** Releases everything held at {@code name}; returns how many. */
    public int release(String name) {
        synchronized (lock) {
            Hold h = holds.get(name);
            return h == null ? 0 : releaseAll(h);
        }
    }

    /** Releases everything held anywhere. */
    public int releaseAll() {
        synchronized (lock) {
            int n = 0;
            for (Hold h : holds.values()) {
                n += releaseAll(h);
            }
            return n;
        }
    }

    private int releaseAll(Hold h) {
        int n = h.waiting.size();
        for (Waiter w : h.waiting) {
            w.released = true;
        }
        h.waiting.clear();
        h.released += n;
        lock.notifyAll();
        return n;
    }

    /** Waits until at least {@code count} are held at {@code name}; returns how many are held, or -1 on timeout. */
    public int await(String name, int count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (lock) {
            while (true) {
                Hold h = holds.get(name);
                int held = h == null ? 0 : h.waiting.size();
                if (held >= count) {
                    return held;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return -1;
                }
                lock.wait(left);
            }
        }
    }

    /** Every hold that was ever used, in the order first used. */
    public List<State> states() {
        synchronized (lock) {
            List<State> out = new ArrayList<>();
            holds.forEach((name, h) -> out.add(new State(name, h.waiting.size(), h.released)));
            return out;
        }
    }

    /** Releases everything and forgets every hold (with {@code DELETE /_dvemu/faults}). */
    public void reset() {
        synchronized (lock) {
            releaseAll();
            holds.clear();
        }
    }
}
