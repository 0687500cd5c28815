package dev.dvemu.server.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a multipart/mixed {@code $batch} body the way clients write them by hand: parts and changesets with
 * request lines, headers and JSON bodies, joined with the chosen line ending.
 */
final class BatchBody {
    private final String boundary;
    private final String eol;
    private final List<String> lines = new ArrayList<>();
    private String changeset;

    BatchBody(String boundary, String eol) {
        this.boundary = boundary;
        this.eol = eol;
    }

    static BatchBody crlf() {
        return new BatchBody("batch_" + Long.toHexString(System.nanoTime()), "\r\n");
    }

    static BatchBody lf() {
        return new BatchBody("batch_" + Long.toHexString(System.nanoTime()), "\n");
    }

    String boundary() {
        return boundary;
    }

    String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    BatchBody beginChangeset() {
        changeset = "changeset_" + Long.toHexString(System.nanoTime());
        lines.add("--" + boundary);
        lines.add("Content-Type: multipart/mixed; boundary=" + changeset);
        lines.add("");
        return this;
    }

    BatchBody endChangeset() {
        lines.add("--" + changeset + "--");
        changeset = null;
        return this;
    }

    /** An operation: inside the open changeset (with the Content-ID, if not null) or as a standalone part. */
    BatchBody op(String contentId, String method, String url, String json, String... headers) {
        lines.add("--" + (changeset != null ? changeset : boundary));
        lines.add("Content-Type: application/http");
        lines.add("Content-Transfer-Encoding: binary");
        if (contentId != null) {
            lines.add("Content-ID: " + contentId);
        }
        lines.add("");
        lines.add(method + " " + url + " HTTP/1.1");
        if (json != null) {
            lines.add("Content-Type: application/json");
        }
        lines.addAll(List.of(headers));
        lines.add("");
        if (json != null) {
            lines.add(json);
        }
        return this;
    }

    /** The body ending with the closing boundary and {@code trailingEols} line endings after it. */
    String build(int trailingEols) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append(eol);
        }
        sb.append("--").append(boundary).append("--");
        sb.append(eol.repeat(trailingEols));
        return sb.toString();
    }

    String build() {
        return build(1);
    }
}
