package dev.dvemu.server.api.batch;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.Utf8;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.execution.UnitOfWork;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.deserializer.batch.BatchDeserializerException;
import org.apache.olingo.server.api.deserializer.batch.BatchOptions;
import org.apache.olingo.server.api.deserializer.batch.BatchRequestPart;
import org.apache.olingo.server.core.deserializer.batch.BatchParserCommon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST $batch} (§5): the body is parsed completely (Olingo's batch parser, after {@link BatchRequestLines})
 * before anything runs, so a malformed batch writes nothing. Standalone parts run in their own transactions;
 * a changeset runs all its operations in order in ONE transaction (a changeset {@link UnitOfWork}) and any failure
 * rolls all of them back. Each operation goes the same way ({@link Api#process}) as a
 * standalone request.
 */
public final class BatchHandler {
    /** Dataverse's limit on the operations of a batch and of a changeset (§5.1). */
    static final int MAX_OPERATIONS = 1000;
    public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** Dataverse's limit on the URL of a GET inside a batch (§0). */
    static final int MAX_PART_URL = 65_536;

    private final Api api;

    public BatchHandler(Api api) {
        this.api = api;
    }

    /** The answer to a batch: outer status, content type, body, and whether continue-on-error was applied. */
    public record Answer(int status, String contentType, byte[] body, boolean continuedOnError) {
    }

    public Answer handle(ODataRequest outer) {
        return handle(outer, null);
    }

    /** The batch answered; {@code requestId} (the batch request's id) names its parts in the journal. */
    public Answer handle(ODataRequest outer, String requestId) {
        if (outer.getMethod() != HttpMethod.POST) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception(outer.getMethod());
        }
        boolean continueOnError = Requests.preferences(api, outer).hasContinueOnError();
        String boundary = boundary(outer);
        BatchRequestLines.Mended mended = BatchRequestLines.mend(readBody(outer.getBody()), boundary);
        List<BatchRequestPart> parts = parse(outer, boundary, mended.body());

        BatchResponseWriter writer = new BatchResponseWriter();
        Parts journal = new Parts(requestId, mended.generatedContentIds());
        boolean stopped = false;
        for (BatchRequestPart part : parts) {
            boolean ok = part.isChangeSet()
                    ? changeset(part.getRequests(), mended.generatedContentIds(), writer, journal)
                    : standalone(part.getRequests().get(0), writer, journal);
            api.faults().settled(ok);
            if (!ok && !continueOnError) {
                stopped = true;
                break;
            }
        }
        return new Answer(stopped ? 400 : 200, writer.contentType(), writer.finish(), continueOnError);
    }

    /** Records each part in the journal, as it ends: its URL as received, its status and error code. */
    private final class Parts {
        final String batch;
        final Set<String> generatedIds;
        int changesets;

        Parts(String batch, Set<String> generatedIds) {
            this.batch = batch;
            this.generatedIds = generatedIds;
        }

        ODataResponse execute(ODataRequest request, int changeset, UnitOfWork unit) {
            if (!api.journal().enabled()) {
                return BatchHandler.this.execute(request, unit);
            }
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            String url = request.getRawRequestUri();
            String method = request.getMethod().name();
            String contentId = changeset < 0 ? null : request.getHeader("Content-ID");
            ODataResponse response = BatchHandler.this.execute(request, unit);
            String code = null;
            if (response.getStatusCode() >= 400 && response.getContent() != null) {
                try {
                    byte[] body = response.getContent().readAllBytes();
                    code = ApiServlet.errorCode(body);
                    response.setContent(new ByteArrayInputStream(body));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            api.journal().part(startMillis, batch, method, url, request.getRawODataPath(), response.getStatusCode(), code,
                    (System.nanoTime() - start) / 1_000_000, changeset,
                    contentId == null || generatedIds.contains(contentId) ? null : contentId);
            return response;
        }
    }

    private boolean standalone(ODataRequest request, BatchResponseWriter writer, Parts journal) {
        ODataResponse response = journal.execute(request, -1, api.standalone());
        writer.standalone(new BatchResponseWriter.Part(null, response));
        return response.getStatusCode() < 400;
    }

    /** A failure inside a changeset: carries the answer for the whole changeset and rolls its transaction back. */
    private static final class ChangesetFailed extends RuntimeException {
        final BatchResponseWriter.Part answer;

        ChangesetFailed(BatchResponseWriter.Part answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private boolean changeset(List<ODataRequest> requests, Set<String> generatedIds, BatchResponseWriter writer, Parts journal) {
        List<BatchResponseWriter.Part> answers = new ArrayList<>();
        int index = journal.changesets++;
        String lastContentId = null;
        try {
            api.inChangeset(unit -> {
                for (ODataRequest request : requests) {
                    String contentId = request.getHeader("Content-ID");
                    String echoed = contentId == null || generatedIds.contains(contentId) ? null : contentId;
                    ODataResponse response = journal.execute(request, index, unit);
                    BatchResponseWriter.Part answer = new BatchResponseWriter.Part(echoed, response);
                    if (response.getStatusCode() >= 400) {
                        throw new ChangesetFailed(answer);
                    }
                    String entityId = response.getHeader(Http.ODATA_ENTITY_ID);
                    if (entityId != null) {
                        unit.declareContentId(contentId, rowPath(request, entityId));
                    }
                    answers.add(answer);
                }
                return null;
            });
        } catch (ChangesetFailed failed) {
            // §5.3: a failed changeset is answered by the failing operation alone; nothing of it was committed
            writer.changeset(List.of(failed.answer));
            return false;
        } catch (DataverseException commitFailed) {
            // the commit itself failed (serialization failure, lost connection): nothing is visible; retryable
            if (!requests.isEmpty()) {
                lastContentId = requests.get(requests.size() - 1).getHeader("Content-ID");
            }
            writer.changeset(List.of(new BatchResponseWriter.Part(
                    lastContentId == null || generatedIds.contains(lastContentId) ? null : lastContentId,
                    ApiServlet.errorResponse(commitFailed))));
            return false;
        }
        writer.changeset(answers);
        return true;
    }

    /** One operation, through the same path as a standalone request; $n in its URL resolved first (§5.2). */
    private ODataResponse execute(ODataRequest request, UnitOfWork unit) {
        try {
            if (request.getRawRequestUri() != null && request.getRawRequestUri().length() > MAX_PART_URL) {
                throw DataverseError.URL_TOO_LONG.exception(MAX_PART_URL);
            }
            resolveUrlReference(request, unit);
            ODataResponse response = api.process(request, unit);
            String entityId = response.getHeader(Http.ODATA_ENTITY_ID);
            if (entityId != null && response.getHeader("Location") == null) {
                response.setHeader("Location", entityId); // batch parts carry both (§3, §5.3)
            }
            response.setHeader(Http.ODATA_VERSION, "4.0");
            return response;
        } catch (DataverseException e) {
            return ApiServlet.errorResponse(e);
        } catch (RuntimeException | StackOverflowError e) {
            // a bug of ours must cost this operation only, not the answers of the parts already run
            return ApiServlet.errorResponse(ApiServlet.unexpected(request.getMethod() + " " + request.getRawODataPath(), e));
        }
    }

    private static void resolveUrlReference(ODataRequest request, UnitOfWork unit) {
        String path = request.getRawODataPath();
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!UnitOfWork.isContentIdReference(p)) {
            return;
        }
        int slash = p.indexOf('/');
        String ref = slash < 0 ? p : p.substring(0, slash);
        String rest = slash < 0 ? "" : p.substring(slash);
        String resolved = "/" + unit.resolveContentId(ref) + rest;
        request.setRawODataPath(resolved);
        request.setRawRequestUri(Requests.serviceRoot(request) + resolved.substring(1)
                + (request.getRawQueryPath() == null || request.getRawQueryPath().isEmpty() ? "" : "?" + request.getRawQueryPath()));
    }

    /** {@code http://host/api/data/v9.2/new_bookings(<id>)} → {@code new_bookings(<id>)} */
    private static String rowPath(ODataRequest request, String entityId) {
        String root = Requests.serviceRoot(request);
        return entityId.startsWith(root) ? entityId.substring(root.length()) : BatchRequestLines.relative(entityId);
    }

    /** The outer boundary; a batch that is not multipart/mixed (a JSON batch, say) is refused before it is read. */
    private static String boundary(ODataRequest outer) {
        String contentType = outer.getHeader(Http.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            throw DataverseError.BATCH_CONTENT_TYPE.exception(contentType == null ? "(none)" : contentType);
        }
        try {
            return BatchParserCommon.getBoundary(contentType, 0);
        } catch (BatchDeserializerException e) {
            throw DataverseError.BATCH_MALFORMED.exception(e.getTranslatedMessage(Locale.ENGLISH).getMessage());
        }
    }

    private List<BatchRequestPart> parse(ODataRequest outer, String boundary, byte[] body) {
        List<BatchRequestPart> parts;
        try {
            parts = api.odata().createFixedFormatDeserializer().parseBatchRequest(new ByteArrayInputStream(body), boundary,
                    BatchOptions.with().isStrict(false).rawBaseUri(outer.getRawBaseUri()).build());
        } catch (BatchDeserializerException e) {
            String message = e.getTranslatedMessage(Locale.ENGLISH).getMessage();
            if (e.getMessageKey() == BatchDeserializerException.MessageKeys.INVALID_CHANGESET_METHOD) {
                throw DataverseError.BATCH_GET_IN_CHANGESET.exception();
            }
            throw DataverseError.BATCH_MALFORMED.exception(message);
        } catch (RuntimeException e) {
            throw DataverseError.BATCH_MALFORMED.exception("the multipart body could not be read.");
        }
        int operations = 0;
        for (BatchRequestPart p : parts) {
            operations += p.getRequests().size();
            if (p.isChangeSet() && p.getRequests().isEmpty()) {
                throw DataverseError.BATCH_MALFORMED.exception("a change set has no operations.");
            }
        }
        if (operations > MAX_OPERATIONS) {
            throw DataverseError.BATCH_TOO_MANY_OPERATIONS.exception(MAX_OPERATIONS);
        }
        return parts;
    }

    private static byte[] readBody(InputStream in) {
        try {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw DataverseError.REQUEST_TOO_LARGE.exception();
            }
            if (!Utf8.isValid(bytes)) {
                // the framing is ASCII and every body JSON: bytes that are not UTF-8 would reach a part rewritten
                throw DataverseError.BATCH_MALFORMED.exception("The batch body is not valid UTF-8.");
            }
            return bytes;
        } catch (IOException e) {
            throw DataverseError.BATCH_MALFORMED.exception("Stream was not readable.");
        }
    }
}
