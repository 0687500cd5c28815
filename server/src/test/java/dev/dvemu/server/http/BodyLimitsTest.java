package dev.dvemu.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.RawHttp;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies over the limit (16 MiB for JSON, 64 MiB for {@code $batch}) are refused with Dataverse's 413 as soon as the
 * limit is known to be passed: at once for a declared Content-Length, when the limit is crossed for a chunked body,
 * never after reading (or waiting for) the rest.
 */
@DvemuTest(reset = Reset.NEVER)
class BodyLimitsTest {
    static Dvemu dvemu;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MiB = 1024 * 1024;

    @Test
    void declaredLengthOverTheJsonLimitIs413BeforeAnyBodyIsSent() throws IOException {
        assertAnswered413WithoutBody("/api/data/v9.2/new_stocks", 16L * MiB + 1);
    }

    @Test
    void declaredLengthOverTheBatchLimitIs413BeforeAnyBodyIsSent() throws IOException {
        assertAnswered413WithoutBody("/api/data/v9.2/$batch", 64L * MiB + 1);
    }

    @Test
    void batchBodyBetweenTheTwoLimitsIsReadAndParsed() throws IOException {
        Dvemu server = dvemu;
        byte[] body = new byte[20 * MiB];
        Arrays.fill(body, (byte) 'x');
        RawHttp.Response r = RawHttp.exchange(server, RawHttp.head("POST", "/api/data/v9.2/$batch", RawHttp.hostOf(server),
                "Content-Type: multipart/mixed; boundary=batch_1", "Content-Length: " + body.length, "Connection: close"), body);
        assertNotEquals(413, r.status(), r.body());
        assertEquals(400, r.status(), "not a batch, but within the size allowed: " + r.body());
    }

    @Test
    void chunkedBodyGrowingPastTheLimitIs413WithoutReadingTheRest() throws Exception {
        Dvemu server = dvemu;
        try (Socket s = RawHttp.connect(server)) {
            OutputStream out = s.getOutputStream();
            out.write(RawHttp.head("POST", "/api/data/v9.2/new_stocks", RawHttp.hostOf(server),
                    "Content-Type: application/json", "Transfer-Encoding: chunked"));
            // one chunk past the limit, and no last chunk: the server must not wait for the end; written on its own
            // thread, since the server stops reading (and closes) once the limit is passed
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[MiB];
                Arrays.fill(chunk, (byte) ' ');
                try {
                    for (int i = 0; i < 17; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // expected once the server has answered
                }
            });
            writer.start();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertTooLarge(r);
            writer.join();
        }
    }

    private static void assertAnswered413WithoutBody(String path, long declared) throws IOException {
        Dvemu server = dvemu;
        try (Socket s = RawHttp.connect(server)) {
            s.getOutputStream().write(RawHttp.head("POST", path, RawHttp.hostOf(server),
                    "Content-Type: application/json", "Content-Length: " + declared));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertTooLarge(r);
            assertEquals("close", r.header("connection"), "the unread body ends the connection");
            assertTrue(RawHttp.closedByServer(s), "the connection is closed");
        }
    }

    private static void assertTooLarge(RawHttp.Response r) throws IOException {
        assertEquals(413, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        assertEquals("4.0", r.header("odata-version"));
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("0x8004418a", error.get("code").asText());
        assertEquals("Request message length is too large.", error.get("message").asText());
    }
}
