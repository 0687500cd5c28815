package dev.dvemu.server.metadata.query;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The metadata queries of the JavaScript client DynamicsWebApi ({@code retrieveEntity}, {@code retrieveEntities},
 * {@code retrieveAttributes}, {@code retrieveRelationships}, {@code retrieveGlobalOptionSet}, and the entity set name
 * lookup of {@code useEntityNames}) run by the real library, pinned in {@code compat/dynamicswebapi/package-lock.json},
 * against this server. Needs Node.js and npm on the PATH: without them the test fails, it does not skip.
 */
@DvemuTest(reset = Reset.NEVER)
class DynamicsWebApiMetadataTest {
    static Dvemu dvemu;

    /** A guard against a hung child process, not a timing assertion. */
    private static final long MINUTES = 5;
    private static final Path PROJECT = Path.of("..", "compat", "dynamicswebapi").toAbsolutePath().normalize();

    @Test
    void dynamicsWebApiMetadataQueriesPass() throws Exception {
        installOnce();
        Run script = run(List.of("node", "script.mjs", dvemu.webApiUrl().toString(), "test-token"));
        assertEquals(0, script.exitCode(), "node script.mjs failed:\n" + script.output());
        assertTrue(script.output().contains("ok   retrieveGlobalOptionSets"), script.output());
    }

    /** {@code npm ci} into the project's (git-ignored) node_modules, unless it already holds what the lock file pins. */
    private static void installOnce() throws Exception {
        Path installed = PROJECT.resolve("node_modules").resolve(".package-lock.json");
        Path lock = PROJECT.resolve("package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertEquals(0, npm.exitCode(), "npm ci failed:\n" + npm.output());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cannot run '" + String.join(" ", command) + "' (Node.js 18+ and npm must be on the PATH): " + e.getMessage());
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return fail("'" + String.join(" ", command) + "' did not end within " + MINUTES + " minutes");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
