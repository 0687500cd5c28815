package dev.dvemu.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport's retry rules, against a scripted stub server: throttling is always retried after its Retry-After,
 * transient failures only when sending twice cannot do harm (or when the service said it rolled back).
 */
class TransportRetryTest {
    private static final UUID STOCK = UUID.fromString("5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11");
    private static final UUID BOOKING = UUID.fromString("e73f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final String CRLF = "\r\n";
    private static final String THROTTLED =
            "{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit of 6000 over time window of 300 seconds.\"}}";
    private static final String SQL_ROLLBACK =
            "{\"error\":{\"code\":\"0x80044150\",\"message\":\"Generic SQL error.\"}}";
    private static final String UNAVAILABLE =
            "{\"error\":{\"code\":\"\",\"message\":\"Service Unavailable\"}}";
    private static final String SQL_ROLLBACK_DECIMAL =
            "{\"error\":{\"code\":\"-2147204784\",\"message\":\"Generic SQL error.\"}}";
    private static final String DATABASE_UNAVAILABLE =
            "{\"error\":{\"code\":\"0x80044150\",\"message\":\"The database is unavailable; the request was not run.\"}}";
    private static final String COMMIT_UNKNOWN =
            "{\"error\":{\"code\":\"0x80040216\",\"message\":\"The database connection was lost during commit.\"}}";
    private static final String DUPLICATE_RECORD =
            "{\"error\":{\"code\":\"0x80040237\",\"message\":\"A record with matching key values already exists.\"}}";
    /** The status of a scripted answer that never arrives: the stub closes the connection instead. */
    private static final int LOST = 0;
    private static final String VERSION_MISMATCH =
            "{\"error\":{\"code\":\"0x80060882\",\"message\":\"The version of the existing record doesn't match the RowVersion property provided.\"}}";

    private record Recorded(String method, String path, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    private HttpServer server;
    private String base;
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    /** Waits 10, 20, 40, 80 ms between 5 attempts, recorded instead of slept. */
    private final RetryPolicy policy = RetryPolicy.noJitter(Duration.ofMillis(10), Duration.ofSeconds(1), 5);

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            Headers copy = new Headers();
            copy.putAll(exchange.getRequestHeaders());
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    copy, new String(in, StandardCharsets.UTF_8)));
            Reply r = script.poll();
            if (r == null) {
                r = new Reply(500, Map.of("Content-Type", "application/json"),
                        "{\"error\":{\"code\":\"\",\"message\":\"the stub has no more answers\"}}");
            }
            if (r.status() == LOST) {
                exchange.close(); // the request ran; the connection breaks before any answer
                return;
            }
            r.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/data/v9.2/";
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private DataverseClient client() {
        return DataverseClient.builder(URI.create(base))
                .token(() -> "token-" + tokenCalls.incrementAndGet())
                .retry(policy.withSleeper(slept::add))
                .build();
    }

    private void answer(int status, Map<String, String> headers, String body) {
        script.add(new Reply(status, headers, body));
    }

    private void answerJson(int status, String body) {
        answer(status, Map.of("Content-Type", "application/json; odata.metadata=minimal"), body);
    }

