package dev.dvemu.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.RawHttp;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.dvemu.server.admin.AdminHttp.api;
import static dev.dvemu.server.admin.AdminHttp.json;
import static dev.dvemu.server.admin.AdminHttp.rule;
import static dev.dvemu.server.admin.AdminHttp.send;
import static dev.dvemu.server.admin.AdminHttp.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault rules ({@code /_dvemu/faults}): validation, listing and deletion, and each action — respond (standalone
 * and inside a changeset, which then rolls back), latency, drop after commit, probability with a seed. On a server
 * of its own: rules are per instance, and every test removes its rules afterwards.
 */
@DvemuTest(reset = Reset.EACH_CLASS) // a server to itself: reset as the class starts, no other class meanwhile
class FaultsTest {
    private static Dvemu server;

    @AfterEach
    void removeRules() {
        assertEquals(204, send(server, "DELETE", "/_dvemu/faults", null).statusCode());
    }

    private static void refused(String body, String field) {
        HttpResponse<String> r = send(server, "POST", "/_dvemu/faults", body);
        assertEquals(400, r.statusCode(), body + " → " + r.body());
        assertEquals("BadRequest", json(r).at("/error/code").asText());
        assertTrue(json(r).at("/error/message").asText().contains(field), r.body() + " should name " + field);
    }

    @Test
    void aWrongRuleIsRefusedNamingTheBadField() {
        refused("{\"match\":{\"table\":\"no_such_things\"},\"respond\":{\"status\":429}}", "match.table");
        refused("{\"match\":{\"method\":\"FETCH\"},\"respond\":{\"status\":429}}", "match.method");
        refused("{\"match\":{\"path\":\"(\"},\"respond\":{\"status\":429}}", "match.path");
        refused("{\"match\":{\"inChangeset\":\"yes\"},\"respond\":{\"status\":429}}", "match.inChangeset");
        refused("{\"match\":{\"tabel\":\"new_stocks\"},\"respond\":{\"status\":429}}", "match.tabel");
        refused("{\"respond\":{\"status\":200}}", "respond.status");
        refused("{\"respond\":{\"code\":\"0x1\"}}", "respond.status");
        refused("{\"respond\":{\"status\":429,\"retryAfter\":-1}}", "respond.retryAfter");
        refused("{\"times\":0,\"respond\":{\"status\":429}}", "times");
        refused("{\"probability\":1.5,\"respond\":{\"status\":429}}", "probability");
        refused("{\"latencyMs\":\"slow\"}", "latencyMs");
        refused("{\"drop\":\"beforeCommit\"}", "drop");
        refused("{\"hold\":{\"name\":\"x\",\"at\":\"later\"}}", "hold.at");
        refused("{\"hold\":{\"name\":\"a b\",\"at\":\"beforeWrite\"}}", "hold.name");
        refused("{\"hold\":{\"name\":\"x\",\"at\":\"beforeWrite\",\"timeoutMs\":0}}", "hold.timeoutMs");
        refused("{\"respond\":{\"status\":429},\"latencyMs\":10}", "exactly one");
        refused("{\"match\":{}}", "exactly one");
        refused("{\"respnd\":{\"status\":429}}", "respnd");
        refused("[1]", "JSON object");
        HttpResponse<String> notJson = send(server, "POST", "/_dvemu/faults", "{nope");
        assertEquals(400, notJson.statusCode());
        assertEquals("[]", json(send(server, "GET", "/_dvemu/faults", null)).get("value").toString(), "nothing was added");
    }

    @Test
    void rulesAreListedWithTheirCountersAndDeletedOneByOne() {
        HttpResponse<String> created = send(server, "POST", "/_dvemu/faults",
                "{\"match\":{\"method\":\"patch\",\"table\":\"new_stocks\",\"path\":\"^new_stocks\\\\(\",\"inChangeset\":false},"
                        + "\"times\":3,\"respond\":{\"status\":503}}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode rule = json(created);
        long id = rule.get("id").asLong();
        assertEquals("PATCH", rule.at("/match/method").asText());
        assertEquals("0x80040216", rule.at("/respond/code").asText(), "the default code of a 503");
        long other = rule(server, "{\"latencyMs\":1,\"match\":{\"table\":\"new_bookings\"}}");
        assertNotEquals(id, other);

        JsonNode list = json(send(server, "GET", "/_dvemu/faults", null)).get("value");
        assertEquals(2, list.size());
        assertEquals(id, list.get(0).get("id").asLong());
        assertEquals(0, list.get(0).get("matched").asLong());
        assertEquals(3, list.get(0).get("remaining").asLong());
        assertTrue(list.get(1).get("remaining").isNull(), "unlimited");
        assertEquals(200, send(server, "GET", "/_dvemu/faults/" + id, null).statusCode());

        assertEquals(204, send(server, "DELETE", "/_dvemu/faults/" + id, null).statusCode());
        assertEquals(404, send(server, "DELETE", "/_dvemu/faults/" + id, null).statusCode());
        assertEquals(404, send(server, "GET", "/_dvemu/faults/" + id, null).statusCode());
        assertEquals(1, json(send(server, "GET", "/_dvemu/faults", null)).get("value").size());
        assertEquals(204, send(server, "DELETE", "/_dvemu/faults", null).statusCode());
        assertEquals(0, json(send(server, "GET", "/_dvemu/faults", null)).get("value").size());
    }

    @Test
    void a429RuleWithRetryAfterAnswersTheNextTwoMatchesOnly() {
        UUID id = stock(server, "throttled-" + UUID.randomUUID(), 5);
        long rule = rule(server, "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"times\":2,"
                + "\"respond\":{\"status\":429,\"retryAfter\":7}}");
        UUID other = stock(server, "not-throttled-" + UUID.randomUUID(), 5);
        assertEquals(200, api(server, "GET", "new_stocks(" + other + ")", null).statusCode(), "another row does not match");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = api(server, "GET", "new_stocks(" + id + ")", null);
            assertEquals(429, r.statusCode());
            assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals("0x80072322", json(r).at("/error/code").asText());
            assertTrue(json(r).at("/error/message").asText().startsWith("Number of requests exceeded"));
        }
        assertEquals(200, api(server, "GET", "new_stocks(" + id + ")", null).statusCode(), "the third is served");
        JsonNode listed = json(send(server, "GET", "/_dvemu/faults/" + rule, null));
        assertEquals(2, listed.get("matched").asLong());
        assertEquals(0, listed.get("remaining").asLong());
    }

