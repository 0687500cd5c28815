package dev.dvemu.client.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP client that counts the requests it sends and the statuses of the answers (for {@code send}); everything
 * else is the wrapped client's. Thread-safe.
 */
public final class CountingHttpClient extends ForwardingHttpClient {
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    public CountingHttpClient(HttpClient delegate) {
        super(delegate);
    }

    /** A counting HTTP/1.1 client, like the one a {@code DataverseClient} builds for itself. */
    public static CountingHttpClient http11() {
        return new CountingHttpClient(newHttp11());
    }

    public int requests() {
        return requests.get();
    }

    /** How many answers had each status, in status order. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** How many answers had a status of 500 or more. */
    public long serverErrors() {
        return statuses().entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        requests.incrementAndGet();
        HttpResponse<T> r = super.send(request, handler);
        statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
        return r;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        requests.incrementAndGet();
        return super.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        requests.incrementAndGet();
        return super.sendAsync(request, handler, push);
    }
}
