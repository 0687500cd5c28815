package dev.dvemu.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DvemuTest
class JournalFaultsHoldsTest {

    @Test
    void journalCountsAndVerifies(Dvemu dvemu) {
        Http.createStock(dvemu, "a");
        Http.createStock(dvemu, "b");
        Http.get(dvemu, "new_stocks");
        Http.send(dvemu, "DELETE", "new_stocks(00000000-0000-0000-0000-000000000001)", null);

        assertEquals(2, dvemu.count(RequestPattern.post("new_stocks")));
        assertEquals(4, dvemu.requests().size(), "admin calls are not journaled: " + dvemu.requests());
        dvemu.verify(2, RequestPattern.post("new_stocks").status(204));
        dvemu.verify(RequestPattern.delete("new_stocks").status("4xx"));
        List<JournalEntry> gets = dvemu.requests(RequestPattern.get("new_stocks"));
        assertEquals(1, gets.size());
        assertEquals(200, gets.get(0).status());
        assertTrue(gets.get(0).id() < dvemu.requests(RequestPattern.delete(null)).get(0).id(), "oldest first");

        AssertionError e = assertThrows(AssertionError.class, () -> dvemu.verify(1, RequestPattern.delete("new_stocks").status(412)));
        assertTrue(e.getMessage().startsWith("Expected exactly 1 request matching [DELETE, new_stocks, status 412] but found 0"), e.getMessage());
        assertTrue(e.getMessage().contains("Near matches (closest first):\n  DELETE /api/data/v9.2/new_stocks(00000000-0000-0000-0000-000000000001) -> 404"),
                e.getMessage());
        assertTrue(e.getMessage().contains("differs in status 404"), e.getMessage());

        dvemu.clearRequests();
        assertEquals(0, dvemu.requests().size());
    }

    @Test
    void eachTestStartsWithAnEmptyJournalAndNoFaults(Dvemu dvemu) {
        assertEquals(0, dvemu.requests().size());
        assertEquals(0, dvemu.faults().list().size());
        dvemu.faults().respond(FaultMatch.any(), 503);
        Http.get(dvemu, "new_stocks");
    }

    @Test
    void respondAnswersInsteadOfRunningAndCountsMatches(Dvemu dvemu) {
        FaultRule rule = dvemu.faults().throttle(FaultMatch.post("new_stocks").times(1), 7);
        Http.Answer first = Http.send(dvemu, "POST", "new_stocks", "{\"new_name\":\"t\"}");
        assertEquals(429, first.status());
        assertEquals("0x80072322", first.json().path("error").path("code").asText());
        assertEquals(204, Http.send(dvemu, "POST", "new_stocks", "{\"new_name\":\"t\"}").status());
        assertEquals(1, Http.countStocks(dvemu), "the refused create wrote nothing");
        FaultRule listed = dvemu.faults().list().stream().filter(r -> r.id() == rule.id()).findFirst().orElseThrow();
        assertEquals(1, listed.matched());
        dvemu.faults().remove(rule);
        assertEquals(0, dvemu.faults().list().size());
        dvemu.verify(1, RequestPattern.post("new_stocks").status(429).code("0x80072322"));
    }

    @Test
    void latencyDelaysAndDropAfterCommitLosesTheAnswerButKeepsTheRow(Dvemu dvemu) {
        dvemu.faults().latency(FaultMatch.get("new_stocks").times(1), Duration.ofMillis(300));
        long t0 = System.nanoTime();
        Http.get(dvemu, "new_stocks");
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 300, "delayed by at least the latency");

        dvemu.faults().dropAfterCommit(FaultMatch.post("new_stocks").times(1));
        HttpRequest post = HttpRequest.newBuilder(URI.create(dvemu.webApiUrl() + "new_stocks"))
                .header("Authorization", "Bearer " + dvemu.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"new_name\":\"dropped\"}")).build();
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, Http.countStocks(dvemu), "committed before the connection was dropped");
    }

    @Test
    void holdsStageRaces(Dvemu dvemu) throws Exception {
        Hold manual = dvemu.hold("readers").get("new_stocks").beforeAnswer().install();
        CompletableFuture<Http.Answer> r1 = CompletableFuture.supplyAsync(() -> Http.get(dvemu, "new_stocks"));
        CompletableFuture<Http.Answer> r2 = CompletableFuture.supplyAsync(() -> Http.get(dvemu, "new_stocks"));
        assertEquals(2, manual.awaitHeld(2));
        assertEquals(2, manual.held());
        assertFalse(r1.isDone() || r2.isDone(), "held");
        assertEquals(2, manual.release());
        assertEquals(200, r1.get(30, TimeUnit.SECONDS).status());
        assertEquals(200, r2.get(30, TimeUnit.SECONDS).status());
        manual.remove();

        Hold barrier = dvemu.hold("writers").post("new_stocks").beforeCommit().releaseWhen(2).install();
        CompletableFuture<Http.Answer> w1 = CompletableFuture.supplyAsync(() -> Http.createStockAnswer(dvemu, "w1"));
        CompletableFuture<Http.Answer> w2 = CompletableFuture.supplyAsync(() -> Http.createStockAnswer(dvemu, "w2"));
        assertEquals(204, w1.get(30, TimeUnit.SECONDS).status());
        assertEquals(204, w2.get(30, TimeUnit.SECONDS).status());
        assertEquals(2, barrier.released());
        // a barrier holds the first two only: a later write (a retry, say) must not wait alone for partners
        CompletableFuture<Http.Answer> w3 = CompletableFuture.supplyAsync(() -> Http.createStockAnswer(dvemu, "w3"));
        assertEquals(204, w3.get(10, TimeUnit.SECONDS).status());
        assertEquals(0, barrier.held());

        DvemuException timeout = assertThrows(DvemuException.class, () -> dvemu.hold("nobody").install().awaitHeld(1, Duration.ofMillis(200)));
        assertEquals(408, timeout.status());
    }
}
