package dev.dvemu.server.api.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What real Dataverse clients put in a {@code $batch} body that Olingo's batch parser refuses, mended line by line
 * before that parser reads it (architecture.md, "Known places where Olingo's defaults differ"). Dataverse's own
 * parser accepts all of these (§5.1):
 * <ul>
 *   <li>request lines with an absolute URL on another scheme, host or port, or another {@code /api/data/v9.x/}
 *       version — clients behind port mapping, or built for the cloud host, send them — become relative;</li>
 *   <li>request lines whose URL holds unencoded spaces ({@code GET accounts?$filter=name eq 'a b' HTTP/1.1}) get
 *       them percent-encoded;</li>
 *   <li>{@code Host:} and {@code Authorization:} headers of a part's request are dropped: Olingo compares the
 *       first with its own address and refuses the second, and the outer request's authorization covers every
 *       part;</li>
 *   <li>blank lines after a body-less GET, up to the next boundary, are dropped (Olingo reads them as a body a
 *       GET may not have);</li>
 *   <li>changeset items without {@code Content-ID} (optional on Dataverse, required by Olingo) get a generated
 *       one, which is not echoed in the response.</li>
 * </ul>
 * Nothing else changes: a line that is not where this reading expects it is passed on as it is, for Olingo to
 * refuse, so the framing that keeps a changeset whole is still checked by one strict parser. CRLF and bare LF line
 * endings are both kept as they are; Olingo reads either. The body is handled as ISO-8859-1 so every byte, including
 * UTF-8 in JSON bodies, passes through unchanged.
 */
public final class BatchRequestLines {
    static final String GENERATED_CONTENT_ID_PREFIX = "dvemu-";
    private static final Pattern REQUEST_LINE =
            Pattern.compile("^(GET|POST|PUT|PATCH|DELETE|MERGE|HEAD|OPTIONS) (.+) (HTTP/1\\.[01])$");
    private static final Pattern ABSOLUTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(.*)$");
    private static final Pattern API_PATH = Pattern.compile("^/?api/data/v\\d+(?:\\.\\d+)?/?(.*)$");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

    /** Where in a part a line is. */
    private enum Place {
        /** between parts, or between a boundary and the first part of a changeset */
        BETWEEN,
        /** the MIME headers of a part, after its boundary */
        PART_HEADERS,
        /** after the part's headers, before the request line */
        REQUEST_LINE,
        /** the headers of the part's request */
        REQUEST_HEADERS,
        /** the body of the part's request */
        BODY
    }

    private BatchRequestLines() {
    }

    /** The mended body, and the Content-IDs this class made up. */
    record Mended(byte[] body, Set<String> generatedContentIds) {
    }

    static Mended mend(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(text.length() + 64);
        Set<String> boundaries = new HashSet<>();
        boundaries.add(boundary);
        Set<String> changesetBoundaries = new HashSet<>();
        Set<String> generated = new HashSet<>();
        Place place = Place.BETWEEN;
        boolean changesetItem = false;
        boolean multipartPart = false;
        boolean hasContentId = false;
        boolean get = false;
        int counter = 0;
        for (String line : splitKeepingEndings(text)) {
            String ending = line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
            String content = line.substring(0, line.length() - ending.length());
            String lower = content.toLowerCase(Locale.ROOT);
            String delimiter = delimiter(content, boundaries);
            if (delimiter != null) {
                place = content.trim().endsWith(delimiter + "--") ? Place.BETWEEN : Place.PART_HEADERS;
                changesetItem = changesetBoundaries.contains(delimiter);
                multipartPart = false;
                hasContentId = false;
                out.append(line);
                continue;
            }
            switch (place) {
                case PART_HEADERS -> {
                    if (content.isEmpty()) {
                        if (changesetItem && !hasContentId) {
                            String id = GENERATED_CONTENT_ID_PREFIX + (++counter);
                            generated.add(id);
                            out.append("Content-ID: ").append(id).append(ending);
                        }
                        place = multipartPart ? Place.BETWEEN : Place.REQUEST_LINE;
                    } else if (lower.startsWith("content-id:")) {
                        hasContentId = true;
                    } else if (lower.startsWith("content-type:") && lower.contains("multipart/mixed")) {
                        Matcher b = BOUNDARY.matcher(content);
                        if (b.find()) {
                            String changeset = b.group(1) != null ? b.group(1) : b.group(2);
                            changesetBoundaries.add(changeset);
                            boundaries.add(changeset);
                            multipartPart = true;
                        }
                    }
                }
                case REQUEST_LINE -> {
                    Matcher m = REQUEST_LINE.matcher(content);
                    if (m.matches()) {
                        get = m.group(1).equals("GET");
                        place = Place.REQUEST_HEADERS;
                        out.append(m.group(1)).append(' ').append(relative(m.group(2).trim()).replace(" ", "%20"))
                                .append(' ').append(m.group(3)).append(ending);
                        continue;
                    }
                }
                case REQUEST_HEADERS -> {
                    if (content.isEmpty()) {
                        place = Place.BODY;
                    } else if (lower.startsWith("host:") || lower.startsWith("authorization:")) {
                        continue;
                    }
                }
                case BODY -> {
                    if (get && content.isBlank()) {
                        continue;
                    }
                }
                case BETWEEN -> {
                    // preamble and the lines between a changeset's boundary header and its first item
                }
            }
            out.append(line);
        }
        return new Mended(out.toString().getBytes(StandardCharsets.ISO_8859_1), generated);
    }

    /** The boundary a delimiter line ({@code --b} or {@code --b--}) opens or closes, or null for any other line. */
    private static String delimiter(String line, Set<String> boundaries) {
        if (!line.startsWith("--")) {
            return null;
        }
        String b = line.substring(2).trim();
        if (b.endsWith("--") && boundaries.contains(b.substring(0, b.length() - 2))) {
            return b.substring(0, b.length() - 2);
        }
        return boundaries.contains(b) ? b : null;
    }

    /** {@code https://any.host:443/api/data/v9.0/new_stocks(1)} and {@code /api/data/v9.2/new_stocks(1)} → {@code new_stocks(1)}. */
    static String relative(String url) {
        String path = url;
        Matcher abs = ABSOLUTE.matcher(url);
        if (abs.matches()) {
            path = abs.group(1);
        }
        Matcher api = API_PATH.matcher(path);
        if (api.matches()) {
            return api.group(1);
        }
        return abs.matches() ? url : path;
    }

    private static List<String> splitKeepingEndings(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
