package dev.dvemu.server.db;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Watches the embedded postmaster and brings it back when it dies. Its exit is seen within {@link #POLL} (it is
 * not a child of the JVM, so there is no exit event to wait for); the database is then marked down with the reason,
 * so requests fail at once, and PostgreSQL is started again on the same data directory with the options of its last
 * start ({@code pg_ctl restart} reads them from {@code postmaster.opts}), hence on the same port: the pool
 * reconnects by itself. Crash recovery replays the WAL, so every committed transaction is back. After
 * {@link #ATTEMPTS} failed starts the database is lost.
 */
final class PostmasterSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterSupervisor.class);
    private static final Logger POSTGRES_LOG = LoggerFactory.getLogger("dvemu.postgres");
    private static final Duration POLL = Duration.ofMillis(100);
    static final int ATTEMPTS = 3;
    /** Before each attempt: the first at once, later ones after a pause for whatever made the last one fail. */
    private static final Duration[] PAUSE = {Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(5)};
    /** pg_ctl's wait for the server to accept connections, crash recovery included. */
    private static final int START_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final DatabaseStatus status;
    private final Runnable evictConnections;
    private final Optional<PostmasterWatchdog> watchdog;
    private final Optional<Path> pgCtl;
    /** Held while PostgreSQL is being started, so {@link #stop()} never races a start into an orphan. */
    private final Object starting = new Object();
    private final Thread thread;
    private volatile Postmaster postmaster;
    private volatile boolean stopped;

    PostmasterSupervisor(Path dir, long postmasterPid, DatabaseStatus status, Runnable evictConnections,
                         Optional<PostmasterWatchdog> watchdog) {
        this.dir = dir;
        this.status = status;
        this.evictConnections = evictConnections;
        this.watchdog = watchdog;
        this.pgCtl = pgCtl(dir);
        this.postmaster = Postmaster.of(postmasterPid);
        this.thread = new Thread(this::watch, "dvemu-postgres-supervisor");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** No more restarts; returns once a start under way has finished (the caller then stops PostgreSQL). */
    void stop() {
        stopped = true;
        synchronized (starting) {
            // nothing: waits for a start in progress
        }
    }

    private void watch() {
        while (!stopped && !status.isLost()) {
            if (!pause(POLL)) {
                return;
            }
            if (!postmaster.alive() && !stopped) {
                restart();
            }
        }
    }

    private void restart() {
        Postmaster dead = postmaster;
        String reason = "the embedded PostgreSQL (pid " + dead.pid() + ") exited; restarting it";
        status.markDown(reason);
        LOG.warn(reason);
        evictConnections.run();
        String failure = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (!pause(PAUSE[attempt])) {
                return;
            }
            synchronized (starting) {
                if (stopped) {
                    return;
                }
                try {
                    long pid = startPostmaster(dead);
                    postmaster = Postmaster.of(pid);
                    watchdog.ifPresent(w -> w.watch(pid));
                    evictConnections.run();
                    status.markUp();
                    LOG.warn("the embedded PostgreSQL serves again (pid {}, data in {})", pid, dir);
                    return;
                } catch (StartFailed e) {
                    failure = e.getMessage();
                    LOG.warn("restarting the embedded PostgreSQL failed (attempt {} of {}): {}", attempt + 1, ATTEMPTS, failure);
                }
            }
        }
        String lost = "the embedded PostgreSQL (pid " + dead.pid() + ") exited and could not be restarted: " + failure;
        LOG.error(lost);
        status.markLost(lost);
    }

    private static final class StartFailed extends Exception {
        StartFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Starts PostgreSQL with its last options; returns the new postmaster's pid. */
    private long startPostmaster(Postmaster dead) throws StartFailed {
        dead.process().ifPresent(p -> PostgresProcesses.awaitReaped(p, Duration.ofSeconds(10)));
        DataDirectoryClaim.awaitLeftoverServerProcesses(dir);
        if (pgCtl.isEmpty()) {
            throw new StartFailed("pg_ctl not found (" + dir.resolve("postmaster.opts") + " does not name the PostgreSQL binaries)");
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as the library starts it: PostgreSQL refuses to run as root
        }
        command.addAll(List.of(pgCtl.get().toString(), "restart", "-D", dir.toString(), "-w", "-t", Integer.toString(START_TIMEOUT_SECONDS)));
        Process pgctl;
        try {
            pgctl = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new StartFailed("cannot run pg_ctl: " + e.getMessage());
        }
        // PostgreSQL keeps pg_ctl's output as its log for as long as it runs: read it to the end, on its own thread
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> drain(pgctl, lastLines), "dvemu-postgres-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!pgctl.waitFor(START_TIMEOUT_SECONDS + 30L, TimeUnit.SECONDS)) {
                pgctl.destroy();
                throw new StartFailed("pg_ctl did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailed("interrupted");
        }
        if (pgctl.exitValue() != 0) {
            reader.interrupt();
            synchronized (lastLines) {
                throw new StartFailed("pg_ctl exited with " + pgctl.exitValue() + ": " + String.join(" / ", lastLines));
            }
        }
        return PostgresProcesses.postmasterPid(dir).filter(pid -> Postmaster.of(pid).alive())
                .orElseThrow(() -> new StartFailed("PostgreSQL started but " + dir.resolve("postmaster.pid") + " names no running process"));
    }

    private static void drain(Process pgctl, Deque<String> lastLines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(pgctl.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                POSTGRES_LOG.debug(line);
                synchronized (lastLines) {
                    if (lastLines.size() == 5) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line.trim());
                }
            }
        } catch (IOException e) {
            // PostgreSQL closed its output
        }
    }

    /** The {@code pg_ctl} beside the {@code postgres} that {@code postmaster.opts} names as the last one started. */
    private static Optional<Path> pgCtl(Path dir) {
        try {
            String opts = Files.readString(dir.resolve("postmaster.opts"), StandardCharsets.UTF_8).trim();
            int args = opts.indexOf(" \"");
            Path postgres = Path.of(args < 0 ? opts : opts.substring(0, args));
            Path pgCtl = postgres.resolveSibling(PostgresProcesses.WINDOWS ? "pg_ctl.exe" : "pg_ctl");
            return Files.isExecutable(pgCtl) ? Optional.of(pgCtl) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A postmaster by pid; {@link ProcessHandle#isAlive()} also tells a reused pid from the original process. */
    private record Postmaster(long pid, Optional<ProcessHandle> process) {
        static Postmaster of(long pid) {
            return new Postmaster(pid, ProcessHandle.of(pid));
        }

        boolean alive() {
            return process.map(PostgresProcesses::running).orElse(false);
        }
    }

    /** Sleeps in short steps; false once stopped. */
    private boolean pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
