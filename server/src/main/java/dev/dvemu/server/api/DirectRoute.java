package dev.dvemu.server.api;

import dev.dvemu.server.api.processor.ErrorBodyProcessor;
import dev.dvemu.server.api.processor.RowProcessor;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ODataServerError;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The requests that make up nearly all of a busy client's traffic — GET, PATCH and DELETE of {@code set(<guid>)}
 * and POST to {@code set}, with at most {@code $select} and the headers every client sends — served without
 * Olingo's URI parser, content negotiation and dispatcher, which cost about a quarter of the server's CPU on them.
 * The same {@link RowProcessor} methods do the work, so the answer is the one the Olingo route gives; a request
 * this class does not recognise with certainty (any other query option, Accept or Content-Type, an alternate key, a
 * navigation, a method override) is left to Olingo. {@code DirectRouteTest} holds the two routes to the same
 * answers.
 */
public final class DirectRoute {
    private static final Set<String> JSON_ACCEPTS = Set.of("application/json", "*/*", "application/*",
            "application/json;odata.metadata=minimal");
    private static final Set<String> JSON_CONTENT_TYPES = Set.of("application/json", "application/json;charset=utf-8",
            "application/json;odata.metadata=minimal", "application/json;odata.metadata=minimal;charset=utf-8");
    private static final Set<String> VERSIONS = Set.of("4.0", "4.01");
    /** Headers that change how Olingo reads the request, so a request carrying one goes Olingo's way. */
    private static final Set<String> OLINGO_ONLY_HEADERS = Set.of("x-http-method", "x-http-method-override", "accept-charset",
            Http.ALTERNATE_KEY.toLowerCase(Locale.ROOT));
    private static final String SELECT = "$select=";

    private final Api api;
    private final Catalog catalog;
    private final ErrorBodyProcessor errors;

    DirectRoute(Api api, ErrorBodyProcessor errors) {
        this.api = api;
        this.catalog = api.catalog();
        this.errors = errors;
    }

    /** What a request asks for, when it is one this route serves. */
    record Target(HttpMethod method, TableDef table, Optional<UUID> id, List<ColumnDef> columns) {
    }

    /** The answer to the request, or {@code null} when the request is not one this route recognises. */
    ODataResponse serve(ODataRequest request, UnitOfWork unit) {
        Target target = recognise(request, catalog);
        if (target == null) {
            return null;
        }
        ODataResponse response = new ODataResponse();
        RowProcessor rows = new RowProcessor(api, unit);
        try {
            RowAddress address = target.id().map(id -> RowAddress.byId(target.table(), id)).orElse(null);
            switch (target.method()) {
                case GET -> rows.read(request, response, address, target::columns);
                case PATCH -> rows.update(request, response, address, target::columns);
                case DELETE -> rows.delete(request, response, address);
                case POST -> rows.create(request, response, target.table(), target::columns);
                default -> throw new IllegalStateException("not a direct method: " + target.method());
            }
        } catch (DataverseException e) {
            return ApiServlet.errorResponse(e);
        } catch (RuntimeException e) {
            // what Olingo's handler does with a processor's unforeseen failure
            response = new ODataResponse();
            errors.processError(request, response, new ODataServerError().setException(e).setStatusCode(500)
                    .setMessage(e.getMessage()), null);
            return response;
        }
        response.setHeader(Http.ODATA_VERSION, "4.0");
        return response;
    }

    static Target recognise(ODataRequest request, Catalog catalog) {
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.PATCH && method != HttpMethod.DELETE && method != HttpMethod.POST) {
            return null;
        }
        String path = request.getRawODataPath();
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            return null;
        }
        int paren = path.indexOf('(');
        String set;
        Optional<UUID> id;
        if (method == HttpMethod.POST) {
            if (paren >= 0 || path.indexOf('/', 1) >= 0) {
                return null;
            }
            set = path.substring(1);
            id = Optional.empty();
        } else {
            // set(8-4-4-4-12) and nothing after it
            if (paren < 0 || path.length() != paren + 38 || path.charAt(path.length() - 1) != ')') {
                return null;
            }
            UUID key = guid(path, paren + 1);
            if (key == null) {
                return null;
            }
            set = path.substring(1, paren);
            id = Optional.of(key);
        }
        Optional<TableDef> table = catalog.byEntitySet(set);
        if (table.isEmpty() || !plainHeaders(request, method)) {
            return null;
        }
        List<ColumnDef> columns = columns(table.get(), request.getRawQueryPath());
        return columns == null ? null : new Target(method, table.get(), id, columns);
    }

    private static boolean plainHeaders(ODataRequest request, HttpMethod method) {
        boolean body = method == HttpMethod.PATCH || method == HttpMethod.POST;
        boolean jsonBody = false;
        for (Map.Entry<String, List<String>> header : request.getAllHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (OLINGO_ONLY_HEADERS.contains(name)) {
                return false;
            }
            for (String value : header.getValue()) {
                switch (name) {
                    case "odata-version", "odata-maxversion" -> {
                        if (!VERSIONS.contains(value.trim())) {
                            return false;
                        }
                    }
                    case "accept" -> {
                        for (String range : value.split(",")) {
                            if (!JSON_ACCEPTS.contains(squeeze(range))) {
                                return false;
                            }
                        }
                    }
                    case "content-type" -> {
                        if (body && !(jsonBody = header.getValue().size() == 1 && JSON_CONTENT_TYPES.contains(squeeze(value)))) {
                            return false;
                        }
                    }
                    default -> {
                        // read by the processors, as on the Olingo route
                    }
                }
            }
        }
        return !body || jsonBody;
    }

    /** The columns to answer with: all, or the id and those a plain {@code $select=a,b} names; null for anything else. */
    private static List<ColumnDef> columns(TableDef table, String query) {
        if (query == null || query.isEmpty()) {
            return table.columns();
        }
        if (!query.startsWith(SELECT) || query.indexOf('&') >= 0 || query.length() == SELECT.length()) {
            return null;
        }
        Set<ColumnDef> chosen = new LinkedHashSet<>();
        for (String name : query.substring(SELECT.length()).split(",", -1)) {
            Optional<ColumnDef> column = name.isEmpty() ? Optional.empty() : table.columnByProperty(name);
            if (column.isEmpty()) {
                return null;
            }
            chosen.add(column.get());
        }
        return Requests.selected(table, chosen);
    }

    /** The 36-character GUID at {@code from}, or null when the text there is not exactly one. */
    private static UUID guid(String s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) {
                return null;
            }
        }
        return UUID.fromString(s.substring(from, from + 36));
    }

    private static String squeeze(String headerValue) {
        StringBuilder sb = new StringBuilder(headerValue.length());
        for (int i = 0; i < headerValue.length(); i++) {
            char c = headerValue.charAt(i);
            if (c != ' ' && c != '\t') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
