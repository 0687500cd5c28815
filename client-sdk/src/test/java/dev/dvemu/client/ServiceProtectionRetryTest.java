package dev.dvemu.client;

import dev.dvemu.client.support.ForwardingHttpClient;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end against an emulator started with {@code --service-protection} and a small request limit: a workload
 * through {@link DataverseClient} is throttled (429 with {@code Retry-After}), every call still succeeds, and no
 * request is sent before the {@code Retry-After} of the 429 that preceded it on the same thread.
 */
@DvemuTest(reset = Reset.NEVER, serviceProtection = true, spRequests = 4, spWindowSeconds = 2)
class ServiceProtectionRetryTest {
    /** An emulator of this configuration: {@code --service-protection --sp-requests 4 --sp-window 2}. */
    static Dvemu throttled;

    /** One exchange as the client saw it: which thread, when sent and answered (nanoTime), status, Retry-After. */
    private record Exchange(String thread, long sentNanos, long answeredNanos, int status, String retryAfter) {
    }

    /** Records every exchange; the wrapped client does the work. */
    private static final class RecordingHttpClient extends ForwardingHttpClient {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        RecordingHttpClient() {
            super(newHttp11());
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            long sent = System.nanoTime();
            HttpResponse<T> r = super.send(request, handler);
            exchanges.add(new Exchange(Thread.currentThread().getName(), sent, System.nanoTime(), r.statusCode(),
                    r.headers().firstValue("Retry-After").orElse(null)));
            return r;
        }
    }

    private static DataverseClient client(RecordingHttpClient http, int maxAttempts) {
        String token = "sp-sdk-" + UUID.randomUUID();
        return DataverseClient.builder(throttled.webApiUrl()).token(() -> token).httpClient(http)
                .retry(RetryPolicy.defaults().withMaxAttempts(maxAttempts)).build();
    }

    @Test
    @Timeout(120)
    void aWorkloadPastTheLimitSucceedsAndWaitsEachRetryAfter() {
        RecordingHttpClient http = new RecordingHttpClient();
        DataverseClient dv = client(http, 10);
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(dv.create("new_stocks", RowValues.create().set("new_name", "sp-" + i).set("new_availablecount", i)));
        }
        for (int i = 0; i < 4; i++) {
            Row row = dv.retrieve(RowRef.of("new_stocks", created.get(i))).orElseThrow();
            dv.update(RowRef.of("new_stocks", created.get(i)), RowValues.create().set("new_availablecount", i + 10), row.etag());
        }
        BatchResult batch = dv.execute(Batch.create().get(RowRef.of("new_stocks", created.get(0)))
                .get(RowRef.of("new_stocks", created.get(1))).get(RowRef.of("new_stocks", created.get(2))));
        assertTrue(batch.parts().stream().allMatch(p -> p.failure().isEmpty()), "every part of the batch succeeded");
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 10, dv.retrieve(RowRef.of("new_stocks", created.get(i))).orElseThrow()
                    .integer("new_availablecount").getAsInt(), "every write took effect once");
        }
        assertThrottledAndPatient(http.exchanges, 17);
    }

    @Test
    @Timeout(120)
    void concurrentCallersOfOneTokenAllSucceedAndEachWaitsItsRetryAfter() throws Exception {
        RecordingHttpClient http = new RecordingHttpClient();
        DataverseClient dv = client(http, 50);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                results.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 4; i++) {
                        UUID id = dv.create("new_stocks", RowValues.create().set("new_name", "sp-c").set("new_availablecount", 1));
                        dv.retrieve(RowRef.of("new_stocks", id)).orElseThrow();
                        done++;
                    }
                    return done;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(4, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThrottledAndPatient(http.exchanges, 24);
    }

    /**
     * The limit was hit (else the test proves nothing), every call got its success in the end, and after each 429 the
     * same thread sent nothing before Retry-After had passed.
     */
    private static void assertThrottledAndPatient(List<Exchange> exchanges, int calls) {
        long throttledCount = exchanges.stream().filter(e -> e.status() == 429).count();
        assertTrue(throttledCount > 0, "the workload never reached the limit: " + exchanges.size() + " exchanges");
        assertEquals(calls, exchanges.stream().filter(e -> e.status() < 400).count(), "one success per call");
        assertEquals(exchanges.size(), calls + throttledCount, "every failure was a 429: " + statuses(exchanges));
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange refused = exchanges.get(i);
            if (refused.status() != 429) {
                continue;
            }
            assertTrue(refused.retryAfter() != null && refused.retryAfter().matches("\\d+"), "Retry-After: " + refused.retryAfter());
            long waitNanos = Long.parseLong(refused.retryAfter()) * 1_000_000_000L;
            Exchange next = nextOnThread(exchanges, i);
            long waited = next.sentNanos() - refused.answeredNanos();
            assertTrue(waited >= waitNanos, "sent again after " + waited / 1_000_000 + " ms, Retry-After was "
                    + refused.retryAfter() + " s");
        }
    }

    private static Exchange nextOnThread(List<Exchange> exchanges, int index) {
        String thread = exchanges.get(index).thread();
        for (int j = index + 1; j < exchanges.size(); j++) {
            if (exchanges.get(j).thread().equals(thread)) {
                return exchanges.get(j);
            }
        }
        throw new AssertionError("a 429 was the last answer its caller saw");
    }

    private static List<Integer> statuses(List<Exchange> exchanges) {
        return exchanges.stream().map(Exchange::status).toList();
    }
}
