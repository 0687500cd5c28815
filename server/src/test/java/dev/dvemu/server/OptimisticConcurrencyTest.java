package dev.dvemu.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.SameDatabase;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients holding the same ETag race to update one row: the compare-and-set in PostgreSQL lets exactly one
 * win and answers every other with Dataverse's 412, whether the clients talk to one server or to two servers on
 * the same database.
 */
@DvemuTest(reset = Reset.NEVER)
class OptimisticConcurrencyTest {
    static Dvemu dvemu;

    private static final int WRITERS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Dvemu second;

    @BeforeAll
    static void startSecondServer() throws Exception {
        second = SameDatabase.start(dvemu, "optimistic-concurrency");
    }

    @AfterAll
    static void stopSecondServer() throws Exception {
        if (second != null) {
            second.close();
        }
    }

    private record Outcome(int writer, int status, String code) {
    }

    @Test
    void fiftyParallelPatchesWithOneEtagGiveOneSuccessAnd49PreconditionFailures() throws Exception {
        race(List.of(dvemu.webApiUrl()));
    }

    @Test
    void twoServersOnOneDatabaseStillLetExactlyOneWriterWin() throws Exception {
        race(List.of(dvemu.webApiUrl(), second.webApiUrl()));
    }

    private void race(List<URI> servers) throws Exception {
        URI base = servers.get(0);
        UUID id = UUID.randomUUID();
        send(base, "PATCH", "new_stocks(" + id + ")", "{\"new_name\":\"race-start\",\"new_availablecount\":10,\"new_bookedcount\":0}", null);
        JsonNode before = JSON.readTree(send(base, "GET", "new_stocks(" + id + ")", null, null).body());
        String etag = before.get("@odata.etag").asText();

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < WRITERS; i++) {
                int writer = i;
                URI target = servers.get(i % servers.size());
                futures.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> r = send(target, "PATCH", "new_stocks(" + id + ")",
                            "{\"new_name\":\"writer-" + writer + "\",\"new_availablecount\":9,\"new_bookedcount\":1}", etag);
                    String code = r.statusCode() == 412 ? JSON.readTree(r.body()).path("error").path("code").asText() : "";
                    return new Outcome(writer, r.statusCode(), code);
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            List<Outcome> winners = outcomes.stream().filter(o -> o.status() == 204).toList();
            List<Outcome> losers = outcomes.stream().filter(o -> o.status() == 412).toList();
            assertEquals(1, winners.size(), "exactly one writer succeeds: " + outcomes);
            assertEquals(WRITERS - 1, losers.size(), "every other writer gets 412: " + outcomes);
            assertTrue(losers.stream().allMatch(o -> o.code().equals("0x80060882")), "412s are version mismatches");

            JsonNode after = JSON.readTree(send(base, "GET", "new_stocks(" + id + ")", null, null).body());
            assertEquals("writer-" + winners.get(0).writer(), after.get("new_name").asText(), "the row holds the winner's update");
            assertEquals(9, after.get("new_availablecount").asInt());
            assertNotEquals(etag, after.get("@odata.etag").asText());
            // exactly one update happened: the winner's version is the only one after the start version, so
            // re-sending any loser's update with the start ETag still fails
            HttpResponse<String> late = send(base, "PATCH", "new_stocks(" + id + ")", "{\"new_name\":\"late\"}", etag);
            assertEquals(412, late.statusCode());
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> send(URI base, String method, String path, String body, String ifMatch)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer test")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
