package dev.dvemu.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.testkit.Dvemu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.dvemu.server.admin.AdminHttp.api;
import static dev.dvemu.server.admin.AdminHttp.json;
import static dev.dvemu.server.admin.AdminHttp.rule;
import static dev.dvemu.server.admin.AdminHttp.send;
import static dev.dvemu.server.admin.AdminHttp.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds: fault rules that stop matching operations before their writes, before their commit or before their
 * answer, so that a test can make a race happen the same way on every run. On a server of its own.
 */
@Timeout(120)
class HoldsTest {
    private static Dvemu server;
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = Dvemu.start();
    }

    @AfterAll
    static void stop() throws Exception {
        CLIENTS.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void removeRules() {
        assertEquals(204, send(server, "DELETE", "/_dvemu/faults", null).statusCode());
    }

    private static Future<HttpResponse<String>> async(String method, String path, String body, String... headers) {
        return CLIENTS.submit(() -> api(server, method, path, body, headers));
    }

    private static HttpResponse<String> await(String hold, int count) {
        HttpResponse<String> r = send(server, "POST", "/_dvemu/holds/" + hold + "/await?count=" + count + "&timeoutMs=20000", null);
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static JsonNode hold(String name) {
        for (JsonNode h : json(send(server, "GET", "/_dvemu/holds", null)).get("value")) {
            if (h.get("name").asText().equals(name)) {
                return h;
            }
        }
        throw new AssertionError("no hold " + name);
    }

    @Test
    void twoClientsHeldAfterReadingTheSameRowBothPatchWithItsEtagAndExactlyOneWins() throws Exception {
        for (int round = 0; round < 3; round++) {
            UUID id = stock(server, "race-" + UUID.randomUUID(), 10);
            String name = "read-race-" + round;
            rule(server, "{\"match\":{\"method\":\"GET\",\"table\":\"new_stocks\",\"path\":\"" + id + "\"},\"times\":2,"
                    + "\"hold\":{\"name\":\"" + name + "\",\"at\":\"beforeAnswer\",\"releaseWhen\":2,\"timeoutMs\":30000}}");
            Future<HttpResponse<String>> a = async("GET", "new_stocks(" + id + ")", null);
            Future<HttpResponse<String>> b = async("GET", "new_stocks(" + id + ")", null);
            JsonNode rowA = json(a.get(60, TimeUnit.SECONDS));
            JsonNode rowB = json(b.get(60, TimeUnit.SECONDS));
            assertEquals(2, hold(name).get("released").asLong(), "both were released by the barrier, not by a timeout");
            String etag = rowA.get("@odata.etag").asText();
            assertEquals(etag, rowB.get("@odata.etag").asText(), "both read the same version");
            assertEquals(10, rowA.get("new_availablecount").asInt());
            assertEquals(10, rowB.get("new_availablecount").asInt());

            Future<HttpResponse<String>> pa = async("PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":9}", "If-Match", etag);
            Future<HttpResponse<String>> pb = async("PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":9}", "If-Match", etag);
            List<Integer> statuses = new ArrayList<>(List.of(pa.get(60, TimeUnit.SECONDS).statusCode(), pb.get(60, TimeUnit.SECONDS).statusCode()));
            statuses.sort(null);
            assertEquals(List.of(204, 412), statuses, "round " + round);
            send(server, "DELETE", "/_dvemu/faults", null);
        }
    }

    @Test
    void aChangesetHeldBeforeItsCommitMakesAConcurrentChangesetWithTheSameEtagFail() throws Exception {
        for (int round = 0; round < 2; round++) {
            UUID id = stock(server, "cs-race-" + UUID.randomUUID(), 10);
            String etag = json(api(server, "GET", "new_stocks(" + id + ")", null)).get("@odata.etag").asText();
            String name = "commit-race-" + round;
            rule(server, "{\"match\":{\"method\":\"PATCH\",\"path\":\"" + id + "\",\"inChangeset\":true},\"times\":1,"
                    + "\"hold\":{\"name\":\"" + name + "\",\"at\":\"beforeCommit\",\"timeoutMs\":30000}}");
            Future<HttpResponse<String>> first = CLIENTS.submit(() -> changeset(id, etag, 9));
            await(name, 1);
            Future<HttpResponse<String>> second = CLIENTS.submit(() -> changeset(id, etag, 8));
            waitForALockWait();
            assertEquals(1, json(send(server, "POST", "/_dvemu/holds/" + name + "/release", null)).get("released").asInt());
            HttpResponse<String> a = first.get(60, TimeUnit.SECONDS);
            HttpResponse<String> b = second.get(60, TimeUnit.SECONDS);
            assertEquals(200, a.statusCode(), a.body());
            assertEquals(List.of(204), BatchBody.statuses(a.body()));
            assertEquals(400, b.statusCode(), b.body());
            assertEquals(List.of(412), BatchBody.statuses(b.body()));
            assertEquals(9, json(api(server, "GET", "new_stocks(" + id + ")", null)).get("new_availablecount").asInt());
        }
    }

    private static HttpResponse<String> changeset(UUID id, String etag, int count) {
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":" + count + "}", "If-Match: " + etag)
                .endChangeset();
        return AdminHttp.batch(server, body.contentType(), body.build());
    }

    /** Waits (up to 10 s) until a session of the database waits for a lock: the second writer is blocked. */
    private static void waitForALockWait() throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", null); Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
                    r.next();
                    if (r.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the second changeset never waited for the row lock");
    }

    @Test
    void aStandaloneWriteHeldBeforeCommitHasWrittenInAnOpenTransaction() throws Exception {
        UUID id = stock(server, "held-commit-" + UUID.randomUUID(), 10);
        rule(server, "{\"match\":{\"method\":\"PATCH\",\"path\":\"" + id + "\"},\"hold\":{\"name\":\"standalone-commit\",\"at\":\"beforeCommit\"}}");
        Future<HttpResponse<String>> patch = async("PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":3}");
        await("standalone-commit", 1);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", null); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select string_agg(query, ' | ') from pg_stat_activity where state = 'idle in transaction'")) {
            r.next();
            String open = r.getString(1);
            assertTrue(open != null && open.toLowerCase(java.util.Locale.ROOT).contains("update"),
                    "the UPDATE ran in a transaction that is not committed yet: " + open);
        }
        assertEquals(10, json(api(server, "GET", "new_stocks(" + id + ")", null)).get("new_availablecount").asInt(), "not visible yet");
        assertFalse(patch.isDone());
        send(server, "POST", "/_dvemu/holds/standalone-commit/release", null);
        assertEquals(204, patch.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(3, json(api(server, "GET", "new_stocks(" + id + ")", null)).get("new_availablecount").asInt());
    }

    @Test
    void aWriteHeldBeforeWriteHasNotTouchedTheRowSoAnotherWriterWinsAndItGets412() throws Exception {
        UUID id = stock(server, "held-write-" + UUID.randomUUID(), 10);
        String etag = json(api(server, "GET", "new_stocks(" + id + ")", null)).get("@odata.etag").asText();
        rule(server, "{\"match\":{\"method\":\"PATCH\",\"path\":\"" + id + "\"},\"times\":1,\"hold\":{\"name\":\"before-write\",\"at\":\"beforeWrite\"}}");
        Future<HttpResponse<String>> held = async("PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":1}", "If-Match", etag);
        await("before-write", 1);
        assertEquals(204, api(server, "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":2}", "If-Match", etag).statusCode(),
                "the held write holds no lock");
        send(server, "POST", "/_dvemu/holds/before-write/release", null);
        assertEquals(412, held.get(60, TimeUnit.SECONDS).statusCode());
        assertEquals(2, json(api(server, "GET", "new_stocks(" + id + ")", null)).get("new_availablecount").asInt());
    }

    @Test
    void aHeldOperationProceedsByItselfAfterItsTimeout() throws Exception {
        UUID id = stock(server, "timeout-" + UUID.randomUUID(), 10);
        rule(server, "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"hold\":{\"name\":\"short\",\"at\":\"beforeAnswer\",\"timeoutMs\":300}}");
        long start = System.nanoTime();
        assertEquals(200, api(server, "GET", "new_stocks(" + id + ")", null).statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300);
        JsonNode h = hold("short");
        assertEquals(0, h.get("held").asInt());
        assertEquals(0, h.get("released").asLong(), "let go by its timeout, not released");
    }

    @Test
    void deletingTheRulesReleasesEverythingHeld() throws Exception {
        UUID id = stock(server, "release-all-" + UUID.randomUUID(), 10);
        rule(server, "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"hold\":{\"name\":\"forever\",\"at\":\"beforeWrite\",\"timeoutMs\":600000}}");
        Future<HttpResponse<String>> a = async("GET", "new_stocks(" + id + ")", null);
        Future<HttpResponse<String>> b = async("GET", "new_stocks(" + id + ")", null);
        JsonNode awaited = json(await("forever", 2));
        assertEquals(2, awaited.get("held").asInt());
        assertEquals(2, hold("forever").get("held").asInt());
        assertEquals(204, send(server, "DELETE", "/_dvemu/faults", null).statusCode());
        assertEquals(200, a.get(20, TimeUnit.SECONDS).statusCode());
        assertEquals(200, b.get(20, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void releaseAnswersHowManyWereLetGoAndAwaitTimesOut() throws Exception {
        UUID id = stock(server, "release-" + UUID.randomUUID(), 10);
        rule(server, "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"hold\":{\"name\":\"manual\",\"at\":\"beforeWrite\"}}");
        Future<HttpResponse<String>> a = async("GET", "new_stocks(" + id + ")", null);
        await("manual", 1);
        HttpResponse<String> timeout = send(server, "POST", "/_dvemu/holds/manual/await?count=2&timeoutMs=200", null);
        assertEquals(408, timeout.statusCode());
        assertEquals("Timeout", json(timeout).at("/error/code").asText());
        HttpResponse<String> released = send(server, "POST", "/_dvemu/holds/manual/release", null);
        assertEquals(200, released.statusCode());
        assertEquals(1, json(released).get("released").asInt());
        assertEquals(200, a.get(20, TimeUnit.SECONDS).statusCode());
        assertEquals(0, json(send(server, "POST", "/_dvemu/holds/nobody/release", null)).get("released").asInt());
        assertEquals(1, hold("manual").get("released").asLong());
    }

    @Test
    void badHoldCallsAreRefused() {
        assertEquals(400, send(server, "POST", "/_dvemu/holds/x/await?count=zero", null).statusCode());
        assertEquals(400, send(server, "POST", "/_dvemu/holds/x/await?timeoutMs=-1", null).statusCode());
        assertEquals(400, send(server, "POST", "/_dvemu/holds/bad%20name/release", null).statusCode());
        assertEquals(404, send(server, "POST", "/_dvemu/holds/x/open", null).statusCode());
        assertEquals(405, send(server, "GET", "/_dvemu/holds/x/release", null).statusCode());
        assertEquals(405, send(server, "POST", "/_dvemu/holds", null).statusCode());
    }
}
