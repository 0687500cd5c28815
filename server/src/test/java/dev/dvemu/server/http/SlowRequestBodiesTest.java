package dev.dvemu.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.RawHttp;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that send a body a byte at a time (a slow network, or on purpose) must not keep anyone else waiting:
 * request bodies are read without holding a thread, and a body that comes too slowly is answered 408 and its
 * connection closed.
 */
class SlowRequestBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SLOW_CONNECTIONS = 500;
    private static final int NORMAL_CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 25;

    @Test
    @Timeout(240)
    void fiveHundredSlowBodiesStarveNobodyAndAreAnswered408() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args().build())) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
            ExecutorService clients = Executors.newFixedThreadPool(NORMAL_CLIENTS);
            try {
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    Socket s = RawHttp.connect(server);
                    s.getOutputStream().write(RawHttp.head("POST", "/api/data/v9.2/new_stocks", RawHttp.hostOf(server),
                            "Content-Type: application/json", "Content-Length: 100000"));
                    s.getOutputStream().write('{');
                    slow.add(s);
                }
                // one byte every 2 s on each: never idle long enough for the connector's idle timeout
                drip.scheduleWithFixedDelay(() -> slow.forEach(SlowRequestBodiesTest::sendOneByte), 2, 2, TimeUnit.SECONDS);

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(20)).build();
                URI base = server.webApiUrl();
                List<Future<Integer>> answered = new ArrayList<>();
                for (int c = 0; c < NORMAL_CLIENTS; c++) {
                    int client = c;
                    answered.add(clients.submit(() -> {
                        int ok = 0;
                        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                            HttpRequest request = i % 2 == 0
                                    ? request(base.resolve("new_stocks?$top=1")).GET().build()
                                    : request(base.resolve("new_stocks")).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"new_name\":\"slow-test " + client + "/" + i + "\"}")).build();
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            assertTrue(status == 200 || status == 204, "normal request answered " + status);
                            ok++;
                        }
                        return ok;
                    }));
                }
                for (Future<Integer> f : answered) {
                    assertEquals(REQUESTS_PER_CLIENT, f.get(), "every normal request was answered");
                }

                // the slow ones: each answered 408 with a Dataverse error body, and its connection closed
                for (Socket s : slow) {
                    s.setSoTimeout(90_000);
                    RawHttp.Response r = RawHttp.read(s.getInputStream());
                    assertEquals(408, r.status(), r.body());
                    assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
                    JsonNode error = JSON.readTree(r.body()).get("error");
                    assertEquals("0x0", error.get("code").asText());
                    assertTrue(error.get("message").asText().contains("did not arrive"), r.body());
                    assertEquals("close", r.header("connection"));
                }
            } finally {
                drip.shutdownNow();
                clients.shutdownNow();
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer test-token").header("Accept", "application/json");
    }

    private static void sendOneByte(Socket s) {
        try {
            if (s.getInputStream().available() > 0) {
                return; // answered: stop sending, so the answer is not lost to a reset
            }
            s.getOutputStream().write(' ');
            s.getOutputStream().flush();
        } catch (IOException answeredAndClosed) {
            // the server gave up on this one: expected once it is too slow
        }
    }
}
