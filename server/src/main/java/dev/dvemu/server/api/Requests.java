package dev.dvemu.server.api;


import dev.dvemu.server.api.json.Annotations;
import dev.dvemu.server.api.query.Expansions;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.execution.Org;
import dev.dvemu.server.execution.RequestOptions;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.prefer.Preferences;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** What the processors read from a request and write to a response, in one place. */
public final class Requests {
    private Requests() {
    }

    public static UriResourceEntitySet entitySetPart(UriInfo uriInfo) {
        UriResource first = uriInfo.getUriResourceParts().get(0);
        if (first instanceof UriResourceEntitySet es) {
            return es;
        }
        throw notYet(uriInfo, 0);
    }

    /**
     * 501 for a path Dataverse answers and dvemu does not yet, naming the path and the segment dvemu stops at
     * (principle: what is not implemented is refused by name).
     */
    public static DataverseException notYet(UriInfo uriInfo, int segment) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        String path = parts.stream().map(UriResource::getSegmentValue).collect(Collectors.joining("/"));
        String at = segment < parts.size() ? parts.get(segment).getSegmentValue() : path;
        return notYet("The path '" + path + "' (at the segment '" + at + "')");
    }

    /** 501: {@code what} is supported by Dataverse but not yet by dvemu. */
    public static DataverseException notYet(String what) {
        return DataverseError.NOT_IMPLEMENTED.exception(what + " is supported by Dataverse but not yet by dvemu.");
    }

    public static TableDef table(Api api, UriResourceEntitySet es) {
        String name = es.getEntitySet().getName();
        return api.catalog().byEntitySet(name)
                .orElseThrow(() -> DataverseError.RESOURCE_NOT_FOUND_FOR_SEGMENT.exception(name));
    }

    /** The row the URL names: by alternate key (taken out of the URL by {@link RequestNormalizer}) or by id. */
    public static RowAddress address(ODataRequest request, UriResourceEntitySet es, TableDef table) {
        String alternateKey = request.getHeader(Http.ALTERNATE_KEY);
        if (alternateKey != null) {
            return KeyPredicates.resolve(table, alternateKey);
        }
        List<UriParameter> keys = es.getKeyPredicates();
        if (keys == null || keys.size() != 1) {
            throw DataverseError.INVALID_KEY.exception(table.qualifiedTypeName());
        }
        String text = keys.get(0).getText();
        try {
            return RowAddress.byId(table, UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw DataverseError.INVALID_KEY.exception(table.qualifiedTypeName());
        }
    }

    public static Precondition precondition(ODataRequest request) {
        return Precondition.fromHeaders(request.getHeader(Http.IF_MATCH), request.getHeader(Http.IF_NONE_MATCH));
    }

    public static Preferences preferences(Api api, ODataRequest request) {
        List<String> prefer = request.getHeaders(Http.PREFER);
        return api.odata().createPreferences(prefer == null ? List.of() : prefer);
    }

    public static boolean returnRepresentation(Api api, ODataRequest request) {
        return preferences(api, request).getReturn() == Preferences.Return.REPRESENTATION;
    }

    /** The annotations a response carries; echoes the preference in {@code Preference-Applied} when there are any. */
    public static Annotations annotations(Api api, ODataRequest request, ODataResponse response) {
        Preferences.Preference p = preferences(api, request).getPreference("odata.include-annotations");
        Annotations a = Annotations.parse(java.util.Optional.ofNullable(p == null ? null : p.getValue()));
        if (a.any()) {
            response.addHeader(Http.PREFERENCE_APPLIED, a.preferenceApplied());
        }
        return a;
    }

    /**
     * How the request's operations run (§f): its {@code tag}, the bypass headers, the user it runs as, and whether
     * an error carries annotations. A bypass header with a value Dataverse does not take is refused.
     */
    public static RequestOptions options(Api api, ODataRequest request) {
        boolean bypassSync = false;
        String legacy = request.getHeader(Http.BYPASS_CUSTOM_PLUGINS);
        if (legacy != null) {
            if (!legacy.trim().equalsIgnoreCase("true") && !legacy.trim().equalsIgnoreCase("false")) {
                throw DataverseError.BAD_REQUEST.exception("The " + Http.BYPASS_CUSTOM_PLUGINS
                        + " header must be true or false, not '" + legacy + "'.");
            }
            bypassSync = legacy.trim().equalsIgnoreCase("true");
        }
        String logic = request.getHeader(Http.BYPASS_BUSINESS_LOGIC);
        if (logic != null) {
            for (String v : logic.split(",")) {
                String value = v.trim();
                if (value.equalsIgnoreCase("CustomSync")) {
                    bypassSync = true;
                } else if (!value.equalsIgnoreCase("CustomAsync")) {
                    throw DataverseError.BAD_REQUEST.exception("The " + Http.BYPASS_BUSINESS_LOGIC
                            + " header takes CustomSync, CustomAsync or both, separated by a comma; not '" + value + "'.");
                }
            }
        }
        Set<UUID> steps = Set.of();
        String stepIds = request.getHeader(Http.BYPASS_STEP_IDS);
        if (stepIds != null) {
            steps = new HashSet<>();
            for (String v : stepIds.replace("\"", "").split(",")) {
                try {
                    steps.add(UUID.fromString(v.trim()));
                } catch (IllegalArgumentException e) {
                    throw DataverseError.BAD_REQUEST.exception("The " + Http.BYPASS_STEP_IDS
                            + " header takes step ids (GUIDs) separated by commas; '" + v.trim() + "' is not one.");
                }
            }
        }
        Optional<String> tag = Optional.empty();
        String query = request.getRawQueryPath();
        if (query != null && query.contains("tag=")) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("tag=")) {
                    tag = Optional.of(RequestNormalizer.decode(pair.substring(4)));
                }
            }
        }
        boolean errorAnnotations = false;
        List<String> prefer = request.getHeaders(Http.PREFER);
        if (prefer != null && prefer.toString().contains("include-annotations")) {
            // parsed only when it can matter: most writes carry no such preference
            Preferences.Preference p = preferences(api, request).getPreference("odata.include-annotations");
            errorAnnotations = p != null && Annotations.parse(Optional.ofNullable(p.getValue())).errorDetails();
        }
        if (legacy == null && logic == null && stepIds == null && tag.isEmpty() && !errorAnnotations
                && request.getHeader("MSCRMCallerID") == null && request.getHeader("CallerObjectId") == null) {
            return RequestOptions.DEFAULT;
        }
        return new RequestOptions(tag, bypassSync, steps, RequestSurface.impersonatedUser(request).orElse(Org.USER_ID),
                errorAnnotations);
    }

    /** How a context URL lists expansions: {@code nav(col,col,nested(col))}. */
    private static List<String> expansionSegments(Expansions expansions) {
        List<String> out = new java.util.ArrayList<>();
        for (Expansions.Item item : expansions.items()) {
            if (item instanceof Expansions.LookupReference) {
                // as Dataverse writes it: accounts(name,primarycontactid,primarycontactid/$ref())
                out.add(item.navigation());
                out.add(item.navigation() + "/$ref()");
                continue;
            }
            TableDef target = item instanceof Expansions.SingleValued one ? one.target()
                    : ((Expansions.CollectionValued) item).relationship().related();
            List<String> inner = new java.util.ArrayList<>();
            if (item.columns().size() != target.columns().size()) {
                inner.add(named(item.columns()));
            }
            inner.addAll(expansionSegments(item.nested()));
            out.add(item.navigation() + "(" + String.join(",", inner) + ")");
        }
        return out;
    }

    /** What a context URL lists for selected columns: the id is in every row but only listed when it alone is. */
    private static String named(List<ColumnDef> columns) {
        List<ColumnDef> named = columns.stream().filter(c -> c.origin() != ColumnDef.Origin.PRIMARY_ID).toList();
        return (named.isEmpty() ? columns : named).stream().map(ColumnDef::propertyName).collect(Collectors.joining(","));
    }

    /** The columns a response carries: all of them, or the id plus those in $select (§8). */
    public static List<ColumnDef> selected(TableDef table, SelectOption select) {
        if (select == null || select.getSelectItems() == null || select.getSelectItems().isEmpty()) {
            return table.columns();
        }
        Set<ColumnDef> chosen = new LinkedHashSet<>();
        for (SelectItem item : select.getSelectItems()) {
            if (item.isStar()) {
                return table.columns();
            }
            List<UriResource> parts = item.getResourcePath() == null ? List.of() : item.getResourcePath().getUriResourceParts();
            if (parts.size() != 1 || !(parts.get(0) instanceof UriResourcePrimitiveProperty p)) {
                throw DataverseError.NOT_SUPPORTED.exception("$select may only name columns of " + table.entitySetName() + ".");
            }
            String name = p.getProperty().getName();
            chosen.add(table.columnByProperty(name).orElseThrow(() ->
                    DataverseError.PROPERTY_NOT_FOUND.exception(name, table.qualifiedTypeName())));
        }
        return selected(table, chosen);
    }

    /** The id and the chosen columns, in table order. */
    public static List<ColumnDef> selected(TableDef table, Set<ColumnDef> chosen) {
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef c : table.columns()) {
            if (c.origin() == ColumnDef.Origin.PRIMARY_ID || chosen.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    public static String serviceRoot(ODataRequest request) {
        String base = request.getRawBaseUri();
        return base.endsWith("/") ? base : base + "/";
    }

    /** {@code <root>$metadata#accounts(name,revenue)}, with {@code /$entity} for a single row (§8). */
    public static String contextUrl(ODataRequest request, TableDef table, List<ColumnDef> columns, boolean single) {
        return contextUrl(request, table, columns, single, Expansions.NONE);
    }

    /**
     * The context URL: the entity set, then what {@code $select} named and each expansion with what its own
     * {@code $select} named ({@code accounts(name,primarycontactid(fullname))}, dataverse-features.md §b).
     */
    public static String contextUrl(ODataRequest request, TableDef table, List<ColumnDef> columns, boolean single,
                                    Expansions expansions) {
        StringBuilder sb = new StringBuilder(serviceRoot(request)).append("$metadata#").append(table.entitySetName());
        List<String> listed = new java.util.ArrayList<>();
        if (columns.size() != table.columns().size()) {
            // a lookup expanded as a reference is listed by its navigation property, with the reference
            List<ColumnDef> named = columns.stream().filter(c -> expansions.items().stream().noneMatch(i ->
                    i instanceof Expansions.LookupReference r && r.lookup().equals(c))).toList();
            listed.add(named(named));
        }
        listed.addAll(expansionSegments(expansions));
        if (!listed.isEmpty()) {
            sb.append('(').append(String.join(",", listed)).append(')');
        }
        if (single) {
            sb.append("/$entity");
        }
        return sb.toString();
    }

    /** The URL of a row, in the form the request used (id or alternate key), as OData-EntityId carries it (§3, §9). */
    public static String rowUrl(ODataRequest request, RowAddress address) {
        return serviceRoot(request) + address.table().entitySetName() + "(" + address.urlPredicate() + ")";
    }

    public static String rowUrl(ODataRequest request, Row row) {
        return serviceRoot(request) + row.table().entitySetName() + "(" + row.id() + ")";
    }

    public static void json(ODataResponse response, int status, byte[] body) {
        response.setStatusCode(status);
        response.setHeader(Http.CONTENT_TYPE, Http.JSON);
        response.setContent(new ByteArrayInputStream(body));
    }

    public static void noContent(ODataResponse response) {
        response.setStatusCode(204);
    }
}
