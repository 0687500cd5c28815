package dev.dvemu.server;

import dev.dvemu.server.support.ServerProcess;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Main.run} in this JVM: exit codes, and start-up failures that say what to do in one line. */
@DvemuTest(reset = Reset.NEVER)
class MainTest {
    static Dvemu dvemu;

    @TempDir
    Path dir;

    /** One run of the command line: its exit code, standard output and standard error. */
    private record Run(int code, String out, String err) {
        /** Standard error is the one line that says what went wrong. */
        String line() {
            assertEquals(1, err.lines().count(), "not one line: " + err);
            return err.strip();
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    /** Options for a server on the test server's database (no PostgreSQL of its own to start). */
    private static List<String> onTestDatabase(String... more) {
        List<String> args = new ArrayList<>(List.of("--db-url", dvemu.jdbcUrl(), "--db-user", "postgres"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void versionComesFromTheBuild() {
        Run r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("dvemu \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void dashHIsHelp() {
        Run h = run("-h");
        assertEquals(0, h.code());
        assertTrue(h.out().startsWith("Usage: "), h.out());
        assertEquals(run("--help").out(), h.out());
    }

    @Test
    void ephemeralWithDataDirIsAUsageError() {
        Run r = run("--ephemeral", "--data-dir", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.line().startsWith("dvemu: --ephemeral and --data-dir exclude each other"), r.err());
    }

    @Test
    void badValueFromTheEnvironmentIsNamedAsTheVariable() {
        Run r = run(Map.of("DVEMU_PORT", "abc"));
        assertEquals(2, r.code());
        assertEquals("dvemu: DVEMU_PORT must be a whole number from 0 to 65535, not 'abc'", r.line());
        Run flag = run("--port", "abc");
        assertEquals("dvemu: --port must be a whole number from 0 to 65535, not 'abc'", flag.line());
        Run both = run(Map.of("DVEMU_EPHEMERAL", "true"), "--data-dir", dir.resolve("x").toString());
        assertTrue(both.line().startsWith("dvemu: DVEMU_EPHEMERAL and --data-dir exclude each other"), both.err());
    }

    @Test
    void postgresUrlIsAnsweredWithTheJdbcUrl() {
        Run r = run("--db-url", "postgres://app:s3cret@db.example.com:5433/shop");
        assertEquals(2, r.code());
        assertEquals("dvemu: --db-url takes a JDBC URL, not a postgres:// one: use jdbc:postgresql://db.example.com:5433/shop "
                + "(user and password go in --db-user and --db-password)", r.line());
        assertFalse(r.err().contains("s3cret"));
        Run env = run(Map.of("DVEMU_DB_URL", "postgresql://db.example.com/shop"));
        assertTrue(env.line().startsWith("dvemu: DVEMU_DB_URL takes a JDBC URL, not a postgres:// one: use "
                + "jdbc:postgresql://db.example.com/shop"), env.err());
    }

    @Test
    void portInUseSuggestsPortZero() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Run r = run(onTestDatabase("--port", Integer.toString(port)).toArray(String[]::new));
            assertEquals(1, r.code());
            assertEquals("dvemu: cannot start: port " + port + " on 127.0.0.1 is in use: stop what uses it, or start with "
                    + "--port 0 to pick a free port", r.line());
        }
    }

    @Test
    void unknownDatabaseHostIsNamed() {
        Run r = run("--db-url", "jdbc:postgresql://no-such-host.invalid:5432/db", "--port", "0");
        assertEquals(1, r.code());
        assertTrue(r.line().startsWith("dvemu: cannot start: the database host 'no-such-host.invalid' in --db-url is not known"),
                r.err());
    }

    @Test
    void unknownBindHostIsNamed() {
        Run r = run(onTestDatabase("--port", "0", "--bind", "no-such-host.invalid").toArray(String[]::new));
        assertEquals(1, r.code());
        assertTrue(r.line().startsWith("dvemu: cannot start: --bind no-such-host.invalid is not a known host name"), r.err());
    }

    @Test
    void dataDirectoryInUseNamesTheServerThatHoldsIt() throws Exception {
        Path data = dir.resolve("pgdata");
        try (ServerProcess first = ServerProcess.start(data)) {
            Run r = run("--data-dir", data.toString(), "--port", "0");
            assertEquals(1, r.code());
            assertTrue(r.line().startsWith("dvemu: cannot start: the data directory " + data + " is in use by another dvemu (pid "
                    + first.pid() + ")"), r.err());
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, run("sevre").code());
        assertEquals(2, run("--no-such-option").code());
    }
}
