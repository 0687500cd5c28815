package dev.dvemu.server.http;

import dev.dvemu.server.error.DataverseError;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Reads each request's whole body into memory before the servlets see the request, so no servlet thread ever
 * waits for bytes on the network: while a body trickles in, Jetty's demand callbacks drive the reading and only the
 * connection and the bytes received so far are held. The servlets then read the buffered body as before
 * ({@code request.getInputStream()}), without blocking.
 *
 * <p>The limit is decided here, by path ({@code ApiServlet.maxBodyBytes}: 16 MiB for JSON, 64 MiB for
 * {@code $batch}): a declared Content-Length over it is answered 413 at once, a chunked body as soon as it grows
 * past it, and the connection is closed after the answer. A body must also keep arriving ({@link #GRACE},
 * {@link #MIN_BYTES_PER_SECOND}), or it is answered 408 and the connection closed.
 */
public final class RequestBodyHandler extends Handler.Wrapper {
    /**
     * The time any body may take, however slow. It covers a client that sends the headers and then computes its
     * body, an {@code Expect: 100-continue} round trip, and TCP retransmissions on a lossy link. The value is
     * Apache httpd's default for the same check (mod_reqtimeout, {@code body=20,MinRate=500}).
     */
    static final Duration GRACE = Duration.ofSeconds(20);
    /**
     * After {@link #GRACE}, each this many bytes received buys one more second: 4 kbit/s, below any network a real
     * client uses (a 16 MiB body would be allowed 9 hours), far above a byte every few seconds. Also mod_reqtimeout's.
     */
    static final int MIN_BYTES_PER_SECOND = 500;
    /**
     * After a 413, what the client still sends of its body is read and dropped (never kept) for at most this long,
     * and only while it keeps coming ({@link #DISCARD_IDLE}). Clients that write the whole body before reading the
     * answer (most blocking HTTP clients without {@code Expect: 100-continue}) then read the 413 instead of failing
     * with a reset. nginx's defaults for the same ({@code lingering_time 30s}, {@code lingering_timeout 5s}).
     */
    static final Duration DISCARD_FOR = Duration.ofSeconds(30);
    static final Duration DISCARD_IDLE = Duration.ofSeconds(5);
    /** First buffer for a body that did not arrive whole at once (a body that did gets a buffer of its size). */
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final ToIntFunction<String> limitForPath;

    public RequestBodyHandler(Handler next, ToIntFunction<String> limitForPath) {
        super(next);
        this.limitForPath = limitForPath;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        long declared = request.getLength();
        if (declared == 0 || declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return next.handle(request, response, callback); // no body: nothing to wait for
        }
        int limit = limitForPath.applyAsInt(request.getHttpURI().getPath());
        BodyReader reader = new BodyReader(next, request, response, callback, limit, declared);
        if (declared <= limit) {
            reader.read(false);
        } else if (request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
            // the client waits for a 100 before sending the body, and will not get one
            EarlyAnswers.error(request, response, callback, DataverseError.REQUEST_TOO_LARGE.exception(), true);
        } else {
            reader.refuse();
        }
        return true;
    }

    /**
     * Reads one body: from {@link #handle} while bytes are there, then from Jetty's demand callback (never blocking,
     * so Jetty may call it on an I/O thread), and hands the complete body to the next handler. The timer never
     * answers: when time is up ({@link #onTimer}) it fails the request's reading, which wakes the reader with a
     * failure to act on, so only the reading side decides what happens to the request.
     */
    private final class BodyReader implements Invocable.Task {
        private static final int READING = 0;
        private static final int DISCARDING = 1;
        private static final int DONE = 2;
        private static final int EXPIRED = 3;

        private final Handler next;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final int limit;
        private final long declared;
        private final long start;
        private final AtomicInteger state = new AtomicInteger(READING);
        /** After a 413: the answer written, and the discarding over; the request completes when both are. */
        private final AtomicInteger discardSteps = new AtomicInteger(2);
        private volatile Throwable answerFailure;
        private boolean discarding;
        private volatile long discardUntil;
        private volatile long lastDiscard;
        private byte[] buffer;
        /** Read by the timer thread; written only by the reading side, whose calls Jetty serialises. */
        private volatile int size;
        private volatile Scheduler.Task timer;

        BodyReader(Handler next, Request request, Response response, Callback callback, int limit, long declared) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.limit = limit;
            this.declared = declared;
            this.start = request.getHeadersNanoTime();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        /** Jetty's demand callback: more of the body (or its end, or a failure) can be read. */
        @Override
        public void run() {
            read(true);
        }

        void read(boolean demanded) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (timer == null) {
                        schedule();
                    }
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    ended(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                if (discarding) {
                    chunk.release();
                    lastDiscard = NanoTime.now();
                    if (last) {
                        ended(null);
                        return;
                    }
                    continue;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if ((long) size + bytes.remaining() > limit) {
                    chunk.release();
                    buffer = null;
                    if (!startDiscarding()) {
                        tooSlow();
                        return;
                    }
                    answerTooLarge();
                    continue;
                }
                append(bytes);
                chunk.release();
                if (last) {
                    dispatch(demanded);
                    return;
                }
            }
        }

        /** A declared length over the limit: answered before anything is read. */
        void refuse() {
            startDiscarding();
            answerTooLarge();
            read(false);
        }

        private boolean startDiscarding() {
            discarding = true;
            lastDiscard = NanoTime.now();
            discardUntil = lastDiscard + DISCARD_FOR.toNanos();
            if (!state.compareAndSet(READING, DISCARDING)) {
                return false;
            }
            if (timer != null) {
                schedule(); // the timer was set for the body's deadline, much further away
            }
            return true;
        }

        private void answerTooLarge() {
            EarlyAnswers.error(request, response, Callback.from(this::discarded, x -> {
                answerFailure = x;
                request.fail(x); // stops the discarding: nobody is listening
                discarded();
            }), DataverseError.REQUEST_TOO_LARGE.exception(), true);
        }

        /** One of the two steps after a 413 is done; after both, the request is. */
        private void discarded() {
            if (discardSteps.decrementAndGet() == 0) {
                if (answerFailure == null) {
                    callback.succeeded();
                } else {
                    callback.failed(answerFailure);
                }
            }
        }

        private void append(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (n == 0) {
                return;
            }
            int needed = size + n;
            if (buffer == null) {
                // a body that arrived whole gets an array of its size; one still coming starts small and doubles
                buffer = new byte[declared > 0 && declared == n ? n : Math.max(needed, (int) Math.min(INITIAL_BUFFER, cap()))];
            } else if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(cap(), Math.max(needed, 2L * buffer.length)));
            }
            bytes.get(buffer, size, n);
            size = needed;
        }

        private long cap() {
            return declared > 0 ? declared : limit;
        }

        private void dispatch(boolean demanded) {
            if (!state.compareAndSet(READING, DONE)) {
                tooSlow(); // the timer got there first
                return;
            }
            cancelTimer();
            Request buffered = new BufferedBody(request, ByteBuffer.wrap(buffer == null ? new byte[0] : buffer, 0, size));
            if (demanded) {
                // a demand callback must not block; the servlets may
                request.getContext().execute(() -> handleNext(buffered));
            } else {
                handleNext(buffered);
            }
        }

        private void handleNext(Request buffered) {
            try {
                if (!next.handle(buffered, response, callback)) {
                    Response.writeError(buffered, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable t) {
                Response.writeError(buffered, response, callback, t);
            }
        }

        /**
         * The reading is over: the discarded body ended ({@code failure} null), or reading failed: the timer's
         * doing, the connector's idle timeout, or the client went away.
         */
        private void ended(Throwable failure) {
            cancelTimer();
            if (discarding) {
                state.set(DONE);
                discarded();
            } else if (failure instanceof TimeoutException) {
                tooSlow();
            } else {
                callback.failed(failure);
            }
        }

        private void tooSlow() {
            cancelTimer();
            EarlyAnswers.error(request, response, callback,
                    DataverseError.REQUEST_TIMEOUT.exception(GRACE.toSeconds(), MIN_BYTES_PER_SECOND), true);
        }

        /**
         * When the reading must stop: while reading, the body must have arrived by
         * {@code start + grace + size / rate}; while discarding, bytes must keep coming, for a while.
         */
        private long due() {
            return state.get() == DISCARDING
                    ? Math.min(discardUntil, lastDiscard + DISCARD_IDLE.toNanos())
                    : start + GRACE.toNanos() + size * 1_000_000_000L / MIN_BYTES_PER_SECOND;
        }

        private void schedule() {
            Scheduler.Task previous = timer;
            timer = request.getComponents().getScheduler()
                    .schedule(this::onTimer, Math.max(0, NanoTime.until(due())), TimeUnit.NANOSECONDS);
            if (previous != null) {
                previous.cancel();
            }
        }

        private void cancelTimer() {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        private void onTimer() {
            int s = state.get();
            if (s != READING && s != DISCARDING) {
                return;
            }
            if (NanoTime.until(due()) > 0) {
                schedule(); // more arrived meanwhile: the time moved
            } else if (state.compareAndSet(s, EXPIRED)) {
                // wakes the reader (or fails its next read): it answers, or ends the discarding
                request.fail(new TimeoutException(s == READING ? "request body too slow" : "stopped discarding the body"));
            }
        }
    }

    /** The request as the servlets see it: its body now comes from memory. */
    private static final class BufferedBody extends Request.Wrapper {
        private final ByteBufferContentSource body;

        BufferedBody(Request request, ByteBuffer bytes) {
            super(request);
            this.body = new ByteBufferContentSource(bytes);
        }

        @Override
        public long getLength() {
            return body.getLength();
        }

        @Override
        public Content.Chunk read() {
            return body.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            body.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
            super.fail(failure);
        }
    }
}