    @Test
    void a500RuleInsideAChangesetRollsBackTheRowsOfEarlierPartsAndIsAnsweredAsARealFailure() {
        UUID target = stock(server, "cs-target-" + UUID.randomUUID(), 5);
        UUID created = UUID.randomUUID();
        UUID patched = stock(server, "cs-patched-" + UUID.randomUUID(), 5);
        rule(server, "{\"match\":{\"method\":\"PATCH\",\"table\":\"new_stocks\",\"path\":\"" + target + "\",\"inChangeset\":true},"
                + "\"respond\":{\"status\":500}}");
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_stockid\":\"" + created + "\",\"new_name\":\"cs-created\",\"new_availablecount\":1,\"new_bookedcount\":0}")
                .op("2", "PATCH", "new_stocks(" + patched + ")", "{\"new_availablecount\":99}")
                .op("3", "PATCH", "new_stocks(" + target + ")", "{\"new_availablecount\":0}")
                .endChangeset();
        HttpResponse<String> r = AdminHttp.batch(server, body.contentType(), body.build());
        assertEquals(400, r.statusCode(), "the batch stops at the failed changeset: " + r.body());
        assertEquals(List.of(500), BatchBody.statuses(r.body()), "answered by the failing part alone");
        assertTrue(r.body().contains("0x80044150"), r.body());
        assertTrue(r.body().contains("Content-ID: 3"), r.body());
        assertTrue(r.body().contains("changesetresponse_"), r.body());

        assertEquals(404, api(server, "GET", "new_stocks(" + created + ")", null).statusCode(), "the create was rolled back");
        assertEquals(5, json(api(server, "GET", "new_stocks(" + patched + ")", null)).get("new_availablecount").asInt(),
                "the update was rolled back");

