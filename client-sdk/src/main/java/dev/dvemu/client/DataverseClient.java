package dev.dvemu.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client of the Dataverse Web API — real Dataverse or dvemu, the same code. Immutable and thread-safe: build one
 * and share it. Failures are typed by the Dataverse error code ({@link VersionConflictException},
 * {@link DuplicateRecordException}, {@link NotFoundException}, {@link ServiceProtectionException},
 * {@link TransientException}, ...). Throttling (429) is retried after {@code Retry-After}, and so is any request the
 * service answers as rolled back ({@code 0x80044150}, whatever the status); a failure whose outcome is unknown (a
 * lost connection, a 502/503/504 without that code) only for requests that cannot do harm twice (reads, conditional
 * writes, guarded changesets), never for a plain create. A guarded write sent again after its answer was lost can
 * fail on what its first send did (its own new ETag, its own new row): it then ends in a {@link TransientException}
 * with {@link TransientException#outcomeUnknown()} and the last answer as cause, never in a conflict or duplicate
 * that would tell the caller to apply the change again.
 *
 * <pre>{@code
 * DataverseClient dv = DataverseClient.builder(URI.create("http://127.0.0.1:5555/api/data/v9.2/"))
 *         .token(() -> "any")
 *         .retry(RetryPolicy.fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2), 10))
 *         .build();
 * UUID id = dv.create("new_stocks", RowValues.create().set("new_name", "Amsterdam").set("new_availablecount", 12));
 * Row stock = dv.retrieve(RowRef.of("new_stocks", id)).orElseThrow();
 * }</pre>
 */
public final class DataverseClient {
    private static final String JSON_TYPE = "application/json";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final URI baseUrl;
    private final Supplier<String> token;
    private final RetryPolicy retry;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final ObjectMapper json = new ObjectMapper();

