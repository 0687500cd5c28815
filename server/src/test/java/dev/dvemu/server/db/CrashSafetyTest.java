package dev.dvemu.server.db;

import dev.dvemu.server.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acknowledged write survives a crash, and a changeset is never half there: the server (its own JVM, on a
 * persistent data directory) is killed under a load of changesets, and separately its PostgreSQL is; afterwards
 * every acknowledged changeset is found whole and none in part. No timings are asserted; the waits only keep a
 * broken run from hanging.
 */
class CrashSafetyTest {
    private static final int WORKERS = 4;
    private static final int BEFORE_CRASH = 30;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aServerKilledUnderLoadTakesItsPostgresDownAndLosesNoAcknowledgedChangeset(@TempDir Path dir) throws Exception {
        ChangesetLoad load;
        try (ServerProcess server = ServerProcess.start(dir)) {
            ProcessHandle postmaster = ServerProcess.postmaster(dir).orElseThrow();
            load = new ChangesetLoad(server, WORKERS).start();
            load.awaitAcknowledged(BEFORE_CRASH);
            server.kill();
            load.stop();
            // the watchdog stops PostgreSQL once the JVM is gone, so the data directory is free again
            postmaster.onExit().get(ServerProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        try (ServerProcess restarted = ServerProcess.start(dir)) {
            load.assertEveryAcknowledgedChangesetWholeAndNonePartial(restarted);
            restarted.stop();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aPostgresKilledUnderLoadIsReportedRestartedAndLosesNoAcknowledgedChangeset(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir)) {
            ChangesetLoad load = new ChangesetLoad(server, WORKERS).start();
            load.awaitAcknowledged(BEFORE_CRASH);

            ProcessHandle postmaster = ServerProcess.postmaster(dir).orElseThrow();
            List<ProcessHandle> processes = postmaster.children().toList();
            // a stopped server process of the dead postmaster holds its shared memory, so the restart has to wait
            // for it: that keeps the database down long enough to look at it
            ProcessHandle held = processes.stream().filter(c -> title(c).contains("checkpointer")).findFirst().orElseThrow();
            assertTrue(ServerProcess.signal("STOP", held.pid()));
            try {
                // all of PostgreSQL dies at once, as when the OOM killer or a container runtime kills it: killing the
                // postmaster alone would leave its WAL writer the moment to flush once more on the way out
                assertTrue(ServerProcess.signal("KILL", LongStream.concat(LongStream.of(postmaster.pid()),
                        processes.stream().filter(p -> !p.equals(held)).mapToLong(ProcessHandle::pid)).toArray()));

                HttpResponse<String> health = awaitHealth(server, 503, "pid " + postmaster.pid() + ") exited");
                assertTrue(health.body().contains("\"status\":\"database unavailable\""), health.body());

                HttpResponse<String> read = server.get("new_stocks?$top=1");
                assertEquals(503, read.statusCode(), read.body());
                assertTrue(read.body().contains("\"code\":\"0x80044150\""), read.body());
                assertTrue(read.body().contains("The database is unavailable: the embedded PostgreSQL (pid " + postmaster.pid()
                        + ") exited; restarting it. Nothing was written; retry."), read.body());
                assertEquals(Optional.of("5"), read.headers().firstValue("Retry-After"));
            } finally {
                ServerProcess.signal("CONT", held.pid());
            }

            awaitHealth(server, 200, "\"status\":\"ok\"");
            load.awaitAcknowledged(load.acknowledgedCount() + 10);
            load.stop();
            load.assertEveryAcknowledgedChangesetWholeAndNonePartial(server);

            // when PostgreSQL cannot be started again, the server exits non-zero (for a supervisor to restart it)
            Files.move(dir.resolve("postgresql.conf"), dir.resolve("postgresql.conf.hidden"));
            ProcessHandle restartedPostmaster = ServerProcess.postmaster(dir).orElseThrow();
            assertFalse(restartedPostmaster.pid() == postmaster.pid());
            assertTrue(ServerProcess.signal("KILL", restartedPostmaster.pid()));
            assertEquals(1, server.awaitExit(), server.output());
            assertTrue(server.output().contains("could not be restarted"), server.output());
        }
    }

    /** What PostgreSQL shows as a server process's title ({@code postgres: checkpointer}); Linux. */
    private static String title(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls {@code /health} until it answers {@code status} with {@code text} in the body. */
    private static HttpResponse<String> awaitHealth(ServerProcess server, int status, String text) throws Exception {
        long deadline = System.nanoTime() + ServerProcess.PATIENCE.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = server.get("/health");
            if (last.statusCode() == status && last.body().contains(text)) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("/health never answered " + status + " with " + text + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + server.output());
    }
}
