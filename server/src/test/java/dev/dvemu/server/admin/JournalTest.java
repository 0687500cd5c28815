package dev.dvemu.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.dvemu.server.admin.AdminHttp.api;
import static dev.dvemu.server.admin.AdminHttp.batch;
import static dev.dvemu.server.admin.AdminHttp.json;
import static dev.dvemu.server.admin.AdminHttp.send;
import static dev.dvemu.server.admin.AdminHttp.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request journal ({@code /_dvemu/requests}): one entry per request and per {@code $batch} part, with the
 * fields and filters of the admin contract; admin calls and {@code /health} are not in it; it is bounded.
 * Runs on a server of its own, so that no other test's requests are in its journal.
 */
class JournalTest {
    private static Dvemu server;

    @BeforeAll
    static void start() throws Exception {
        server = Dvemu.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The id of the newest entry so far (0 when none): later reads ask for what came after it. */
    private static long mark() {
        JsonNode value = json(send(server, "GET", "/_dvemu/requests", null)).get("value");
        return value.isEmpty() ? 0 : value.get(value.size() - 1).get("id").asLong();
    }

    private static JsonNode entries(String query) {
        HttpResponse<String> r = send(server, "GET", "/_dvemu/requests?" + query, null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("value");
    }

    @Test
    void everyRequestIsAnEntryWithItsFieldsButAdminCallsAndHealthAreNot() {
        long since = mark();
        Instant before = Instant.now().minusSeconds(1);
        UUID id = stock(server, "journal-" + UUID.randomUUID(), 5);
        HttpResponse<String> get = api(server, "GET", "new_stocks(" + id + ")?$select=new_name", null);
        HttpResponse<String> stale = api(server, "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":1}", "If-Match", "W/\"1\"");
        assertEquals(412, stale.statusCode());
        send(server, "GET", "/health", null);
        send(server, "GET", "/_dvemu/faults", null);
        HttpResponse<String> unauthenticated = send(server, "GET", "/api/data/v9.2/new_stocks", null, "Authorization", "");

        JsonNode e = entries("since=" + since);
        assertEquals(4, e.size(), "the create, the GET, the PATCH and the unauthenticated GET: " + e);
        long previous = since;
        for (JsonNode entry : e) {
            assertTrue(entry.get("id").asLong() > previous, "ids increase");
            previous = entry.get("id").asLong();
            assertFalse(Instant.parse(entry.get("time").asText()).isBefore(before));
            assertTrue(entry.get("batch").isNull());
            assertTrue(entry.get("changeset").isNull());
            assertTrue(entry.get("contentId").isNull());
            assertTrue(entry.get("ms").asLong() >= 0);
        }
        JsonNode read = e.get(1);
        assertEquals("GET", read.get("method").asText());
        assertEquals("/api/data/v9.2/new_stocks(" + id + ")?$select=new_name", read.get("url").asText());
        assertEquals("new_stocks", read.get("table").asText());
        assertEquals(200, read.get("status").asInt());
        assertTrue(read.get("code").isNull());
        assertEquals(get.headers().firstValue("x-ms-service-request-id").orElseThrow(), read.get("requestId").asText());

        JsonNode failed = e.get(2);
        assertEquals("PATCH", failed.get("method").asText());
        assertEquals(412, failed.get("status").asInt());
        assertEquals("0x80060882", failed.get("code").asText());
        assertEquals(stale.headers().firstValue("REQ_ID").orElseThrow(), failed.get("requestId").asText());

        JsonNode denied = e.get(3);
        assertEquals(401, denied.get("status").asInt());
        assertEquals("0x80072560", denied.get("code").asText());
        assertEquals(unauthenticated.headers().firstValue("REQ_ID").orElseThrow(), denied.get("requestId").asText());
    }

    @Test
    void filtersSelectByMethodTableStatusCodeSinceAndLimit() {
        long since = mark();
        Instant start = Instant.now();
        UUID id = stock(server, "filters-" + UUID.randomUUID(), 5);
        api(server, "GET", "new_stocks(" + id + ")", null);
        api(server, "GET", "new_stocks(" + UUID.randomUUID() + ")", null); // 404
        api(server, "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":1}", "If-Match", "W/\"1\""); // 412
        api(server, "GET", "WhoAmI", null);

        String s = "since=" + since;
        assertEquals(5, entries(s).size());
        assertEquals(3, entries(s + "&method=get").size());
        assertEquals(4, entries(s + "&table=new_stocks").size());
        assertEquals(1, entries(s + "&status=412").size());
        assertEquals(2, entries(s + "&status=4xx").size());
        assertEquals(1, entries(s + "&code=0x80040217").size());
        assertEquals(2, entries(s + "&limit=2").size());
        assertEquals(since + 1, entries(s + "&limit=2").get(0).get("id").asLong(), "oldest first");
        assertTrue(entries("since=" + start).size() >= 5, "since an instant");
        assertTrue(entries(s + "&table=new_stocks&status=2xx").size() == 2);
        HttpResponse<String> count = send(server, "GET", "/_dvemu/requests/count?" + s + "&status=4xx", null);
        assertEquals(200, count.statusCode());
        assertEquals(2, json(count).get("count").asLong());
        long last = entries(s).get(4).get("id").asLong();
        assertEquals(0, entries("since=" + last).size(), "since is exclusive");
    }

