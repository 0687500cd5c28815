package dev.dvemu.server.api;

import dev.dvemu.server.api.json.CustomApiParameters;
import dev.dvemu.plugin.CustomApi;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.CustomApis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A custom function's URL segment ({@code new_Price(Amount=@a)}) as Olingo's parser takes it: Olingo picks a
 * function by the exact set of parameter names, so omitted optional parameters are added as {@code null}, and a
 * missing required or unknown parameter, or a value of the wrong type, is refused here with the error an action's
 * body gets rather than Olingo's "not found".
 */
public final class FunctionCalls {
    private FunctionCalls() {
    }

    /**
     * The raw segment (percent-encoding kept) with every declared parameter named. The values, inline or through
     * aliases in {@code rawQuery}, are checked here, so a wrong one is answered as in an action's body.
     */
    static String complete(String encodedSegment, String name, CustomApis.Declared api, String rawQuery) {
        String rawSegment = structural(encodedSegment);
        int open = rawSegment.indexOf('(');
        String inner = "";
        if (open >= 0) {
            if (!rawSegment.endsWith(")")) {
                return rawSegment; // Olingo answers the syntax error
            }
            inner = rawSegment.substring(open + 1, rawSegment.length() - 1);
        }
        Map<String, String> literals = new LinkedHashMap<>();
        List<String> pieces = new ArrayList<>();
        for (String piece : split(inner)) {
            if (piece.isBlank()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String parameter = RequestNormalizer.decode(eq < 0 ? piece : piece.substring(0, eq)).trim();
            String value = eq < 0 ? "" : RequestNormalizer.decode(piece.substring(eq + 1)).trim();
            if (value.startsWith("@")) {
                value = alias(value, rawQuery);
            }
            if (literals.put(parameter, value) != null) {
                throw DataverseError.BAD_URI.exception("Bad Request - the parameter '" + parameter + "' of " + api.name()
                        + " is given twice.");
            }
            pieces.add(piece);
        }
        // refuses unknown and missing parameters and values of the wrong type, as an action's body
        CustomApiParameters.fromUrl(api, literals);
        for (CustomApi.Parameter p : api.api().requestParameters()) {
            if (!literals.containsKey(p.name())) {
                pieces.add(p.name() + "=null");
            }
        }
        return name + "(" + String.join(",", pieces) + ")";
    }

    /**
     * The arguments of a function call's URL segment ({@code Name(Query=@p1,ClientVersionStamp='x')}), by parameter
     * name, decoded, aliases resolved from {@code rawQuery}; a parameter given twice or a missing alias is a 400. Only the
     * parameters written are returned; an empty map for {@code Name} and {@code Name()}. With {@code plusIsSpace} an
     * alias's value is decoded as a form value ({@code +} is a space), as clients that send JSON in an alias through
     * .NET's {@code HttpUtility.UrlEncode} need (query-schema-definitions.md's PowerShell examples).
     */
    public static Map<String, String> arguments(String encodedSegment, String functionName, String rawQuery,
                                                boolean plusIsSpace) {
        String rawSegment = structural(encodedSegment);
        int open = rawSegment.indexOf('(');
        Map<String, String> out = new LinkedHashMap<>();
        if (open < 0) {
            return out;
        }
        if (!rawSegment.endsWith(")")) {
            throw DataverseError.BAD_URI.exception("Bad Request - Error in query syntax: the parameters of "
                    + functionName + " are not closed by ')'.");
        }
        for (String piece : split(rawSegment.substring(open + 1, rawSegment.length() - 1))) {
            if (piece.isBlank()) {
                continue;
            }
            int eq = piece.indexOf('=');
            if (eq < 0) {
                throw DataverseError.BAD_URI.exception("Bad Request - Error in query syntax: '"
                        + RequestNormalizer.decode(piece) + "' is not 'Parameter=value' in the call of " + functionName + ".");
            }
            String parameter = RequestNormalizer.decode(piece.substring(0, eq)).trim();
            String value = RequestNormalizer.decode(piece.substring(eq + 1)).trim();
            if (value.startsWith("@")) {
                value = alias(value, plusIsSpace && rawQuery != null ? rawQuery.replace("+", "%20") : rawQuery);
            }
            if (out.put(parameter, value) != null) {
                throw DataverseError.BAD_URI.exception("Bad Request - the parameter '" + parameter + "' of " + functionName
                        + " is given twice.");
            }
        }
        return out;
    }

    /** The value of {@code @name} in the query string. */
    private static String alias(String alias, String rawQuery) {
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && RequestNormalizer.decode(pair.substring(0, eq)).trim().equals(alias)) {
                    return RequestNormalizer.decode(pair.substring(eq + 1)).trim();
                }
            }
        }
        throw DataverseError.BAD_URI.exception("Bad Request - Error in query syntax. Missing alias '" + alias + "'.");
    }

    /**
     * The segment with its parentheses, commas and equals signs decoded (clients may percent-encode them; Olingo
     * decodes them alike), other escapes kept.
     */
    public static String structural(String raw) {
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
