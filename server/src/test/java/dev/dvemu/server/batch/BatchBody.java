package dev.dvemu.server.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a multipart/mixed {@code $batch} body the way clients write them by hand: parts and changesets with
 * request lines, headers and JSON bodies, joined with the chosen line ending.
 */
public final class BatchBody {
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.1 (\\d{3}) .*$", Pattern.MULTILINE);
    private final String boundary;
    private final String eol;
    private final List<String> lines = new ArrayList<>();
    private String changeset;

    BatchBody(String boundary, String eol) {
        this.boundary = boundary;
        this.eol = eol;
    }

    public static BatchBody crlf() {
        return new BatchBody("batch_" + Long.toHexString(System.nanoTime()), "\r\n");
    }

    static BatchBody lf() {
        return new BatchBody("batch_" + Long.toHexString(System.nanoTime()), "\n");
    }

    String boundary() {
        return boundary;
    }

    public String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    public BatchBody beginChangeset() {
        changeset = "changeset_" + Long.toHexString(System.nanoTime());
        lines.add("--" + boundary);
        lines.add("Content-Type: multipart/mixed; boundary=" + changeset);
        lines.add("");
        return this;
    }

    public BatchBody endChangeset() {
        lines.add("--" + changeset + "--");
        changeset = null;
        return this;
    }

    /** An operation: inside the open changeset (with the Content-ID, if not null) or as a standalone part. */
    public BatchBody op(String contentId, String method, String url, String json, String... headers) {
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

    public String build() {
        return build(1);
    }

    /** The status of every part of a {@code $batch} answer, in order, read from its HTTP status lines. */
    public static List<Integer> statuses(String responseBody) {
        List<Integer> out = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(responseBody);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }
}
