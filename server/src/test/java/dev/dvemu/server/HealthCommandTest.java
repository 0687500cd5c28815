package dev.dvemu.server;

import com.sun.net.httpserver.HttpServer;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dvemu health}, the container's HEALTHCHECK: exit 0 when {@code /health} answers 200, 1 when it answers
 * anything else or nothing answers, one line of output each time.
 */
@DvemuTest(reset = Reset.NEVER)
class HealthCommandTest {
    static Dvemu dvemu;

    private record Result(int exit, String output) {
    }

    private static synchronized Result run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    private static void assertOneLine(Result r) {
        assertTrue(r.output().endsWith("\n") && r.output().indexOf('\n') == r.output().length() - 1,
                "one line: [" + r.output() + "]");
    }

    @Test
    void aServingServerIsHealthy() {
        int port = dvemu.port();
        Result r = run("health", "--port", Integer.toString(port));
        assertEquals(0, r.exit(), r.output());
        assertOneLine(r);
        assertTrue(r.output().startsWith("dvemu health: http://127.0.0.1:" + port + "/health 200 "), r.output());
    }

    @Test
    void aWildcardBindIsAskedOnLoopback() {
        int port = dvemu.port();
        Result r = run("health", "--port", Integer.toString(port), "--bind", "0.0.0.0");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("http://127.0.0.1:" + port + "/health 200"), r.output());
    }

    @Test
    void anAnswerOtherThan200IsUnhealthyAndShown() throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"database unavailable\",\n\"reason\":\"down\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try {
            Result r = run("health", "--port", Integer.toString(stub.getAddress().getPort()));
            assertEquals(1, r.exit(), r.output());
            assertOneLine(r);
            assertTrue(r.output().contains(" 503 {\"status\":\"database unavailable\", \"reason\":\"down\"}"), r.output());
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void nothingListeningIsUnhealthy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("health", "--port", Integer.toString(port));
        assertEquals(1, r.exit(), r.output());
        assertOneLine(r);
        assertTrue(r.output().contains("/health unreachable: "), r.output());
    }

    @Test
    void portZeroCannotBeAsked() {
        Result r = run("health", "--port", "0");
        assertEquals(1, r.exit(), r.output());
        assertOneLine(r);
    }

    @Test
    void theHelpNamesTheCommand() {
        Result r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.output().contains("dvemu-server.jar health [--port N]"), r.output());
    }
}
