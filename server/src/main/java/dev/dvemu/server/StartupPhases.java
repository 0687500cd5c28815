package dev.dvemu.server;

import java.util.ArrayList;
import java.util.List;

/**
 * How long each step of start-up took, logged in one line once serving ({@code start-up phases: metadata 120 ms, ...}),
 * so a slow start on a large org can be traced to its step without a profiler.
 */
final class StartupPhases {
    private final List<String> done = new ArrayList<>();
    private long since = System.nanoTime();

    /** Ends the step under way, named {@code name}, and starts the next. */
    void mark(String name) {
        long now = System.nanoTime();
        done.add(name + " " + (now - since) / 1_000_000 + " ms");
        since = now;
    }

    @Override
    public String toString() {
        return "start-up phases: " + String.join(", ", done);
    }
}
