package dev.dvemu.server.db;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Whether the database is known to be down, and why. Set by whoever watches the database (the supervisor of the
 * embedded PostgreSQL); read on every connection request and by {@code /health}, so a request fails at once
 * instead of waiting out the pool's timeout. "Lost" is final: the database will not come back by itself.
 */
public final class DatabaseStatus {
    private volatile String downReason;
    private volatile boolean lost;
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();

    /** Empty while the database serves. */
    public Optional<String> downReason() {
        return Optional.ofNullable(downReason);
    }

    public boolean isLost() {
        return lost;
    }

    void markDown(String reason) {
        downReason = reason;
    }

    void markUp() {
        if (!lost) {
            downReason = null;
        }
    }

    /** Down for good; every listener hears the reason once, on a thread of its own. */
    void markLost(String reason) {
        downReason = reason;
        lost = true;
        for (Consumer<String> l : lostListeners) {
            notify(l, reason);
        }
    }

    /** Runs {@code listener} when the database is lost (at once if it already is). */
    public void whenLost(Consumer<String> listener) {
        lostListeners.add(listener);
        if (lost) {
            notify(listener, downReason);
        }
    }

    // a thread of its own: a listener may close the server, which stops the thread that reported the loss
    private static void notify(Consumer<String> listener, String reason) {
        Thread t = new Thread(() -> listener.accept(reason), "dvemu-database-lost");
        t.setDaemon(false);
        t.start();
    }
}