    @Test
    void badFiltersAreRefusedByName() {
        HttpResponse<String> unknown = send(server, "GET", "/_dvemu/requests?stauts=412", null);
        assertEquals(400, unknown.statusCode());
        assertEquals("BadRequest", json(unknown).at("/error/code").asText());
        assertTrue(json(unknown).at("/error/message").asText().contains("stauts"));
        HttpResponse<String> status = send(server, "GET", "/_dvemu/requests/count?status=abc", null);
        assertEquals(400, status.statusCode());
        assertTrue(json(status).at("/error/message").asText().contains("status"));
        HttpResponse<String> since = send(server, "GET", "/_dvemu/requests?since=yesterday", null);
        assertEquals(400, since.statusCode());
        assertTrue(json(since).at("/error/message").asText().contains("since"));
        assertEquals(405, send(server, "POST", "/_dvemu/requests", "{}").statusCode());
        assertEquals(404, send(server, "GET", "/_dvemu/requests/nothing", null).statusCode());
    }

    @Test
    void eachBatchPartIsAnEntryWithItsStatusCodeChangesetAndContentId() {
        UUID id = stock(server, "batch-" + UUID.randomUUID(), 5);
        UUID missing = UUID.randomUUID();
        long since = mark();
        BatchBody body = BatchBody.crlf()
                .op(null, "GET", "new_stocks(" + id + ")?$select=new_name", null)
                .beginChangeset()
                .op("1", "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":4}")
                .op("2", "DELETE", "new_stocks(" + missing + ")", null)
                .endChangeset()
                .beginChangeset()
                .op("a", "PATCH", "new_stocks(" + id + ")", "{\"new_availablecount\":3}")
                .endChangeset();
        HttpResponse<String> r = send(server, "POST", "/api/data/v9.2/$batch", body.build(),
                "Content-Type", body.contentType(), "Prefer", "odata.continue-on-error");
        assertEquals(200, r.statusCode(), r.body());
        String batchId = r.headers().firstValue("REQ_ID").orElseThrow();

        JsonNode e = entries("since=" + since);
        assertEquals(5, e.size(), e.toString());
        List<String> seen = new ArrayList<>();
        for (JsonNode entry : e) {
            seen.add(entry.get("method").asText() + " " + entry.get("status").asInt() + " " + entry.get("changeset") + " " + entry.get("contentId"));
        }
        assertEquals(List.of("GET 200 null null", "PATCH 204 0 \"1\"", "DELETE 404 0 \"2\"", "PATCH 204 1 \"a\"", "POST 200 null null"), seen);
        for (int i = 0; i < 4; i++) {
            assertEquals(batchId, e.get(i).get("batch").asText());
            assertEquals("new_stocks", e.get(i).get("table").asText());
        }
        assertEquals("/api/data/v9.2/new_stocks(" + id + ")?$select=new_name", e.get(0).get("url").asText());
        assertEquals("0x80040217", e.get(2).get("code").asText());
        assertTrue(e.get(4).get("batch").isNull());
        assertEquals("/api/data/v9.2/$batch", e.get(4).get("url").asText());
        assertEquals(batchId, e.get(4).get("requestId").asText());
        assertEquals(4, entries("batch=" + batchId).size());
        assertEquals(1, entries("batch=" + batchId + "&status=404").size());
    }

    @Test
    void deleteEmptiesTheJournal() {
        api(server, "GET", "WhoAmI", null);
        assertFalse(entries("").isEmpty());
        assertEquals(204, send(server, "DELETE", "/_dvemu/requests", null).statusCode());
        assertEquals(0, entries("").size());
        api(server, "GET", "WhoAmI", null);
        assertEquals(1, entries("").size());
    }

    @Test
    void theJournalKeepsTheNewestEntriesUpToItsSizeAndCountsTheDropped() throws Exception {
        try (Dvemu small = Dvemu.start(DvemuConfig.builder().args("--journal-size", "3").build())) {
            for (int i = 0; i < 5; i++) {
                api(small, "GET", "WhoAmI?i=" + i, null);
            }
            JsonNode page = json(send(small, "GET", "/_dvemu/requests", null));
            assertEquals(3, page.get("value").size());
            assertEquals(2, page.get("dropped").asLong());
            assertEquals("/api/data/v9.2/WhoAmI?i=2", page.get("value").get(0).get("url").asText());
            assertEquals("/api/data/v9.2/WhoAmI?i=4", page.get("value").get(2).get("url").asText());
        }
    }

    @Test
    void journalSizeZeroTurnsItOff() throws Exception {
        try (Dvemu off = Dvemu.start(DvemuConfig.builder().args("--journal-size", "0").build())) {
            api(off, "GET", "WhoAmI", null);
            HttpResponse<String> r = send(off, "GET", "/_dvemu/requests", null);
            assertEquals(409, r.statusCode());
            assertTrue(json(r).at("/error/message").asText().contains("--journal-size 0"));
        }
    }
}
