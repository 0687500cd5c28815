package dev.dvemu.server.http;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --service-protection}: Dataverse's service protection limits per user (bearer token) over a sliding window,
 * answered 429 with Dataverse's code, message and an integer-seconds {@code Retry-After} (dataverse-features.md §a,
 * dataverse-web-api.md §7). Each test starts its own server with small limits and uses its own tokens.
 */
@DvemuTest(reset = Reset.NEVER)
class ServiceProtectionTest {
    static Dvemu dvemu;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CODE = Pattern.compile("\"code\":\"([^\"]*)\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"([^\"]*)\"");

    @Test
    void theRequestPastTheLimitIsAnswered429WithDataversesCodeMessageAndRetryAfter() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "3", "--sp-window", "30").build())) {
            String token = token();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(server, token, "accounts?$top=1").statusCode());
            }
            HttpResponse<String> refused = get(server, token, "accounts?$top=1");
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("0x80072322", code(refused));
            assertEquals("Number of requests exceeded the limit of 3 over time window of 30 seconds.", message(refused));
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            long retryAfter = retryAfter(refused);
            assertTrue(retryAfter >= 20 && retryAfter <= 30,
                    "the first request leaves the 30 s window in about 30 s, not " + retryAfter);
        }
    }

    @Test
    @Timeout(60)
    void afterRetryAfterTheNextRequestIsLetIn() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "2", "--sp-window", "2").build())) {
            String token = token();
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode());
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode());
            HttpResponse<String> refused = get(server, token, "accounts?$top=1");
            assertEquals(429, refused.statusCode(), refused.body());
            long retryAfter = retryAfter(refused);
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            assertEquals(429, get(server, token, "accounts?$top=1").statusCode(), "still inside the window");
            Thread.sleep(retryAfter * 1000);
            HttpResponse<String> again = get(server, token, "accounts?$top=1");
            assertEquals(200, again.statusCode(), "a client that waits Retry-After is let in: " + again.body());
        }
    }

    @Test
    void anotherTokenIsNotAffected() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "1", "--sp-window", "60").build())) {
            String throttled = token();
            assertEquals(200, get(server, throttled, "accounts?$top=1").statusCode());
            assertEquals(429, get(server, throttled, "accounts?$top=1").statusCode());
            String other = token();
            assertEquals(200, get(server, other, "accounts?$top=1").statusCode());
            assertEquals(429, get(server, other, "accounts?$top=1").statusCode(), "and it has a window of its own");
        }
    }

    @Test
    void aBatchCountsAsOneRequestAndIsRefusedAsAWholeWithPlainJson() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "2", "--sp-window", "60").build())) {
            String token = token();
            HttpResponse<String> batch = batch(server, token, 3);
            assertEquals(200, batch.statusCode(), batch.body());
            assertEquals(3, batch.body().split("HTTP/1.1 200").length - 1, batch.body());
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode(), "three GETs in a $batch count once");
            HttpResponse<String> refused = batch(server, token, 3);
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("0x80072322", code(refused));
            assertTrue(retryAfter(refused) >= 1);
        }
    }

    @Test
    void healthAndTheAdminApiAreNotCounted() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "1", "--sp-window", "60").build())) {
            String token = token();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(server, token, "GET", "/health", null, null).statusCode());
                assertNotEquals(429, send(server, token, "GET", "/_dvemu/nosuch", null, null).statusCode());
            }
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode(), "the first counted request");
            assertEquals(429, get(server, token, "accounts?$top=1").statusCode());
            assertEquals(200, send(server, token, "GET", "/health", null, null).statusCode(), "never throttled");
        }
    }

    @Test
    void everyApiVersionPathIsCountedInTheSameWindow() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "2", "--sp-window", "60").build())) {
            String token = token();
            assertEquals(200, send(server, token, "GET", "/api/data/v9.0/accounts?$top=1", null, null).statusCode());
            assertEquals(200, send(server, token, "GET", "/api/data/v9.1/accounts?$top=1", null, null).statusCode());
            assertEquals(429, send(server, token, "GET", "/api/data/v9.2/accounts?$top=1", null, null).statusCode());
        }
    }

    @Test
    void requestsWithoutATokenShareOneWindowWithAllowAnonymous() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--allow-anonymous", "--service-protection", "--sp-requests", "2",
                "--sp-window", "60").build())) {
            assertEquals(200, get(server, null, "accounts?$top=1").statusCode());
            assertEquals(200, get(server, null, "accounts?$top=1").statusCode());
            HttpResponse<String> refused = get(server, null, "accounts?$top=1");
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("0x80072322", code(refused));
            assertEquals(200, get(server, token(), "accounts?$top=1").statusCode(), "a token has its own window");
        }
    }

    /** The limiter is behind the auth filter: with the anonymous window full, a request without a token is still a 401. */
    @Test
    void aRequestRefused401IsNotCounted() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-requests", "1", "--sp-window", "60").build())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(401, get(server, null, "accounts?$top=1").statusCode());
                assertEquals(401, send(server, null, "GET", "/api/data/v9.2/accounts?$top=1", null, "Bearer  ").statusCode());
            }
            assertEquals(200, get(server, token(), "accounts?$top=1").statusCode());
        }
    }

    @Test
    @Timeout(60)
    void theConcurrencyLimitIsRefusedAtOnceAndFreedWhenRequestsEnd() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-concurrent", "2").build())) {
            String token = token();
            UUID row = stock(server, token);
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            try (Connection lock = lockRow(server, row)) {
                for (int i = 0; i < 2; i++) {
                    held.add(CompletableFuture.supplyAsync(() -> patchStock(server, token, row)));
                }
                awaitWaitingBackends(2);
                HttpResponse<String> refused = get(server, token, "accounts?$top=1");
                assertEquals(429, refused.statusCode(), refused.body());
                assertEquals("0x80072326", code(refused));
                assertEquals("Number of concurrent requests exceeded the limit of 2.", message(refused));
                assertEquals(1, retryAfter(refused));
                assertEquals(200, get(server, token(), "accounts?$top=1").statusCode(), "another user is not affected");
                lock.rollback();
            }
            for (CompletableFuture<HttpResponse<String>> h : held) {
                assertEquals(204, h.get().statusCode(), h.get().body());
            }
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode(), "both ended: room again");
        }
    }

    @Test
    @Timeout(60)
    void theCombinedExecutionTimeLimitCountsTheWallTimeOfEndedRequests() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--service-protection", "--sp-execution-time", "1", "--sp-window", "3").build())) {
            String token = token();
            UUID row = stock(server, token);
            CompletableFuture<HttpResponse<String>> slow;
            try (Connection lock = lockRow(server, row)) {
                slow = CompletableFuture.supplyAsync(() -> patchStock(server, token, row));
                awaitWaitingBackends(1);
                Thread.sleep(1200);
                HttpResponse<String> meanwhile = get(server, token, "accounts?$top=1");
                assertEquals(200, meanwhile.statusCode(), "a running request's time counts only when it ends");
                lock.rollback();
            }
            assertEquals(204, slow.get().statusCode());
            HttpResponse<String> refused = get(server, token, "accounts?$top=1");
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("0x80072321", code(refused));
            assertEquals("Combined execution time of incoming requests exceeded limit of 1,000 milliseconds over time window of 3 seconds. "
                    + "Decrease number of concurrent requests or reduce the duration of requests and try again later.", message(refused));
            long retryAfter = retryAfter(refused);
            assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
            assertEquals(200, get(server, token(), "accounts?$top=1").statusCode(), "another user is not affected");
            Thread.sleep(retryAfter * 1000);
            assertEquals(200, get(server, token, "accounts?$top=1").statusCode(), "the slow request left the window");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String token() {
        return "sp-" + UUID.randomUUID();
    }

    private static HttpResponse<String> get(Dvemu server, String token, String relative) throws Exception {
        return send(server, token, "GET", "/api/data/v9.2/" + relative, null, null);
    }

    private static HttpResponse<String> send(Dvemu server, String token, String method, String path, String body,
                                             String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
        if (authorization != null) {
            b.header("Authorization", authorization);
        } else if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> batch(Dvemu server, String token, int gets) throws Exception {
        String boundary = "batch_" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < gets; i++) {
            body.append("--").append(boundary).append("\r\n")
                    .append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                    .append("GET accounts?$top=1 HTTP/1.1\r\nAccept: application/json\r\n\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/data/v9.2/$batch"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/mixed; boundary=" + boundary)
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) {
        Matcher m = CODE.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private static String message(HttpResponse<String> r) {
        Matcher m = MESSAGE.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private static long retryAfter(HttpResponse<String> r) {
        String value = r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After on " + r.body()));
        assertTrue(value.matches("\\d+"), "Retry-After is whole seconds: " + value);
        return Long.parseLong(value);
    }

    private static UUID stock(Dvemu server, String token) throws Exception {
        UUID id = UUID.randomUUID();
        HttpResponse<String> r = send(server, token, "PATCH", "/api/data/v9.2/new_stocks(" + id + ")",
                "{\"new_name\":\"sp\",\"new_availablecount\":0}", null);
        assertEquals(204, r.statusCode(), r.body());
        return id;
    }

    private static HttpResponse<String> patchStock(Dvemu server, String token, UUID row) {
        try {
            return send(server, token, "PATCH", "/api/data/v9.2/new_stocks(" + row + ")", "{\"new_availablecount\":1}", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transaction that holds the row's lock until it is rolled back: writes to the row wait in the server. */
    private static Connection lockRow(Dvemu server, UUID row) throws Exception {
        Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", null);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM new_stock WHERE new_stockid = ? FOR UPDATE")) {
            ps.setObject(1, row);
            ps.executeQuery().close();
        }
        return c;
    }

    /** Polls on a connection of its own: within a transaction PostgreSQL answers pg_stat_activity from a snapshot. */
    private static void awaitWaitingBackends(int count) throws Exception {
        try (Connection c = DriverManager.getConnection(dvemu.jdbcUrl(), "postgres", null)) {
            awaitWaitingBackends(c, count);
        }
    }

    private static void awaitWaitingBackends(Connection c, int count) throws Exception {
        for (int i = 0; i < 800; i++) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dvemu'"
                         + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                rs.next();
                if (rs.getInt(1) >= count) {
                    return;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the server's requests never waited for the locked row");
    }
}
