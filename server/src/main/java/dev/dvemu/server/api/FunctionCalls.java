package dev.dvemu.server.api;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.CustomApis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A custom function's URL segment ({@code new_Price(Amount=@a)}) as Olingo's parser takes it: Olingo picks a
 * function by the exact set of parameter names, so omitted optional parameters are added as {@code null}, and a
 * missing required or unknown parameter is refused here with Dataverse's error rather than Olingo's "not found".
 */
final class FunctionCalls {
    private FunctionCalls() {
    }

    /** The raw segment (percent-encoding kept) with every declared parameter named. */
    static String complete(String encodedSegment, String name, CustomApis.Declared api) {
        String rawSegment = structural(encodedSegment);
        int open = rawSegment.indexOf('(');
        String inner = "";
        if (open >= 0) {
            if (!rawSegment.endsWith(")")) {
                return rawSegment; // Olingo answers the syntax error
            }
            inner = rawSegment.substring(open + 1, rawSegment.length() - 1);
        }
        Set<String> given = new LinkedHashSet<>();
        List<String> pieces = split(inner);
        for (String piece : pieces) {
            int eq = piece.indexOf('=');
            String parameter = RequestNormalizer.decode(eq < 0 ? piece : piece.substring(0, eq)).trim();
            if (parameter.isEmpty()) {
                continue;
            }
            if (api.requestParameter(parameter).isEmpty()) {
                throw DataverseError.PARAMETER_UNKNOWN.exception(parameter, api.name());
            }
            given.add(parameter);
        }
        List<String> all = new ArrayList<>(pieces.stream().filter(p -> !p.isBlank()).toList());
        for (CustomApi.Parameter p : api.api().requestParameters()) {
            if (given.contains(p.name())) {
                continue;
            }
            if (!p.optional()) {
                throw DataverseError.PARAMETER_MISSING.exception(p.name());
            }
            all.add(p.name() + "=null");
        }
        return name + "(" + String.join(",", all) + ")";
    }

    /**
     * The segment with its parentheses, commas and equals signs decoded (clients may percent-encode them; Olingo
     * decodes them alike), other escapes kept.
     */
    static String structural(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                String hex = raw.substring(i + 1, i + 3).toUpperCase(java.util.Locale.ROOT);
                char plain = switch (hex) {
                    case "28" -> '(';
                    case "29" -> ')';
                    case "2C" -> ',';
                    case "3D" -> '=';
                    default -> 0;
                };
                if (plain != 0) {
                    sb.append(plain);
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Splits on the commas outside single-quoted literals ({@code '} or {@code %27}; {@code ''} inside one). */
    private static List<String> split(String inner) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '%' && inner.regionMatches(true, i, "%27", 0, 3)) {
                quoted = !quoted;
                i += 2;
            } else if (c == ',' && !quoted) {
                out.add(inner.substring(from, i));
                from = i + 1;
            }
        }
        out.add(inner.substring(from));
        return out;
    }
}