    private DataverseClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.token = b.token;
        this.retry = b.retry;
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.timeout = b.timeout;
        this.headers = Map.copyOf(b.headers);
    }

    /** Starts a client for the Web API root, e.g. {@code https://org.crm.dynamics.com/api/data/v9.2/}. */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** A builder holding this client's settings, to derive a client that differs in some. */
    public Builder newBuilder() {
        Builder b = new Builder(baseUrl).token(token).retry(retry).timeout(timeout);
        b.http = http;
        b.headers.putAll(headers);
        return b;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    // ------------------------------------------------------------------------------------------------ CRUD

    /** Creates a row and returns its id (from {@code OData-EntityId}). */
    public UUID create(String entitySet, RowValues values) {
        Answer a = send("POST", entitySet, body(values), Map.of(), false);
        return idFrom(a).orElseThrow(() -> new DataverseException(a.status, "", "the answer named no created row"));
    }

    /** Creates a row and returns it as stored ({@code Prefer: return=representation}), optionally only some columns. */
    public Row createAndReturn(String entitySet, RowValues values, String... select) {
        Answer a = send("POST", entitySet + selectQuery(select), body(values),
                Map.of("Prefer", "return=representation"), false);
        return row(entitySet, a);
    }

    /** The row, with only {@code columns} if any are named; empty when it does not exist. */
    public Optional<Row> retrieve(RowRef ref, String... columns) {
        try {
            Answer a = send("GET", ref.path() + selectQuery(columns), null, Map.of(), true);
            return Optional.of(row(ref.entitySet().orElseThrow(), a));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Updates an existing row whatever its version ({@code If-Match: *}: never creates one). */
    public void update(RowRef ref, RowValues values) {
        send("PATCH", ref.path(), body(values), Map.of("If-Match", "*"), true);
    }

    /** Updates the row only if it is still at {@code etag}; otherwise {@link VersionConflictException}. */
    public void update(RowRef ref, RowValues values, ETag etag) {
        send("PATCH", ref.path(), body(values), Map.of("If-Match", etag.value()), true);
    }

    /** What an upsert did, and the row as stored. */
    public record UpsertResult(boolean created, Row row) {
    }

    /** Creates or updates the row (PATCH without preconditions). */
    public UpsertResult upsert(RowRef ref, RowValues values) {
        return upsert(ref, values, UpsertMode.CREATE_OR_UPDATE);
    }

    public UpsertResult upsert(RowRef ref, RowValues values, UpsertMode mode) {
        Map<String, String> h = new LinkedHashMap<>(Operation.upsert(ref, values, mode).headers());
        h.put("Prefer", "return=representation");
        Answer a = send("PATCH", ref.path(), body(values), h, true);
        return new UpsertResult(a.status == 201, row(ref.entitySet().orElseThrow(), a));
    }

    /** Deletes the row; {@link NotFoundException} when it does not exist. */
    public void delete(RowRef ref) {
        send("DELETE", ref.path(), null, Map.of(), false);
    }

    /** Deletes the row only if it is still at {@code etag}. */
    public void delete(RowRef ref, ETag etag) {
        send("DELETE", ref.path(), null, Map.of("If-Match", etag.value()), true);
    }

    // ------------------------------------------------------------------------------------------------ relationships

    /**
     * Relates {@code related} to {@code row} through a collection-valued navigation property: {@code related}'s
     * lookup then points at {@code row} ({@code POST row/collectionNavigation/$ref}). Either row missing is a
     * {@link NotFoundException}; a row of the wrong table a {@link BadRequestException}.
     *
     * <pre>{@code
     * dv.associate(RowRef.of("accounts", accountId), "contact_customer_accounts", RowRef.of("contacts", contactId));
     * }</pre>
     */
    public void associate(RowRef row, String collectionNavigation, RowRef related) {
        sendReference(Operation.associate(row, collectionNavigation, related));
    }

    /**
     * Removes {@code related} from {@code row}'s collection: its lookup points nowhere, if it pointed at {@code row}
     * ({@code DELETE row/collectionNavigation(<id>)/$ref}; {@code $ref?$id=<URL>} for a row named by alternate key).
     * A row related to another row, or to none, stays as it is.
     *
     * <pre>{@code
     * dv.disassociate(RowRef.of("accounts", accountId), "contact_customer_accounts", RowRef.of("contacts", contactId));
     * }</pre>
     */
    public void disassociate(RowRef row, String collectionNavigation, RowRef related) {
        sendReference(Operation.disassociate(row, collectionNavigation, related));
    }

    /**
     * Points {@code row}'s single-valued navigation property at {@code target} ({@code PUT row/singleNavigation/$ref}).
     *
     * <pre>{@code
     * dv.setReference(RowRef.of("contacts", contactId), "parentcustomerid_account", RowRef.of("accounts", accountId));
     * }</pre>
     */
    public void setReference(RowRef row, String singleNavigation, RowRef target) {
        sendReference(Operation.setReference(row, singleNavigation, target));
    }

    /**
     * Points {@code row}'s single-valued navigation property nowhere ({@code DELETE row/singleNavigation/$ref}).
     *
     * <pre>{@code
     * dv.clearReference(RowRef.of("contacts", contactId), "parentcustomerid_account");
     * }</pre>
     */
    public void clearReference(RowRef row, String singleNavigation) {
        sendReference(Operation.clearReference(row, singleNavigation));
    }

    /** Sends a {@code $ref} write; each writes a lookup to a value, so sending it again cannot do harm. */
    private void sendReference(Operation op) {
        String url = op.relativeUrl(DataverseClient::pathOutsideChangeset, ref -> baseUrl.resolve(pathOutsideChangeset(ref)).toString());
        byte[] body = op.related() == null || op.method().equals("DELETE") ? null
                : JsonBodies.reference(baseUrl.resolve(pathOutsideChangeset(op.related())).toString(), json)
                .getBytes(StandardCharsets.UTF_8);
        send(op.method(), url, body, op.headers(), op.guarded());
    }

    private static String pathOutsideChangeset(RowRef ref) {
        if (ref.operationName().isPresent()) {
            throw new IllegalArgumentException("operation references work only inside a changeset: " + ref);
        }
        return ref.path();
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** The first page of a query. */
    public Page query(Query q) {
        Map<String, String> h = new LinkedHashMap<>();
        q.pageSizeValue().ifPresent(n -> h.put("Prefer", "odata.maxpagesize=" + n));
        return page(q.isRelated() ? null : q.entitySet(), send("GET", q.relativeUrl(), null, h, true), q.pageSizeValue().isPresent()
                ? Optional.of(q.pageSizeValue().getAsInt()) : Optional.empty());
    }

    /** The page after {@code page}, following its {@code @odata.nextLink} unchanged. */
    public Optional<Page> nextPage(Page page) {
        if (page.nextLink().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> h = new LinkedHashMap<>();
        page.pageSize().ifPresent(n -> h.put("Prefer", "odata.maxpagesize=" + n));
        return Optional.of(page(page.entitySet(), send("GET", page.nextLink().get().toString(), null, h, true), page.pageSize()));
    }

    /** Every row of a query, fetched page by page as the stream is consumed. */
    public Stream<Row> stream(Query q) {
        return pages(q).flatMap(p -> p.rows().stream());
    }

    /** Every page of a query, each fetched only when the stream reaches it. */
    public Stream<Page> pages(Query q) {
        Iterator<Page> it = new Iterator<>() {
            private Page last;
            private Page buffered;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (buffered == null && !done) {
                    Optional<Page> p = last == null ? Optional.of(query(q)) : nextPage(last);
                    if (p.isPresent()) {
                        buffered = p.get();
                        last = buffered;
                    } else {
                        done = true;
                    }
                }
                return buffered != null;
            }

            @Override
            public Page next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Page p = buffered;
                buffered = null;
                return p;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * How many rows match (the {@code /$count} of the entity set, or of the related rows, with the query's filter;
     * capped at 5000 by Dataverse).
     */
    public long count(Query q) {
        String url = q.path() + "/$count" + q.filterValue().map(f -> "?$filter=" + ODataLiterals.encodeQuery(f.expression())).orElse("");
        Answer a = send("GET", url, null, Map.of("Accept", "text/plain"), true);
        return Long.parseLong(new String(a.body, StandardCharsets.UTF_8).trim().replace("\uFEFF", ""));
    }

    // ------------------------------------------------------------------------------------------------ changesets

    /**
     * Runs the changeset atomically. On failure nothing of it was written, and the typed failure of the operation
     * that failed is thrown with {@link DataverseException#operationIndex()} set.
     */
    public ChangesetResult execute(Changeset changeset) {
        BatchResult r = execute(Batch.create().changeset(changeset));
        BatchResult.Part part = r.get(0);
        if (part.failure().isPresent()) {
            throw part.failure().get();
        }
        return new ChangesetResult(part.operations(), changeset.names());
    }

    /** Runs a batch; each part's answer or failure is in the result (nothing is thrown for a failed part). */
    public BatchResult execute(Batch batch) {
        if (batch.parts().isEmpty()) {
            return new BatchResult(List.of());
        }
        BatchCodec.Encoded encoded = BatchCodec.encode(baseUrl, batch, json);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", encoded.contentType());
        if (batch.isContinueOnError()) {
            h.put("Prefer", "odata.continue-on-error");
        }
        Resend resend = batch.readsOnly() ? Resend.READ : batch.guarded() ? Resend.GUARDED_WRITE : Resend.UNGUARDED_WRITE;
        Answer a = sendRaw("POST", "$batch", encoded.body(), h, resend, true);
        String contentType = a.header("Content-Type").orElse("");
        if (!contentType.toLowerCase().startsWith("multipart/")) {
            throw ErrorMapper.fromResponse(a.status, a.text(), a.header("Retry-After").orElse(null));
        }
        List<BatchCodec.DecodedPart> decoded = BatchCodec.decode(contentType, a.body);
        List<BatchResult.Part> parts = new ArrayList<>();
        List<Batch.Part> sent = batch.parts();
        for (int i = 0; i < decoded.size() && i < sent.size(); i++) {
            BatchResult.Part part = toPart(sent.get(i), decoded.get(i));
            if (a.afterLostAnswer && part.failure().isPresent()) {
                part = new BatchResult.Part(part.changeset(), part.operations(),
                        Optional.of(ErrorMapper.afterLostAnswer(part.failure().get())));
            }
            parts.add(part);
        }
        return new BatchResult(parts);
    }

    private BatchResult.Part toPart(Batch.Part sent, BatchCodec.DecodedPart decoded) {
        List<OperationResult> results = new ArrayList<>();
        for (int i = 0; i < decoded.responses().size(); i++) {
            BatchCodec.PartResponse r = decoded.responses().get(i);
            if (r.status() >= 400) {
                int index = i;
                if (r.contentId() != null && r.contentId().matches("\\d+")) {
                    index = Integer.parseInt(r.contentId()) - 1;
                }
                DataverseException failure = ErrorMapper.fromResponse(r.status(), r.body(), r.header("Retry-After"));
                return new BatchResult.Part(sent.changeset() != null, List.of(),
                        Optional.of(sent.changeset() != null ? failure.atOperation(index) : failure));
            }
            results.add(BatchCodec.result(r, entitySetOf(sent, i), json));
        }
        return new BatchResult.Part(sent.changeset() != null, results, Optional.empty());
    }

    private static String entitySetOf(Batch.Part part, int index) {
        Operation op = part.changeset() != null ? part.changeset().operations().get(index) : part.operation();
        if (op.target() != null) {
            return op.target().entitySet().orElse("");
        }
        String set = op.entitySet() == null ? "" : op.entitySet();
        int q = set.indexOf('?');
        set = q < 0 ? set : set.substring(0, q);
        return set.contains("/") ? "" : set; // related rows: their set is not in the URL
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /**
     * An answer; {@code afterLostAnswer} when it answers a resend of a write whose earlier answer was lost, so its
     * failures cannot say the write did not take effect (see {@link ErrorMapper#afterLostAnswer}).
     */
    private record Answer(int status, Map<String, List<String>> headers, byte[] body, boolean afterLostAnswer) {
        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                    return Optional.of(h.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Whether a request may be sent again after a failure that leaves its outcome unknown. */
    private enum Resend {
        /** A read: sending it again changes nothing. */
        READ,
        /**
         * A write whose every part carries a precondition or writes the same values again: a second send cannot
         * apply it twice, but it can fail on what the first send did.
         */
        GUARDED_WRITE,
        /** A write that could take effect twice (a plain create, an unconditional delete): never sent again then. */
        UNGUARDED_WRITE;

        static Resend of(String method, boolean idempotent) {
            return !idempotent ? UNGUARDED_WRITE : method.equals("GET") ? READ : GUARDED_WRITE;
        }
    }

    private Answer send(String method, String relativeUrl, byte[] body, Map<String, String> extra, boolean idempotent) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        if (body != null) {
            h.putIfAbsent("Content-Type", JSON_TYPE);
        }
        return sendRaw(method, relativeUrl, body, h, Resend.of(method, idempotent), false);
    }

    /**
     * Sends with the retry policy: throttling is always retried after its Retry-After (the service did not run the
     * request), and so is a failure the service reports as rolled back ({@code 0x80044150}); a failure of unknown
     * outcome only when {@code resend} allows it. Once a write was sent again after its answer was lost, whatever
     * failure ends it is reported as of unknown outcome ({@link ErrorMapper#afterLostAnswer}).
     */
    private Answer sendRaw(String method, String url, byte[] body, Map<String, String> extra, Resend resend,
                           boolean batch) {
        URI uri = url.startsWith("http://") || url.startsWith("https://") ? URI.create(url) : baseUrl.resolve(url);
        RetryPolicy.Backoff backoff = retry.newBackoff();
        boolean afterLostAnswer = false;
        for (int attempt = 1; ; attempt++) {
            DataverseException failure;
            try {
                HttpResponse<byte[]> r = http.send(request(method, uri, body, extra), HttpResponse.BodyHandlers.ofByteArray());
                Answer a = new Answer(r.statusCode(), r.headers().map(), r.body(), afterLostAnswer);
                if (a.status < 400) {
                    return a;
                }
                if (batch && a.header("Content-Type").orElse("").toLowerCase().startsWith("multipart/")) {
                    Optional<DataverseException> again = onlyPartFailure(a).filter(e -> mayResend(e, resend));
                    if (again.isEmpty() || attempt >= retry.maxAttempts()) {
                        return a; // the failures are read from the parts
                    }
                    failure = again.get();
                } else {
                    failure = ErrorMapper.fromResponse(a.status, a.text(), a.header("Retry-After").orElse(null));
                }
            } catch (IOException e) {
                failure = new TransientException(0, "", "no answer from " + uri.getHost() + ": " + e, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException(0, "", "interrupted", null, e);
            }
            if (!mayResend(failure, resend) || attempt >= retry.maxAttempts()) {
                throw afterLostAnswer ? ErrorMapper.afterLostAnswer(failure) : failure;
            }
            afterLostAnswer |= resend == Resend.GUARDED_WRITE && failure instanceof TransientException t && t.outcomeUnknown();
            backoff.sleep(backoff.next(retryAfter(failure)));
        }
    }

    private static boolean mayResend(DataverseException failure, Resend resend) {
        return failure instanceof ServiceProtectionException
                || (failure instanceof TransientException t && (!t.outcomeUnknown() || resend != Resend.UNGUARDED_WRITE));
    }

    /** The failure in a batch answer of one part (a changeset or one operation), if it failed and can be read. */
    private Optional<DataverseException> onlyPartFailure(Answer a) {
        try {
            List<BatchCodec.DecodedPart> parts = BatchCodec.decode(a.header("Content-Type").orElse(""), a.body);
            if (parts.size() != 1) {
                // earlier parts may have committed: sending the whole batch again would run them twice
                return Optional.empty();
            }
            return parts.get(0).responses().stream().filter(r -> r.status() >= 400).findFirst()
                    .map(r -> ErrorMapper.fromResponse(r.status(), r.body(), r.header("Retry-After")));
        } catch (DataverseException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> retryAfter(DataverseException e) {
        return e instanceof ServiceProtectionException s ? s.retryAfter()
                : e instanceof TransientException t ? t.retryAfter() : Optional.empty();
    }

    private HttpRequest request(String method, URI uri, byte[] body, Map<String, String> extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
        String t = token.get();
        if (t != null && !t.isBlank()) {
            b.header("Authorization", "Bearer " + t);
        }
        if (!extra.containsKey("Accept")) {
            b.header("Accept", JSON_TYPE);
        }
        headers.forEach(b::header);
        extra.forEach(b::header);
        return b.build();
    }

    private byte[] body(RowValues values) {
        return JsonBodies.write(values, json, ref -> {
            throw new IllegalArgumentException("operation references work only inside a changeset: " + ref);
        }).getBytes(StandardCharsets.UTF_8);
    }

    private Row row(String entitySet, Answer a) {
        try {
            JsonNode n = json.readTree(a.body);
            if (!(n instanceof ObjectNode o)) {
                throw new DataverseException(a.status, "", "expected a row in the answer");
            }
            return new Row(entitySet, o);
        } catch (IOException e) {
            throw new DataverseException(a.status, "", "the answer is not JSON: " + e.getMessage());
        }
    }

    /** {@code entitySet} {@code null}: the rows' set is the one {@code @odata.context} names (related rows). */
    private Page page(String entitySet, Answer a, Optional<Integer> pageSize) {
        try {
            JsonNode n = json.readTree(a.body);
            if (entitySet == null) {
                entitySet = entitySetOfContext(n.path("@odata.context").asText(""));
            }
            List<Row> rows = new ArrayList<>();
            for (JsonNode r : n.path("value")) {
                if (r instanceof ObjectNode o) {
                    rows.add(new Row(entitySet, o));
                }
            }
            OptionalLong count = n.has("@odata.count") ? OptionalLong.of(n.get("@odata.count").asLong()) : OptionalLong.empty();
            Optional<URI> next = n.hasNonNull("@odata.nextLink") ? Optional.of(URI.create(n.get("@odata.nextLink").asText()))
                    : Optional.empty();
            return new Page(entitySet, rows, count, next, pageSize);
        } catch (IOException e) {
            throw new DataverseException(a.status, "", "the answer is not JSON: " + e.getMessage());
        }
    }

    /** {@code …/$metadata#contacts(fullname)} → {@code contacts}; empty when the context names no set. */
    private static String entitySetOfContext(String context) {
        int hash = context.indexOf('#');
        if (hash < 0) {
            return "";
        }
        String rest = context.substring(hash + 1);
        int end = rest.length();
        for (char c : new char[]{'(', '/', '$'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end);
    }

    private static Optional<UUID> idFrom(Answer a) {
        return a.header("OData-EntityId").map(Optional::of).orElseGet(() -> a.header("Location"))
                .flatMap(url -> new OperationResult(a.status, Optional.of(url), Optional.empty(), Optional.empty()).id());
    }

    private static String selectQuery(String... columns) {
        return columns.length == 0 ? "" : "?$select=" + ODataLiterals.encodeQuery(String.join(",", columns));
    }

    /** Settings of a {@link DataverseClient}. */
    public static final class Builder {
        private final URI baseUrl;
        private Supplier<String> token = () -> null;
        private RetryPolicy retry = RetryPolicy.defaults();
        private HttpClient http;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI baseUrl) {
            String s = Objects.requireNonNull(baseUrl, "baseUrl").toString();
            this.baseUrl = URI.create(s.endsWith("/") ? s : s + "/");
        }

        /** Supplies the bearer token for every request (called each time, so a refreshing supplier works). */
        public Builder token(Supplier<String> token) {
            this.token = Objects.requireNonNull(token);
            return this;
        }

        /** How transient and throttling failures are retried (default {@link RetryPolicy#defaults()}). */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry);
            return this;
        }

        /** The HTTP client to use (default: a new HTTP/1.1 client). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http);
            return this;
        }

        /** How long one request may take. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** A header sent with every request, e.g. {@code CallerObjectId} or {@code MSCRM.SuppressDuplicateDetection}. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public DataverseClient build() {
            return new DataverseClient(this);
        }
    }
}
