package dev.dvemu.server.api;

import dev.dvemu.server.api.edm.DataverseEdmProvider;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.CustomApis;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The places where Dataverse's URLs and headers differ from what Olingo's parser accepts, fixed up before Olingo
 * sees the request (architecture.md principle 5). Each rule cites dataverse-web-api.md:
 * <ul>
 *   <li>an unknown first segment is {@code 0x8006088a} "Resource not found for the segment" (§6, §10);</li>
 *   <li>alternate keys ({@code accounts(accountnumber='A-1')}, §9) are taken out of the URL, which then names a
 *       placeholder id, and passed to the processors in the {@link Http#ALTERNATE_KEY} header;</li>
 *   <li>{@code WhoAmI} may be called without parentheses (§10);</li>
 *   <li>an unbound custom API is a first segment of its own, and a custom function's omitted optional parameters are
 *       named as {@code null} ({@link FunctionCalls});</li>
 *   <li>{@code $expand} on PATCH is ignored, as Dataverse ignores it (§4);</li>
 *   <li>{@code Prefer: return=...} on GET and DELETE is ignored, not refused (Olingo refuses it);</li>
 *   <li>{@code .../column/$value} answers text/plain even to {@code Accept: application/json} (§4).</li>
 * </ul>
 */
public final class RequestNormalizer {
    /** The id a URL names when the row is really addressed by an alternate key. */
    static final String PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

    private RequestNormalizer() {
    }

    static ODataRequest normalize(ODataRequest in, Catalog catalog) {
        return normalize(in, catalog, CustomApis.NONE);
    }

    static ODataRequest normalize(ODataRequest in, Catalog catalog, CustomApis apis) {
        String path = in.getRawODataPath() == null ? "" : in.getRawODataPath();
        String newPath = path;
        String alternateKey = null;
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        String rawFirst = slash < 0 ? trimmed : trimmed.substring(0, slash);
        String rest = slash < 0 ? "" : trimmed.substring(slash);
        String first = decode(rawFirst);
        if (!first.isEmpty() && !first.equals("$metadata") && !first.equals("$batch")) {
            int paren = first.indexOf('(');
            String name = paren < 0 ? first : first.substring(0, paren);
            Optional<CustomApis.Declared> unbound = apis.byName(name).filter(d -> d.boundTable().isEmpty());
            if (name.equals(DataverseEdmProvider.WHO_AM_I)) {
                if (paren < 0) {
                    newPath = "/" + DataverseEdmProvider.WHO_AM_I + "()" + rest;
                }
            } else if (unbound.isPresent()) {
                if (unbound.get().api().isFunction() && in.getMethod() == HttpMethod.GET) {
                    newPath = "/" + FunctionCalls.complete(rawFirst, name, unbound.get(), in.getRawQueryPath()) + rest;
                }
            } else {
                Optional<TableDef> table = catalog.byEntitySet(name);
                if (table.isEmpty()) {
                    throw DataverseError.RESOURCE_NOT_FOUND_FOR_SEGMENT.exception(name);
                }
                if (paren >= 0) {
                    if (!first.endsWith(")")) {
                        throw DataverseError.BAD_URI.exception("Bad request - the key of '" + name + "' is not closed with ')'.");
                    }
                    String predicate = first.substring(paren + 1, first.length() - 1);
                    // refuses, naming what the client sent, a key that is not one of the table's or not a GUID
                    KeyPredicates.resolve(table.get(), predicate);
                    if (KeyPredicates.isAlternateKey(table.get(), predicate)) {
                        alternateKey = predicate;
                        newPath = "/" + name + "(" + PLACEHOLDER_ID + ")" + rest;
                    }
                    newPath = boundFunction(newPath, apis, in);
                }
            }
        }
        boolean dropReturnPreference = in.getMethod() == HttpMethod.GET || in.getMethod() == HttpMethod.DELETE;
        // a raw value is text/plain whatever the client accepts; clients send Accept: application/json on every call (§0, §4)
        boolean dropAccept = decode(rest).endsWith("/$value");
        // $metadata is CSDL XML on Dataverse whatever Accept says: it speaks OData 4.0, which has no JSON CSDL (§10)
        boolean metadata = first.equals("$metadata");
        ODataRequest out = new ODataRequest();
        out.setMethod(in.getMethod());
        out.setBody(in.getBody());
        out.setProtocol(in.getProtocol());
        out.setRawBaseUri(in.getRawBaseUri());
        out.setRawServiceResolutionUri(in.getRawServiceResolutionUri());
        out.setRawQueryPath(in.getMethod() == HttpMethod.PATCH ? withoutExpand(in.getRawQueryPath()) : in.getRawQueryPath());
        out.setRawODataPath(newPath);
        out.setRawRequestUri(in.getRawRequestUri());
        for (Map.Entry<String, List<String>> h : in.getAllHeaders().entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase(Http.ALTERNATE_KEY)
                    || ((dropAccept || metadata) && name.equalsIgnoreCase("Accept"))) {
                continue;
            }
            if (dropReturnPreference && name.equalsIgnoreCase(Http.PREFER)) {
                List<String> kept = withoutReturnPreference(h.getValue());
                if (!kept.isEmpty()) {
                    out.addHeader(name, kept);
                }
                continue;
            }
            out.addHeader(name, h.getValue());
        }
        if (alternateKey != null) {
            out.addHeader(Http.ALTERNATE_KEY, alternateKey);
        }
        if (metadata) {
            out.addHeader("Accept", "application/xml");
        }
        return out;
    }

    /** {@code set(<id>)/Microsoft.Dynamics.CRM.<function>(...)} with the function's parameters completed. */
    private static String boundFunction(String path, CustomApis apis, ODataRequest in) {
        HttpMethod method = in.getMethod();
        String prefix = "/" + DataverseEdmProvider.NAMESPACE + ".";
        int at = path.indexOf(prefix);
        if (method != HttpMethod.GET || at < 0 || path.indexOf('/', at + 1) >= 0) {
            return path;
        }
        String segment = FunctionCalls.structural(path.substring(at + prefix.length()));
        int paren = segment.indexOf('(');
        String name = paren < 0 ? segment : segment.substring(0, paren);
        Optional<CustomApis.Declared> api = apis.byName(name).filter(d -> d.api().isFunction() && d.boundTable().isPresent());
        if (api.isEmpty()) {
            return path;
        }
        return path.substring(0, at + prefix.length()) + FunctionCalls.complete(segment, name, api.get(), in.getRawQueryPath());
    }

    private static List<String> withoutReturnPreference(List<String> values) {
        List<String> kept = new ArrayList<>();
        for (String v : values) {
            List<String> parts = new ArrayList<>();
            for (String p : v.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) { // commas outside quotes
                if (!p.trim().toLowerCase().startsWith("return=") && !p.isBlank()) {
                    parts.add(p.trim());
                }
            }
            if (!parts.isEmpty()) {
                kept.add(String.join(",", parts));
            }
        }
        return kept;
    }

    /** The query without {@code $expand}, which a PATCH ignores (§4) and Olingo would validate. */
    private static String withoutExpand(String query) {
        if (query == null || !query.contains("expand")) {
            return query;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (!decode(eq < 0 ? pair : pair.substring(0, eq)).trim().equals("$expand")) {
                kept.add(pair);
            }
        }
        return String.join("&", kept);
    }

    public static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DataverseError.BAD_URI.exception("The URL is not correctly percent-encoded: '" + s + "'.");
        }
    }
}
