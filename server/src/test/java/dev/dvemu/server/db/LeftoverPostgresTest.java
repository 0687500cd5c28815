package dev.dvemu.server.db;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data directory is used by one server at a time, and what a killed server leaves behind does not lock the next
 * one out: a second server on a directory in use is refused at once with the owner's pid; a PostgreSQL left running
 * by a server killed together with its watchdog is stopped by the next start, which then serves the old rows.
 */
class LeftoverPostgresTest {
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aDirectoryInUseIsRefusedNamingItsServerAndPostgresLeftByAKilledServerIsStoppedByTheNextStart(@TempDir Path dir)
            throws Exception {
        String name = "leftover " + UUID.randomUUID();
        ProcessHandle leftover;
        try (ServerProcess first = ServerProcess.start(dir)) {
            HttpResponse<String> created = first.send("POST", "new_stocks", "{\"new_name\":\"" + name + "\"}",
                    "Content-Type", "application/json");
            assertEquals(204, created.statusCode(), created.body());

            ServerConfig second = ConfigParser.parse(new String[]{"--port", "0", "--data-dir", dir.toString()}, Map.of()).config();
            Exception refused = assertThrows(Exception.class, () -> DvemuServer.start(second).close());
            assertTrue(refused.getMessage().contains("in use by another dvemu (pid " + first.pid() + ")"), refused.getMessage());
            assertTrue(refused.getMessage().contains("--data-dir"), refused.getMessage());

            // the way a PostgreSQL is left behind: the server is killed and its watchdog with it
            leftover = ServerProcess.postmaster(dir).orElseThrow();
            first.watchdog().ifPresent(w -> w.destroyForcibly());
            first.kill();
        }
        try {
            assertTrue(leftover.isAlive(), "the killed server's PostgreSQL is still running");
            try (ServerProcess next = ServerProcess.start(dir)) {
                // it has stopped (what remains is the parent's reaping of it)
                leftover.onExit().get(ServerProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                HttpResponse<String> found = next.get("new_stocks?$select=new_name&$filter="
                        + URLEncoder.encode("new_name eq '" + name + "'", StandardCharsets.UTF_8).replace("+", "%20"));
                assertEquals(200, found.statusCode(), found.body());
                assertTrue(found.body().contains(name), found.body());

                next.stop();
                assertFalse(Files.exists(dir.resolve("postmaster.pid")), "a stopped server stops its PostgreSQL");
            }
        } finally {
            leftover.destroyForcibly();
        }
    }
}
