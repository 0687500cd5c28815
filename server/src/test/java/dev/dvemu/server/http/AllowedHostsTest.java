package dev.dvemu.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.RawHttp;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS rebinding: a web page on another site must not reach a server on the developer's loopback address by
 * pointing its own name at 127.0.0.1. Bound to loopback, the server answers only requests for a loopback name,
 * the host of --public-url and the names of --allowed-hosts; bound to any other address it checks nothing.
 */
@DvemuTest(reset = Reset.NEVER)
class AllowedHostsTest {
    static Dvemu dvemu;

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:5555", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:5555"})
    void loopbackNamesWithAnyPortAreServed(String host) throws IOException {
        assertEquals(200, get(dvemu, "/api/data/v9.2/new_stocks?$top=1", host).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/data/v9.2/new_stocks?$top=1", "/health", "/no/such/path"})
    void anyOtherHostIsRefusedOnEveryPath(String path) throws IOException {
        assertInvalidHostname(get(dvemu, path, "rebind.example:5555"), "rebind.example");
    }

    @Test
    void theHostIsCheckedBeforeAuthentication() throws IOException {
        Dvemu server = dvemu;
        RawHttp.Response r = RawHttp.exchange(server, ("GET /api/data/v9.2/new_stocks HTTP/1.1\r\nHost: rebind.example\r\n"
                + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), null);
        assertInvalidHostname(r, "rebind.example");
    }

    @Test
    void aNameLookingLikeLoopbackIsStillAnotherName() throws IOException {
        assertInvalidHostname(get(dvemu, "/health", "localhost.rebind.example"), "localhost.rebind.example");
    }

    @Test
    void allowedHostsAddNames() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--allowed-hosts", "dv.test, other.test").build())) {
            assertEquals(200, get(server, "/health", "dv.test:8080").status());
            assertEquals(200, get(server, "/health", "other.test").status());
            assertEquals(200, get(server, "/health", "localhost").status());
            assertInvalidHostname(get(server, "/health", "third.test"), "third.test");
        }
    }

    @Test
    void theHostOfThePublicUrlIsAllowed() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--public-url", "https://dv.example.com/prefix/").build())) {
            assertEquals(200, get(server, "/health", "dv.example.com").status());
            assertInvalidHostname(get(server, "/health", "example.com"), "example.com");
        }
    }

    /** A star among the allowed names, or a server bound to all addresses: no Host is checked. */
    @ParameterizedTest
    @ValueSource(strings = {"--allowed-hosts=*", "--bind=0.0.0.0"})
    void noHostIsCheckedWith(String option) throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args(option).build())) {
            assertEquals(200, get(server, "/health", "anything.example").status());
        }
    }

    private static RawHttp.Response get(Dvemu server, String path, String host) throws IOException {
        return RawHttp.exchange(server, RawHttp.head("GET", path, host, "Connection: close"), null);
    }

    private static void assertInvalidHostname(RawHttp.Response r, String host) throws IOException {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        assertEquals("4.0", r.header("odata-version"));
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("0x0", error.get("code").asText());
        String message = error.get("message").asText();
        assertTrue(message.startsWith("Bad request - Invalid Hostname '" + host + "'"), message);
        assertTrue(message.contains("--allowed-hosts"), message);
    }
}
