package dev.dvemu.server.db;

import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.ServerProcess;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Concurrent {@code $batch} changesets against a server process, each creating three {@code new_stocks} rows named
 * after the changeset ({@code <run>-<worker>-<n>-1..3}), keeping a log of every changeset the server acknowledged
 * (outer 200, three 204 parts). Whatever happens to the server meanwhile, afterwards every acknowledged changeset
 * must be there whole, and no changeset may be there in part.
 */
final class ChangesetLoad {

    private final String run = "crash" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private final ServerProcess server;
    private volatile boolean stopped;

    ChangesetLoad(ServerProcess server, int workers) {
        this.server = server;
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "changeset-load-" + w);
            t.setDaemon(true);
            this.workers.add(t);
        }
    }

    ChangesetLoad start() {
        workers.forEach(Thread::start);
        return this;
    }

    private void work(int worker) {
        for (int n = 0; !stopped; n++) {
            String changeset = run + "-" + worker + "-" + n;
            BatchBody body = BatchBody.crlf().beginChangeset();
            for (int i = 1; i <= 3; i++) {
                body.op(Integer.toString(i), "POST", "new_stocks", "{\"new_name\":\"" + changeset + "-" + i + "\",\"new_availablecount\":" + i + "}");
            }
            String text = body.endChangeset().build();
            try {
                HttpResponse<String> r = server.send("POST", "$batch", text, "Content-Type", body.contentType());
                if (r.statusCode() == 200 && BatchBody.statuses(r.body()).equals(List.of(204, 204, 204))) {
                    acknowledged.add(changeset);
                }
            } catch (IOException e) {
                pause(); // the server is gone or restarting; its answer, if any, is unknown
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Waits until at least {@code count} changesets have been acknowledged. */
    void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + ServerProcess.PATIENCE.toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " changesets acknowledged:\n" + server.output());
            }
            Thread.sleep(20);
        }
    }

    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(90));
        }
    }

    /** Reads back every row of this run through {@code reader} and checks the two invariants. */
    void assertEveryAcknowledgedChangesetWholeAndNonePartial(ServerProcess reader) throws IOException, InterruptedException {
        Map<String, Integer> rows = rowsPerChangeset(reader);
        List<String> missing = acknowledged.stream().filter(c -> rows.getOrDefault(c, 0) != 3).sorted().toList();
        assertEquals(List.of(), missing, "acknowledged changesets not found whole (rows per changeset: " + rows + ")");
        List<String> partial = rows.entrySet().stream().filter(e -> e.getValue() != 3).map(e -> e.getKey() + "=" + e.getValue())
                .sorted().toList();
        assertEquals(List.of(), partial, "changesets found in part");
    }

    private Map<String, Integer> rowsPerChangeset(ServerProcess reader) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> rows = new HashMap<>();
        String url = "new_stocks?$select=new_name&$filter=" + URLEncoder.encode("startswith(new_name,'" + run + "-')",
                StandardCharsets.UTF_8).replace("+", "%20");
        while (url != null) {
            HttpResponse<String> page = reader.get(url, "Prefer", "odata.maxpagesize=5000");
            assertEquals(200, page.statusCode(), page.body());
            JsonNode root = json.readTree(page.body());
            for (JsonNode row : root.get("value")) {
                String name = row.get("new_name").asText();
                rows.merge(name.substring(0, name.lastIndexOf('-')), 1, Integer::sum);
            }
            url = root.hasNonNull("@odata.nextLink") ? root.get("@odata.nextLink").asText() : null;
        }
        return rows;
    }
}
