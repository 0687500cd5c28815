package dev.dvemu.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.RawHttp;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests Jetty refuses before any servlet runs are answered with a Dataverse JSON error whatever their method
 * (dataverse-web-api.md §0: errors always come back as JSON), not only for GET and POST.
 */
@DvemuTest(reset = Reset.NEVER)
class EarlyErrorBodiesTest {
    static Dvemu dvemu;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** What Jetty refuses before the servlets: a request target (sent as it is) and headers, and the status. */
    private record Refused(String what, String target, List<String> headers, int status) {
    }

    static Stream<Arguments> refusedRequests() {
        String api = "/api/data/v9.2/";
        List<Refused> refused = List.of(
                new Refused("headers too large", api + "new_stocks", List.of("X-Padding: " + "a".repeat(60_000)), 431),
                new Refused("backslash in the path", api + "new_stocks\\x", List.of(), 400),
                new Refused("encoded slash in the path", api + "new_stocks%2Fx", List.of(), 400),
                new Refused("non-ASCII byte in the path", api + "new_stocks\u00ff", List.of(), 400),
                new Refused("control character in the path", api + "new_\u0001stocks", List.of(), 400));
        return refused.stream().flatMap(r -> METHODS.stream().map(m -> Arguments.of(m, r.what(), r)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("refusedRequests")
    void isAnsweredWithAJsonError(String method, String what, Refused refused) throws IOException {
        Dvemu server = dvemu;
        List<String> headers = new ArrayList<>(refused.headers());
        headers.add("Connection: close");
        RawHttp.Response r = RawHttp.exchange(server,
                RawHttp.head(method, refused.target(), RawHttp.hostOf(server), headers.toArray(String[]::new)), null);
        String where = method + " with " + what + ": " + r.status() + " " + r.headers() + " " + r.body();
        assertEquals(refused.status(), r.status(), where);
        assertNotNull(r.header("content-type"), where);
        assertTrue(r.header("content-type").startsWith("application/json"), where);
        assertEquals("4.0", r.header("odata-version"), where);
        JsonNode error = JSON.readTree(r.body().getBytes(StandardCharsets.UTF_8)).get("error");
        assertNotNull(error, where);
        assertEquals("0x0", error.get("code").asText(), where);
        assertTrue(error.get("message").asText().startsWith("Bad request - "), where);
    }
}
