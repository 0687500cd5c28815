package dev.dvemu.client.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * An HTTP client whose connection breaks on purpose around writes (every request but a GET), as a network does:
 * the faults queued with {@link #failNextWrites} apply to the next writes in the order they are sent, one each;
 * later writes pass untouched. Reads always pass. Thread-safe.
 */
public final class FaultyHttpClient extends ForwardingHttpClient {
    /** What happens to one write. */
    public enum Fault {
        /** Sent and answered as usual. */
        NONE,
        /** Sent: the service runs it to the end (a changeset commits), but its answer never arrives. */
        ANSWER_LOST,
        /** The connection fails before the request leaves: the service never sees it. */
        NOT_SENT
    }

    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile IntConsumer beforeWrite = n -> {
    };

    public FaultyHttpClient(HttpClient delegate) {
        super(delegate);
    }

    /** A faulty HTTP/1.1 client, otherwise like the one a {@code DataverseClient} builds for itself. */
    public static FaultyHttpClient http11() {
        return new FaultyHttpClient(newHttp11());
    }

    /** Queues faults for the next writes, one each, in order. */
    public void failNextWrites(Fault... next) {
        faults.addAll(List.of(next));
    }

    /**
     * Runs {@code action} on the sending thread before each write, with the write's number (from 1), before its
     * fault applies: to hold a write back, or to let someone else write first.
     */
    public void beforeEachWrite(IntConsumer action) {
        this.beforeWrite = action;
    }

    /** How many writes were attempted, those that failed included. */
    public int writes() {
        return writes.get();
    }

    /** The queued faults not yet applied (empty once every one has happened). */
    public List<Fault> pendingFaults() {
        return List.copyOf(faults);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (request.method().equals("GET")) {
            return super.send(request, handler);
        }
        beforeWrite.accept(writes.incrementAndGet());
        Fault fault = faults.poll();
        if (fault == Fault.NOT_SENT) {
            throw new IOException("connection refused (fault injected before sending " + request.uri().getPath() + ")");
        }
        HttpResponse<T> answer = super.send(request, handler);
        if (fault == Fault.ANSWER_LOST) {
            throw new IOException("connection reset (fault injected: the answer " + answer.statusCode()
                    + " to " + request.uri().getPath() + " was lost)");
        }
        return answer;
    }
}