    private void answerThrottled(String retryAfter) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; odata.metadata=minimal");
        if (retryAfter != null) {
            h.put("Retry-After", retryAfter);
        }
        answer(429, h, THROTTLED);
    }

    private void loseTheAnswer() {
        answer(LOST, Map.of(), "");
    }

    private void answerStock() {
        answerJson(200, "{\"@odata.etag\":\"W/\\\"77\\\"\",\"new_stockid\":\"" + STOCK + "\",\"new_name\":\"Amsterdam\"}");
    }

    private void answerCreated(String entitySet, UUID id) {
        answer(204, Map.of("OData-EntityId", base + entitySet + "(" + id + ")"), "");
    }

    private static List<Duration> ms(long... millis) {
        List<Duration> out = new ArrayList<>();
        for (long m : millis) {
            out.add(Duration.ofMillis(m));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ throttling

    @Test
    void aThrottledGetIsRetriedAfterTheRetryAfterUntilItSucceeds() {
        answerThrottled("1");
        answerThrottled("2");
        answerStock();

        Row row = client().retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();

        assertEquals("Amsterdam", row.string("new_name").orElseThrow());
        assertEquals(3, requests.size());
        for (Recorded r : requests) {
            assertEquals("GET", r.method());
            assertEquals("/api/data/v9.2/new_stocks(" + STOCK + ")", r.path());
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
    }

    @Test
    void aRetryAfterOfZeroRetriesAtOnceInsteadOfWaitingTheBackoff() {
        answerThrottled("0");
        answerThrottled("0");
        answerStock();

        client().retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();

        assertEquals(3, requests.size());
        assertEquals(List.of(), slept);
    }

    @Test
    void aThrottledAnswerWithoutRetryAfterWaitsThePolicysBackoff() {
        answerThrottled(null);
        answerThrottled(null);
        answerStock();

        client().retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();

        assertEquals(3, requests.size());
        assertEquals(ms(10, 20), slept);
    }

    @Test
    void aThrottledCreateIsRetriedBecauseItWasNotProcessed() {
        answerThrottled("1");
        answerCreated("new_bookings", BOOKING);

        UUID id = client().create("new_bookings", RowValues.create().set("new_name", "B-1"));

        assertEquals(BOOKING, id);
        assertEquals(2, requests.size());
        for (Recorded r : requests) {
            assertEquals("POST", r.method());
            assertEquals("/api/data/v9.2/new_bookings", r.path());
            assertEquals("{\"new_name\":\"B-1\"}", r.body());
        }
        assertEquals(List.of(Duration.ofSeconds(1)), slept);
    }

    @Test
    void throttlingThatOutlastsTheAttemptsThrowsServiceProtection() {
        for (int i = 0; i < 6; i++) {
            answerThrottled("3");
        }

        ServiceProtectionException e = assertThrows(ServiceProtectionException.class,
                () -> client().retrieve(RowRef.of("new_stocks", STOCK)));

        assertEquals(5, requests.size());
        assertEquals(429, e.status());
        assertEquals("0x80072322", e.code());
        assertEquals(Optional.of(Duration.ofSeconds(3)), e.retryAfter());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3)),
                slept);
    }

    // ------------------------------------------------------------------------------------------------ transient

    @Test
    void aCreateAnswered503IsNotRetried() {
        answerJson(503, UNAVAILABLE);
        answerCreated("new_bookings", BOOKING);

        TransientException e = assertThrows(TransientException.class,
                () -> client().create("new_bookings", RowValues.create().set("new_name", "B-1")));

        assertEquals(1, requests.size());
        assertEquals(503, e.status());
        assertEquals("Service Unavailable", e.getMessage());
        assertEquals(List.of(), slept);
    }

    @Test
    void aCreateTheServiceRolledBackIsRetried() {
        answerJson(503, SQL_ROLLBACK);
        answerCreated("new_bookings", BOOKING);

        UUID id = client().create("new_bookings", RowValues.create().set("new_name", "B-1"));

        assertEquals(BOOKING, id);
        assertEquals(2, requests.size());
        assertEquals(ms(10), slept);
    }

    @Test
    void aConditionalUpdateAnswered503IsRetriedWithTheSamePrecondition() {
        answerJson(503, UNAVAILABLE);
        answer(204, Map.of(), "");

        client().update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\""));

        assertEquals(2, requests.size());
        for (Recorded r : requests) {
            assertEquals("PATCH", r.method());
            assertEquals("/api/data/v9.2/new_stocks(" + STOCK + ")", r.path());
            assertEquals("W/\"77\"", r.header("If-Match"));
            assertEquals("{\"new_availablecount\":4}", r.body());
        }
        assertEquals(ms(10), slept);
    }

    @Test
    void aConflictOnAConditionalUpdateIsNotRetried() {
        answerJson(412, VERSION_MISMATCH);
        answer(204, Map.of(), "");

        assertThrows(VersionConflictException.class, () -> client().update(RowRef.of("new_stocks", STOCK),
                RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\"")));

        assertEquals(1, requests.size());
        assertEquals(List.of(), slept);
    }

    @Test
    void aGetThatKeepsFailingThrowsTransientAfterExactlyMaxAttemptsRequests() {
        for (int i = 0; i < 8; i++) {
            answerJson(503, UNAVAILABLE);
        }

        TransientException e = assertThrows(TransientException.class,
                () -> client().retrieve(RowRef.of("new_stocks", STOCK)));

        assertEquals(5, requests.size());
        assertEquals(503, e.status());
        assertEquals(ms(10, 20, 40, 80), slept);
    }

    @Test
    void aTransientRetryAfterReplacesTheBackoff() {
        answer(503, Map.of("Retry-After", "4"), "");
        answerStock();

        client().retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();

        assertEquals(2, requests.size());
        assertEquals(List.of(Duration.ofSeconds(4)), slept);
    }

    @Test
    void aNotFoundIsNotRetried() {
        answerJson(404, "{\"error\":{\"code\":\"0x80040217\",\"message\":\"new_stock With Id = " + STOCK + " Does Not Exist\"}}");

        assertEquals(Optional.empty(), client().retrieve(RowRef.of("new_stocks", STOCK)));
        assertEquals(1, requests.size());
    }

    // ------------------------------------------------------------------------------------------------ what the service knows

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SQL_ROLLBACK, SQL_ROLLBACK_DECIMAL})
    void aCreateAnswered500WithTheRolledBackCodeIsRetriedWhicheverFormTheCodeHas(String rolledBack) {
        answerJson(500, rolledBack);
        answerCreated("new_bookings", BOOKING);

        assertEquals(BOOKING, client().create("new_bookings", RowValues.create().set("new_name", "B-1")));
        assertEquals(2, requests.size());
    }

    @Test
    void aCreateTheDatabaseCouldNotRunIsRetriedAfterItsRetryAfter() {
        answer(503, Map.of("Content-Type", "application/json", "Retry-After", "3"), DATABASE_UNAVAILABLE);
        answerCreated("new_bookings", BOOKING);

        assertEquals(BOOKING, client().create("new_bookings", RowValues.create().set("new_name", "B-1")));
        assertEquals(2, requests.size());
        assertEquals(List.of(Duration.ofSeconds(3)), slept);
    }

    @Test
    void aCreateWhoseCommitOutcomeIsUnknownIsNotRetriedAndSaysSo() {
        answerJson(503, COMMIT_UNKNOWN);
        answerCreated("new_bookings", BOOKING);

        TransientException e = assertThrows(TransientException.class,
                () -> client().create("new_bookings", RowValues.create().set("new_name", "B-1")));

        assertEquals(1, requests.size());
        assertTrue(e.outcomeUnknown());
        assertEquals(503, e.status());
        assertEquals("0x80040216", e.code());
    }

    @Test
    void aConditionalUpdateWhoseCommitOutcomeIsUnknownIsRetried() {
        answerJson(503, COMMIT_UNKNOWN);
        answer(204, Map.of(), "");

        client().update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\""));

        assertEquals(2, requests.size());
    }

    // ------------------------------------------------------------------------------------------------ lost answers

    @Test
    void aCreateWhoseAnswerIsLostIsNotSentAgain() {
        loseTheAnswer();
        answerCreated("new_bookings", BOOKING);

        TransientException e = assertThrows(TransientException.class,
                () -> client().create("new_bookings", RowValues.create().set("new_name", "B-1")));

        assertEquals(1, requests.size());
        assertTrue(e.outcomeUnknown());
    }

    @Test
    void aConditionalUpdateWhoseAnswerIsLostAndWhoseResendConflictsHasAnUnknownOutcome() {
        loseTheAnswer();
        answerJson(412, VERSION_MISMATCH);

        TransientException e = assertThrows(TransientException.class, () -> client().update(RowRef.of("new_stocks", STOCK),
                RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\"")));

        assertEquals(2, requests.size());
        assertTrue(e.outcomeUnknown());
        assertEquals(412, e.status());
        VersionConflictException cause = assertInstanceOf(VersionConflictException.class, e.getCause());
        assertEquals("0x80060882", cause.code());
    }

    @Test
    void aCreateOnlyUpsertWhoseAnswerIsLostAndWhoseResendFindsTheRowHasAnUnknownOutcome() {
        loseTheAnswer();
        answerJson(412, DUPLICATE_RECORD);

        TransientException e = assertThrows(TransientException.class, () -> client().upsert(RowRef.of("new_bookings", BOOKING),
                RowValues.create().set("new_name", "B-1"), UpsertMode.CREATE_ONLY));

        assertEquals(2, requests.size());
        assertTrue(e.outcomeUnknown());
        assertInstanceOf(DuplicateRecordException.class, e.getCause());
    }

    @Test
    void aConditionalUpdateWhoseAnswerIsLostAndWhoseResendIsRolledBackUntilAttemptsRunOutHasAnUnknownOutcome() {
        loseTheAnswer();
        for (int i = 0; i < 4; i++) {
            answerJson(500, SQL_ROLLBACK);
        }

        TransientException e = assertThrows(TransientException.class, () -> client().update(RowRef.of("new_stocks", STOCK),
                RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\"")));

        assertEquals(5, requests.size());
        assertTrue(e.outcomeUnknown(), "the last send was rolled back, the first may have committed");
    }

    @Test
    void aConflictAfterARolledBackAnswerIsAConflict() {
        answerJson(500, SQL_ROLLBACK);
        answerJson(412, VERSION_MISMATCH);

        assertThrows(VersionConflictException.class, () -> client().update(RowRef.of("new_stocks", STOCK),
                RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\"")));
        assertEquals(2, requests.size());
    }

    @Test
    void aReadWhoseAnswerIsLostIsReadAgainAndItsAnswerStands() {
        loseTheAnswer();
        answerJson(404, "{\"error\":{\"code\":\"0x80040217\",\"message\":\"Does Not Exist\"}}");

        assertEquals(Optional.empty(), client().retrieve(RowRef.of("new_stocks", STOCK)));
        assertEquals(2, requests.size());
    }

    // ------------------------------------------------------------------------------------------------ $batch

    private static final String BATCH_TYPE = "multipart/mixed; boundary=batchresponse_x";

    private static String changesetAnswer(String... items) {
        StringBuilder sb = new StringBuilder();
        sb.append("--batchresponse_x").append(CRLF)
                .append("Content-Type: multipart/mixed; boundary=changesetresponse_y").append(CRLF).append(CRLF);
        for (String item : items) {
            sb.append("--changesetresponse_y").append(CRLF).append(item);
        }
        sb.append("--changesetresponse_y--").append(CRLF).append("--batchresponse_x--").append(CRLF);
        return sb.toString();
    }

    private static String failedItem(int contentId, String statusLine, String json) {
        return "Content-Type: application/http" + CRLF
                + "Content-Transfer-Encoding: binary" + CRLF
                + "Content-ID: " + contentId + CRLF
                + CRLF
                + statusLine + CRLF
                + "Content-Type: application/json; odata.metadata=minimal" + CRLF
                + "OData-Version: 4.0" + CRLF
                + CRLF
                + json + CRLF;
    }

    private String createdItem(int contentId, String entitySet, UUID id) {
        return "Content-Type: application/http" + CRLF
                + "Content-Transfer-Encoding: binary" + CRLF
                + "Content-ID: " + contentId + CRLF
                + CRLF
                + "HTTP/1.1 204 No Content" + CRLF
                + "OData-Version: 4.0" + CRLF
                + "OData-EntityId: " + base + entitySet + "(" + id + ")" + CRLF
                + CRLF;
    }

    /** The answer to {@link #booking()} when it committed. */
    private String bookingCommitted() {
        return changesetAnswer(createdItem(1, "new_bookings", BOOKING), createdItem(2, "new_stocks", STOCK),
                createdItem(3, "new_bookings", BOOKING));
    }

    /** A changeset with a plain create: not guarded, so only an answer that says "rolled back" may be retried. */
    private static Changeset booking() {
        return Changeset.create()
                .create("new_bookings", RowValues.create().set("new_name", "B-1")).as("b")
                .update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\""))
                .update(RowRef.operation("b"), RowValues.create().set("new_status", 2));
    }

    @Test
    void aChangesetWhoseOnlyFailureIsARolledBackDeadlockIsSentAgain() {
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 503 Service Unavailable", SQL_ROLLBACK)));
        answer(200, Map.of("Content-Type", BATCH_TYPE), bookingCommitted());

        ChangesetResult r = client().execute(booking());

        assertEquals(3, r.size());
        assertEquals(BOOKING, r.get("b").id().orElseThrow());
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).body().replaceAll("(batch|changeset)_[0-9a-f-]{36}", "B"),
                requests.get(1).body().replaceAll("(batch|changeset)_[0-9a-f-]{36}", "B"));
        assertEquals(ms(10), slept);
    }

    @Test
    void aChangesetThatKeepsDeadlockingFailsAfterMaxAttemptsWithTheFailingOperation() {
        for (int i = 0; i < 6; i++) {
            answer(400, Map.of("Content-Type", BATCH_TYPE),
                    changesetAnswer(failedItem(2, "HTTP/1.1 503 Service Unavailable", SQL_ROLLBACK)));
        }

        TransientException e = assertThrows(TransientException.class, () -> client().execute(booking()));

        assertEquals(5, requests.size());
        assertEquals("0x80044150", e.code());
        assertEquals(OptionalInt.of(1), e.operationIndex());
        assertEquals(ms(10, 20, 40, 80), slept);
    }

    @Test
    void aChangesetThatFailedOnAConflictIsNotSentAgain() {
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(3, "HTTP/1.1 412 Precondition Failed", VERSION_MISMATCH)));

        VersionConflictException e = assertThrows(VersionConflictException.class, () -> client().execute(booking()));

        assertEquals(1, requests.size());
        assertEquals(OptionalInt.of(2), e.operationIndex());
        assertEquals(412, e.status());
        assertEquals("0x80060882", e.code());
        assertEquals(List.of(), slept);
    }

    @Test
    void aChangesetThrottledInsideTheBatchIsSentAgainAfterThePartsRetryAfter() {
        String throttledItem = "Content-Type: application/http" + CRLF
                + "Content-Transfer-Encoding: binary" + CRLF
                + "Content-ID: 1" + CRLF
                + CRLF
                + "HTTP/1.1 429 Too Many Requests" + CRLF
                + "Retry-After: 5" + CRLF
                + "Content-Type: application/json; odata.metadata=minimal" + CRLF
                + CRLF
                + THROTTLED + CRLF;
        answer(400, Map.of("Content-Type", BATCH_TYPE), changesetAnswer(throttledItem));
        answer(200, Map.of("Content-Type", BATCH_TYPE), bookingCommitted());

        client().execute(booking());

        assertEquals(2, requests.size());
        assertEquals(List.of(Duration.ofSeconds(5)), slept);
    }

    @Test
    void aBatchIsPostedAsMultipartToTheBatchEndpoint() {
        answer(200, Map.of("Content-Type", BATCH_TYPE), bookingCommitted());

        client().execute(booking());

        Recorded r = requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/api/data/v9.2/$batch", r.path());
        assertTrue(r.header("Content-Type").startsWith("multipart/mixed; boundary=batch_"), r.header("Content-Type"));
        assertTrue(r.body().contains("POST " + base + "new_bookings HTTP/1.1"), r.body());
    }

    @Test
    void aThrottledBatchIsSentAgain() {
        answerThrottled("2");
        answer(200, Map.of("Content-Type", BATCH_TYPE), bookingCommitted());

        client().execute(booking());

        assertEquals(2, requests.size());
        assertEquals(List.of(Duration.ofSeconds(2)), slept);
    }

    @Test
    void anUnguardedChangesetAnswered503IsNotSentAgain() {
        answerJson(503, UNAVAILABLE);

        assertThrows(TransientException.class, () -> client().execute(booking()));

        assertEquals(1, requests.size());
    }

    @Test
    void aGuardedChangesetAnswered503IsSentAgain() {
        Changeset guarded = Changeset.create()
                .update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\""));
        answerJson(503, UNAVAILABLE);
        answer(200, Map.of("Content-Type", BATCH_TYPE), changesetAnswer(createdItem(1, "new_stocks", STOCK)));

        ChangesetResult r = client().execute(guarded);

        assertEquals(STOCK, r.get(0).id().orElseThrow());
        assertEquals(2, requests.size());
    }

    /** A changeset whose every write carries a precondition: a resend cannot write twice. */
    private static Changeset guardedBooking() {
        return Changeset.create()
                .update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"77\""))
                .update(RowRef.of("new_bookings", BOOKING), RowValues.create().set("new_status", 2));
    }

    private String bothUpdated() {
        return changesetAnswer(createdItem(1, "new_stocks", STOCK), createdItem(2, "new_bookings", BOOKING));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SQL_ROLLBACK, SQL_ROLLBACK_DECIMAL})
    void aChangesetAnswered500RolledBackInsideTheBatchIsSentAgainWhicheverFormTheCodeHas(String rolledBack) {
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 500 Internal Server Error", rolledBack)));
        answer(200, Map.of("Content-Type", BATCH_TYPE), bookingCommitted());

        client().execute(booking());

        assertEquals(2, requests.size());
    }

    @Test
    void aGuardedChangesetAnswered503InsideTheBatchIsSentAgain() {
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 503 Service Unavailable", COMMIT_UNKNOWN)));
        answer(200, Map.of("Content-Type", BATCH_TYPE), bothUpdated());

        ChangesetResult r = client().execute(guardedBooking());

        assertEquals(2, r.size());
        assertEquals(2, requests.size());
    }

    @Test
    void anUnguardedChangesetWhoseCommitOutcomeIsUnknownInsideTheBatchIsNotSentAgain() {
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(2, "HTTP/1.1 503 Service Unavailable", COMMIT_UNKNOWN)));

        TransientException e = assertThrows(TransientException.class, () -> client().execute(booking()));

        assertEquals(1, requests.size());
        assertTrue(e.outcomeUnknown());
        assertEquals(503, e.status());
        assertEquals(OptionalInt.of(1), e.operationIndex());
    }

    @Test
    void aGuardedChangesetWhoseAnswerIsLostAndWhoseResendConflictsHasAnUnknownOutcome() {
        loseTheAnswer();
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 412 Precondition Failed", VERSION_MISMATCH)));

        TransientException e = assertThrows(TransientException.class, () -> client().execute(guardedBooking()));

        assertEquals(2, requests.size());
        assertTrue(e.outcomeUnknown());
        assertEquals(OptionalInt.of(0), e.operationIndex());
        assertInstanceOf(VersionConflictException.class, e.getCause());
    }

    @Test
    void aGuardedChangesetAnswered503WhoseResendConflictsHasAnUnknownOutcome() {
        answerJson(503, UNAVAILABLE);
        answer(400, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 412 Precondition Failed", VERSION_MISMATCH)));

        TransientException e = assertThrows(TransientException.class, () -> client().execute(guardedBooking()));

        assertEquals(2, requests.size());
        assertTrue(e.outcomeUnknown());
    }

    @Test
    void aLostAnswerMarksTheFailedPartOfABatchAsOfUnknownOutcome() {
        loseTheAnswer();
        answer(200, Map.of("Content-Type", BATCH_TYPE),
                changesetAnswer(failedItem(1, "HTTP/1.1 412 Precondition Failed", VERSION_MISMATCH)));

        BatchResult r = client().execute(Batch.create().changeset(guardedBooking()).continueOnError());

        TransientException e = assertInstanceOf(TransientException.class, r.get(0).failure().orElseThrow());
        assertTrue(e.outcomeUnknown());
        assertEquals(2, requests.size());
    }

    // ------------------------------------------------------------------------------------------------ headers

    @Test
    void everyRequestCarriesTheBearerTokenAndODataVersions() {
        answerThrottled("0");
        answerJson(503, UNAVAILABLE);
        answerStock();
        answer(204, Map.of(), "");

        DataverseClient dv = client();
        dv.retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();
        dv.update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_name", "x"));

        assertEquals(4, requests.size());
        for (Recorded r : requests) {
            assertEquals("4.0", r.header("OData-Version"));
            assertEquals("4.0", r.header("OData-MaxVersion"));
            assertTrue(r.header("Authorization").startsWith("Bearer token-"), r.header("Authorization"));
        }
    }

    @Test
    void theTokenSupplierIsAskedForEveryRequestIncludingRetries() {
        answerThrottled("0");
        answerThrottled("0");
        answerStock();
        answer(204, Map.of(), "");

        DataverseClient dv = client();
        dv.retrieve(RowRef.of("new_stocks", STOCK)).orElseThrow();
        dv.update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_name", "x"));

        assertEquals(4, tokenCalls.get());
        List<String> sent = requests.stream().map(r -> r.header("Authorization")).toList();
        assertEquals(List.of("Bearer token-1", "Bearer token-2", "Bearer token-3", "Bearer token-4"), sent);
    }

    @Test
    void anUnconditionalUpdateSendsIfMatchStarSoItNeverCreates() {
        answer(204, Map.of(), "");

        client().update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_name", "x"));

        assertEquals("*", requests.get(0).header("If-Match"));
        assertEquals("application/json", requests.get(0).header("Content-Type"));
    }
}
