package dev.dvemu.server.api;

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
 * before that parser reads it (architecture.md, "Known places where Olingo's defaults differ"):
 * <ul>
 *   <li>request lines with an absolute URL on another scheme, host or port, or another {@code /api/data/v9.x/}
 *       version — clients behind port mapping, or built for the cloud host, send them (§5.1) — become relative;</li>
 *   <li>{@code Host:} headers inside parts, which Olingo compares with its own address, are dropped;</li>
 *   <li>changeset items without {@code Content-ID} (optional on Dataverse, §5.1; required by Olingo) get a
 *       generated one, which is not echoed in the response.</li>
 * </ul>
 * CRLF and bare LF line endings are both kept as they are; Olingo reads either. The body is handled as
 * ISO-8859-1 so every byte, including UTF-8 in JSON bodies, passes through unchanged.
 */
final class BatchRequestLines {
    static final String GENERATED_CONTENT_ID_PREFIX = "dvemu-";
    private static final Pattern REQUEST_LINE =
            Pattern.compile("^(GET|POST|PUT|PATCH|DELETE|MERGE|HEAD|OPTIONS) (\\S+) (HTTP/1\\.[01])$");
    private static final Pattern ABSOLUTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(.*)$");
    private static final Pattern API_PATH = Pattern.compile("^/?api/data/v\\d+(?:\\.\\d+)?/?(.*)$");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

    private BatchRequestLines() {
    }

    /** The mended body, and the Content-IDs this class made up. */
    record Mended(byte[] body, Set<String> generatedContentIds) {
    }

    static Mended mend(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<String> lines = splitKeepingEndings(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        Set<String> changesetBoundaries = new HashSet<>();
        Set<String> generated = new HashSet<>();
        boolean inItemHeaders = false;
        boolean itemHasContentId = false;
        int counter = 0;
        for (String line : lines) {
            String ending = line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
            String content = line.substring(0, line.length() - ending.length());
            if (inItemHeaders) {
                if (content.isEmpty()) {
                    if (!itemHasContentId) {
                        String id = GENERATED_CONTENT_ID_PREFIX + (++counter);
                        generated.add(id);
                        out.append("Content-ID: ").append(id).append(ending);
                    }
                    inItemHeaders = false;
                } else if (content.toLowerCase(Locale.ROOT).startsWith("content-id:")) {
                    itemHasContentId = true;
                }
                out.append(line);
                continue;
            }
            String lower = content.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:") && lower.contains("multipart/mixed")) {
                Matcher b = BOUNDARY.matcher(content);
                if (b.find()) {
                    changesetBoundaries.add(b.group(1) != null ? b.group(1) : b.group(2));
                }
            } else if (content.startsWith("--") && changesetBoundaries.contains(content.substring(2).trim())) {
                inItemHeaders = true;
                itemHasContentId = false;
            } else if (lower.startsWith("host:")) {
                continue;
            } else {
                Matcher m = REQUEST_LINE.matcher(content);
                if (m.matches()) {
                    out.append(m.group(1)).append(' ').append(relative(m.group(2))).append(' ').append(m.group(3)).append(ending);
                    continue;
                }
            }
            out.append(line);
        }
        return new Mended(out.toString().getBytes(StandardCharsets.ISO_8859_1), generated);
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