        // a real failure of the same part (a 412 from a stale ETag) has the same answer shape
        send(server, "DELETE", "/_dvemu/faults", null);
        BatchBody real = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_name\":\"cs-created-2\",\"new_availablecount\":1,\"new_bookedcount\":0}")
                .op("3", "PATCH", "new_stocks(" + target + ")", "{\"new_availablecount\":0}", "If-Match: W/\"1\"")
                .endChangeset();
        HttpResponse<String> realAnswer = AdminHttp.batch(server, real.contentType(), real.build());
        assertEquals(400, realAnswer.statusCode());
        assertEquals(List.of(412), BatchBody.statuses(realAnswer.body()));
        assertEquals(shape(realAnswer.body()), shape(r.body()));
    }

    /** The lines of a batch answer with boundaries, statuses and bodies blanked: what framing a client sees. */
    private static List<String> shape(String batchAnswer) {
        List<String> out = new ArrayList<>();
        for (String line : batchAnswer.split("\r\n")) {
            if (line.startsWith("--")) {
                out.add(line.endsWith("--") ? "--end" : "--");
            } else if (line.startsWith("HTTP/1.1")) {
                out.add("HTTP/1.1");
            } else if (line.startsWith("{")) {
                out.add("{body}");
            } else if (line.contains(": ")) {
                out.add(line.substring(0, line.indexOf(':')) + (line.startsWith("Content-Type") ? line.substring(line.indexOf(':')).replaceAll("boundary=.*", "") : ""));
            } else {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void latencyDelaysTheMatchingOperations() {
        UUID id = stock(server, "slow-" + UUID.randomUUID(), 5);
        rule(server, "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"latencyMs\":600}");
        long start = System.nanoTime();
        HttpResponse<String> r = api(server, "GET", "new_stocks(" + id + ")", null);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms >= 600, "answered after " + ms + " ms");
        JsonNode entry = json(send(server, "GET", "/_dvemu/requests?method=GET&table=new_stocks", null)).get("value");
        assertTrue(entry.get(entry.size() - 1).get("ms").asLong() >= 600, "the journal shows the delay");
    }

    @Test
    void probabilityWithASeedMatchesTheSameOperationsOnEveryRun() {
        UUID id = stock(server, "dice-" + UUID.randomUUID(), 5);
        String rule = "{\"match\":{\"method\":\"GET\",\"path\":\"" + id + "\"},\"probability\":0.5,\"seed\":42,\"respond\":{\"status\":503}}";
        List<Integer> first = statuses(rule, id);
        send(server, "DELETE", "/_dvemu/faults", null);
        List<Integer> second = statuses(rule, id);
        assertEquals(first, second);
        assertTrue(first.contains(503) && first.contains(200), "some match, some do not: " + first);
    }

    private static List<Integer> statuses(String rule, UUID id) {
        long ruleId = rule(server, rule);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            out.add(api(server, "GET", "new_stocks(" + id + ")", null).statusCode());
        }
        long failed = out.stream().filter(s -> s == 503).count();
        assertEquals(failed, json(send(server, "GET", "/_dvemu/faults/" + ruleId, null)).get("matched").asLong());
        return out;
    }

    @Test
    void dropAfterCommitWritesTheRowAndClosesTheConnectionWithoutAnAnswer() throws Exception {
        UUID id = UUID.randomUUID();
        rule(server, "{\"match\":{\"method\":\"POST\",\"table\":\"new_stocks\"},\"times\":1,\"drop\":\"afterCommit\"}");
        byte[] body = ("{\"new_stockid\":\"" + id + "\",\"new_name\":\"dropped\",\"new_availablecount\":2,\"new_bookedcount\":0}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket s = RawHttp.connect(server)) {
            s.getOutputStream().write(RawHttp.head("POST", "/api/data/v9.2/new_stocks", RawHttp.hostOf(server),
                    "Content-Type: application/json", "Content-Length: " + body.length));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            assertTrue(RawHttp.closedByServer(s), "the connection is closed without a byte of answer");
        }
        HttpResponse<String> row = api(server, "GET", "new_stocks(" + id + ")", null);
        assertEquals(200, row.statusCode(), "the write committed");
        assertEquals("dropped", json(row).get("new_name").asText());
        JsonNode entries = json(send(server, "GET", "/_dvemu/requests?method=POST&status=0", null)).get("value");
        assertFalse(entries.isEmpty(), "the journal shows the dropped answer as status 0");
        // the rule matched once: the next create is answered
        assertEquals(204, api(server, "POST", "new_stocks", "{\"new_name\":\"answered\",\"new_availablecount\":1,\"new_bookedcount\":0}").statusCode());
    }

    @Test
    void dropAfterCommitOfAChangesetPartDropsTheWholeBatchAfterTheCommit() throws Exception {
        UUID id = UUID.randomUUID();
        UUID patched = stock(server, "drop-cs-" + UUID.randomUUID(), 5);
        rule(server, "{\"match\":{\"method\":\"PATCH\",\"path\":\"" + patched + "\",\"inChangeset\":true},\"drop\":\"afterCommit\"}");
        BatchBody batch = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_stockid\":\"" + id + "\",\"new_name\":\"drop-cs\",\"new_availablecount\":1,\"new_bookedcount\":0}")
                .op("2", "PATCH", "new_stocks(" + patched + ")", "{\"new_availablecount\":1}")
                .endChangeset();
        byte[] body = batch.build().getBytes(StandardCharsets.UTF_8);
        try (Socket s = RawHttp.connect(server)) {
            s.getOutputStream().write(RawHttp.head("POST", "/api/data/v9.2/$batch", RawHttp.hostOf(server),
                    "Content-Type: " + batch.contentType(), "Content-Length: " + body.length));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            assertTrue(RawHttp.closedByServer(s));
        }
        assertEquals(200, api(server, "GET", "new_stocks(" + id + ")", null).statusCode(), "the changeset committed");
        assertEquals(1, json(api(server, "GET", "new_stocks(" + patched + ")", null)).get("new_availablecount").asInt());
    }

    @Test
    void aFailedOperationIsAnsweredNotDropped() {
        rule(server, "{\"match\":{\"method\":\"DELETE\",\"table\":\"new_stocks\"},\"drop\":\"afterCommit\"}");
        assertEquals(404, api(server, "DELETE", "new_stocks(" + UUID.randomUUID() + ")", null).statusCode(),
                "nothing was committed, so there is no answer to lose");
    }

    @Test
    void adminCallsAndHealthAreNeverMatched() {
        rule(server, "{\"respond\":{\"status\":503}}");
        assertEquals(200, send(server, "GET", "/health", null).statusCode());
        assertEquals(200, send(server, "GET", "/_dvemu/faults", null).statusCode());
        assertEquals(503, api(server, "GET", "WhoAmI", null).statusCode(), "a rule without match matches every operation");
    }
}
