package dev.dvemu.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes {@code $batch} request bodies (multipart/mixed, CRLF, absolute URLs, Content-IDs 1..n per changeset)
 * and reads the multipart answers (Jakarta Mail parses the MIME; each part is an HTTP response message).
 */
final class BatchCodec {
    private static final String CRLF = "\r\n";

    private BatchCodec() {
    }

    /** A request body and its Content-Type. */
    record Encoded(String contentType, byte[] body) {
    }

    /** One HTTP response inside a batch answer. */
    record PartResponse(String contentId, int status, Map<String, String> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    /** A decoded part of the answer: a changeset's responses, or one standalone response. */
    record DecodedPart(boolean changeset, List<PartResponse> responses) {
    }

    static Encoded encode(URI base, Batch batch, ObjectMapper json) {
        String boundary = "batch_" + UUID.randomUUID();
        StringBuilder sb = new StringBuilder();
        for (Batch.Part part : batch.parts()) {
            sb.append("--").append(boundary).append(CRLF);
            if (part.changeset() != null) {
                String cs = "changeset_" + UUID.randomUUID();
                sb.append("Content-Type: multipart/mixed; boundary=").append(cs).append(CRLF).append(CRLF);
                List<Operation> ops = part.changeset().operations();
                Map<String, Integer> names = part.changeset().names();
                for (int i = 0; i < ops.size(); i++) {
                    sb.append("--").append(cs).append(CRLF);
                    writeOperation(sb, base, ops.get(i), Integer.toString(i + 1), names, json);
                }
                sb.append("--").append(cs).append("--").append(CRLF);
            } else {
                writeOperation(sb, base, part.operation(), null, Map.of(), json);
            }
        }
        sb.append("--").append(boundary).append("--").append(CRLF);
        return new Encoded("multipart/mixed; boundary=" + boundary, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeOperation(StringBuilder sb, URI base, Operation op, String contentId,
                                       Map<String, Integer> names, ObjectMapper json) {
        sb.append("Content-Type: application/http").append(CRLF);
        sb.append("Content-Transfer-Encoding: binary").append(CRLF);
        if (contentId != null) {
            sb.append("Content-ID: ").append(contentId).append(CRLF);
        }
        sb.append(CRLF);
        sb.append(op.method()).append(' ').append(url(base, op, names)).append(" HTTP/1.1").append(CRLF);
        String body = body(base, op, names, json);
        if (body != null) {
            sb.append("Content-Type: application/json").append(CRLF);
        } else {
            sb.append("Accept: application/json").append(CRLF);
        }
        for (Map.Entry<String, String> h : op.headers().entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append(CRLF);
        }
        sb.append(CRLF);
        if (body != null) {
            sb.append(body).append(CRLF);
        } else {
            // the CRLF before the next boundary belongs to the boundary: without this one the headers would not end
            sb.append(CRLF);
        }
    }

    private static String body(URI base, Operation op, Map<String, Integer> names, ObjectMapper json) {
        if (op.body() != null) {
            return JsonBodies.write(op.body(), json, ref -> reference(ref, names));
        }
        if (op.isReference() && op.related() != null && !op.method().equals("DELETE")) {
            return JsonBodies.reference(rowId(base, op.related(), names), json);
        }
        return null;
    }

    private static String url(URI base, Operation op, Map<String, Integer> names) {
        if (op.target() != null && op.target().operationName().isPresent()) {
            // a Content-ID reference starts the URL; the service resolves it to the row's URL
            return op.relativeUrl(ref -> reference(ref, names), ref -> rowId(base, ref, names));
        }
        return base.resolve(op.relativeUrl(RowRef::path, ref -> rowId(base, ref, names))).toString();
    }

    /** How {@code @odata.id} and {@code $id} name a row: its absolute URL, or {@code $n} for an earlier operation's. */
    private static String rowId(URI base, RowRef ref, Map<String, Integer> names) {
        return ref.operationName().isPresent() ? reference(ref, names) : base.resolve(ref.path()).toString();
    }

    private static String reference(RowRef ref, Map<String, Integer> names) {
        Integer index = names.get(ref.operationName().orElseThrow());
        return "$" + (index + 1);
    }

    static List<DecodedPart> decode(String contentType, byte[] body) {
        try {
            MimeMultipart outer = new MimeMultipart(new ByteArrayDataSource(body, contentType));
            List<DecodedPart> parts = new ArrayList<>();
            for (int i = 0; i < outer.getCount(); i++) {
                BodyPart p = outer.getBodyPart(i);
                if (p.getContentType() != null && p.getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                    MimeMultipart inner = new MimeMultipart(new ByteArrayDataSource(raw(p), p.getContentType()));
                    List<PartResponse> responses = new ArrayList<>();
                    for (int j = 0; j < inner.getCount(); j++) {
                        responses.add(response(inner.getBodyPart(j)));
                    }
                    parts.add(new DecodedPart(true, responses));
                } else {
                    parts.add(new DecodedPart(false, List.of(response(p))));
                }
            }
            return parts;
        } catch (MessagingException | IOException e) {
            throw new DataverseException(0, "", "the $batch answer could not be read: " + e.getMessage());
        }
    }

    private static byte[] raw(BodyPart p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** Reads the HTTP response message inside an application/http part. */
    private static PartResponse response(BodyPart p) throws MessagingException, IOException {
        String[] ids = p.getHeader("Content-ID");
        String contentId = ids == null || ids.length == 0 ? null : ids[0].trim();
        String text = new String(raw(p), StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        int sepLength = 4;
        if (headerEnd < 0) {
            headerEnd = text.indexOf("\n\n");
            sepLength = 2;
        }
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String bodyText = headerEnd < 0 ? "" : text.substring(headerEnd + sepLength).strip();
        String[] lines = head.split("\r?\n");
        String[] status = lines[0].trim().split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return new PartResponse(contentId, Integer.parseInt(status[1]), headers, bodyText);
    }

    /** The result of a successful part response. */
    static OperationResult result(PartResponse r, String entitySetHint, ObjectMapper json) {
        Optional<Row> row = Optional.empty();
        if (!r.body().isEmpty() && r.body().startsWith("{")) {
            try {
                ObjectNode node = (ObjectNode) json.readTree(r.body());
                row = Optional.of(new Row(entitySetHint, node));
            } catch (IOException | ClassCastException e) {
                row = Optional.empty();
            }
        }
        String entityId = r.header("OData-EntityId");
        Optional<ETag> etag = Optional.ofNullable(r.header("ETag")).map(ETag::new);
        if (etag.isEmpty() && row.isPresent() && row.get().json().hasNonNull("@odata.etag")) {
            etag = Optional.of(row.get().etag());
        }
        return new OperationResult(r.status(), Optional.ofNullable(entityId), row, etag);
    }
}
