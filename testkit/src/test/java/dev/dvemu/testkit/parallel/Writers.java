package dev.dvemu.testkit.parallel;

import dev.dvemu.testkit.Dvemu;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the writer classes share: each writes its rows and counts all rows of the table. Run only by
 * ParallelIsolationTest through the JUnit launcher (their names do not end in Test, so the build does not run them).
 */
public final class Writers {
    /** Set for a parallel run: every class waits here until all of them hold their instance at the same time. */
    public static volatile CyclicBarrier barrier;
    /** Port each class ran against, by class name. */
    public static final Map<String, Integer> ports = new ConcurrentHashMap<>();
    static final int ROWS = 5;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Writers() {
    }

    static void together() throws InterruptedException, BrokenBarrierException, TimeoutException {
        CyclicBarrier b = barrier;
        if (b != null) {
            b.await(120, TimeUnit.SECONDS);
        }
    }

    /** Writes ROWS rows named after the class, then returns how many rows the table has in all. */
    static int writeAndCount(Class<?> writer, Dvemu dvemu) throws IOException, InterruptedException {
        ports.put(writer.getSimpleName(), dvemu.port());
        for (int i = 0; i < ROWS; i++) {
            send(dvemu, "POST", "new_stocks", "{\"new_name\":\"" + writer.getSimpleName() + "-" + i + "\"}");
            Thread.sleep(20); // interleave with the other classes
        }
        String body = send(dvemu, "GET", "new_stocks?$select=new_name", null);
        return body.split("\"new_name\"", -1).length - 1;
    }

    private static String send(Dvemu dvemu, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dvemu.webApiUrl() + path))
                .header("Authorization", "Bearer " + dvemu.token()).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
