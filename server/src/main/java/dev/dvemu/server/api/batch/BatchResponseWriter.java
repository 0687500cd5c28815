package dev.dvemu.server.api.batch;

import org.eclipse.jetty.http.HttpStatus;
import org.apache.olingo.server.api.ODataResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@code $batch} response framed exactly as Dataverse frames it (§5.3): outer boundary
 * {@code batchresponse_<uuid>}, changesets as nested {@code changesetresponse_<uuid>} parts (DynamicsWebApi finds
 * changesets by that literal; Olingo's own serializer writes {@code changeset_}), every part
 * {@code application/http} with {@code Content-Transfer-Encoding: binary}, Content-IDs echoed inside changesets,
 * CRLF line endings throughout. This is the one place that framing is decided.
 */
public final class BatchResponseWriter {
    /** One answered operation; {@code contentId} is null when there is none to echo. */
    record Part(String contentId, ODataResponse response) {
    }

    private final String boundary = "batchresponse_" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    void standalone(Part part) {
        line("--" + boundary);
        writePart(part, false);
    }

    void changeset(List<Part> parts) {
        String cs = "changesetresponse_" + UUID.randomUUID();
        line("--" + boundary);
        line("Content-Type: multipart/mixed; boundary=" + cs);
        line("");
        for (Part p : parts) {
            line("--" + cs);
            writePart(p, true);
        }
        line("--" + cs + "--");
    }

    byte[] finish() {
        line("--" + boundary + "--");
        return out.toByteArray();
    }

    private void writePart(Part part, boolean inChangeset) {
        line("Content-Type: application/http");
        line("Content-Transfer-Encoding: binary");
        if (inChangeset && part.contentId() != null) {
            line("Content-ID: " + part.contentId());
        }
        line("");
        ODataResponse r = part.response();
        line("HTTP/1.1 " + r.getStatusCode() + " " + reason(r.getStatusCode()));
        for (Map.Entry<String, List<String>> h : r.getAllHeaders().entrySet()) {
            for (String v : h.getValue()) {
                line(h.getKey() + ": " + v);
            }
        }
        line("");
        if (r.getContent() != null) {
            try (InputStream in = r.getContent()) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line("");
        }
    }

    /** The reason phrase of HTTP/1.1 (RFC 9110), as .NET writes it; Jetty's own table says "Server Error" for 500. */
    private static String reason(int status) {
        return status == 500 ? "Internal Server Error" : HttpStatus.getMessage(status);
    }

    private void line(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[]{'\r', '\n'});
    }
}
