package dev.dvemu.server.api;

import dev.dvemu.server.api.query.ExpressionLimits;
import dev.dvemu.server.error.DataverseError;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every query option, {@code Prefer} preference and header that changes what Dataverse returns, and what dvemu does
 * with it (dataverse-web-api.md §0, §8; dataverse-features.md). An emulator that answers 200 with data the client
 * did not ask for is worse than one that refuses, so each is either implemented, refused by name — 400 where
 * Dataverse refuses it too, 501 where Dataverse has it and dvemu does not yet — or ignored for a stated reason: it
 * changes nothing in an environment like dvemu's (no plug-ins, no duplicate-detection rules). {@link #check} runs
 * before any request is routed, batch parts included; {@code RequestSurfaceTest} holds every row of these tables.
 */
public final class RequestSurface {
    /** What dvemu does with one item of the surface. */
    enum Treatment {
        /** dvemu does what Dataverse does */
        IMPLEMENTED,
        /** accepted and without effect; {@link Item#reason} says why that is what Dataverse would do here too */
        IGNORED,
        /** refused with 400, as Dataverse refuses it */
        NOT_SUPPORTED,
        /** refused with 501: Dataverse has it, dvemu does not yet */
        NOT_YET
    }

    /** One query option, preference or header; {@code reason} is the refusal message or why it may be ignored. */
    record Item(String name, Treatment treatment, String reason) {
    }

    /** System query options ({@code $...}), by exact name: option names are case-sensitive on Dataverse (§8). */
    static final Map<String, Item> SYSTEM_QUERY_OPTIONS = index(
            implemented("$select"), implemented("$filter"), implemented("$orderby"), implemented("$top"),
            implemented("$count"), implemented("$skiptoken"),
            implemented("$expand"),
            notYet("$apply", "The query option $apply (aggregation) is supported by Dataverse but not yet by dvemu."),
            notYet("$deltatoken", "Change tracking ($deltatoken) is supported by Dataverse but not yet by dvemu."),
            implemented("$id"),
            notSupported("$skip"), notSupported("$search"), notSupported("$format"), notSupported("$compute"),
            notSupported("$levels"), notSupported("$index"), notSupported("$schemaversion"));

    /** Custom query options Dataverse gives meaning to, by lower-case name; any other is ignored, as Dataverse does. */
    static final Map<String, Item> CUSTOM_QUERY_OPTIONS = index(
            notYet("fetchxml", "FetchXML queries (fetchXml=) are supported by Dataverse but not yet by dvemu."),
            notYet("savedquery", "Saved queries (savedQuery=) are supported by Dataverse but not yet by dvemu."),
            notYet("userquery", "User queries (userQuery=) are supported by Dataverse but not yet by dvemu."),
            new Item("tag", Treatment.IMPLEMENTED, "Plug-in steps see it as the shared variable 'tag'."),
            new Item("annotations", Treatment.NOT_YET,
                    "$metadata with annotations=true is supported by Dataverse but not yet by dvemu; ask without it."));

    /** {@code Prefer} preferences, by lower-case name; any other is ignored, as RFC 7240 and Dataverse do. */
    static final Map<String, Item> PREFERENCES = index(
            implemented("return"), implemented("odata.include-annotations"), implemented("odata.maxpagesize"),
            implemented("odata.continue-on-error"),
            notYet("odata.track-changes", "Change tracking (Prefer: odata.track-changes) is supported by Dataverse but not yet by dvemu."),
            ignored("respond-async", "Dataverse answers Web API requests synchronously, as dvemu does."),
            ignored("odata.callback", "Dataverse answers Web API requests synchronously, as dvemu does."),
            ignored("wait", "Dataverse answers Web API requests synchronously, as dvemu does."),
            ignored("odata.allow-entityreferences", "An OData 4.0 preference Dataverse does not act on."),
            ignored("handling", "An OData 4.0 preference Dataverse does not act on."));

    /** Request headers Dataverse gives meaning to, by lower-case name (§0, dataverse-features.md §f). */
    static final Map<String, Item> HEADERS = index(
            implemented("if-match"), implemented("if-none-match"), implemented("prefer"),
            new Item("mscrmcallerid", Treatment.IMPLEMENTED,
                    "Impersonation by systemuserid: WhoAmI answers the impersonated user's id."),
            new Item("callerobjectid", Treatment.IMPLEMENTED,
                    "Impersonation by Microsoft Entra object id: WhoAmI answers it as the user's id."),
            ignored("mscrm.suppressduplicatedetection",
                    "Duplicate detection needs duplicate-detection rules; dvemu has none, like an environment without rules."),
            new Item("mscrm.bypasscustompluginexecution", Treatment.IMPLEMENTED,
                    "true: no synchronous plug-in step runs (every caller holds the bypass privilege)."),
            new Item("mscrm.bypassbusinesslogicexecution", Treatment.IMPLEMENTED,
                    "CustomSync: no synchronous plug-in step runs; CustomAsync changes nothing (dvemu runs no asynchronous steps)."),
            new Item("mscrm.bypassbusinesslogicexecutionstepids", Treatment.IMPLEMENTED,
                    "The plug-in steps with these ids do not run."),
            ignored("mscrm.solutionuniquename", "Used by metadata changes, which dvemu does not take."),
            ignored("mscrm.mergelabels", "Used by metadata changes, which dvemu does not take."),
            ignored("consistency", "dvemu reads from the one database it writes to: every read is strongly consistent."));

    private RequestSurface() {
    }

    /** Refuses what dvemu must not answer as if it had understood it; returns when the request may go on. */
    static void check(ODataRequest request) {
        checkQuery(request);
        for (Map.Entry<String, List<String>> header : request.getAllHeaders().entrySet()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("Prefer") && request.getMethod() == HttpMethod.GET) {
                for (String value : header.getValue()) {
                    checkPreferences(value);
                }
            } else if (name.equalsIgnoreCase("MSCRMCallerID") || name.equalsIgnoreCase("CallerObjectId")) {
                caller(name, header.getValue());
            }
        }
    }

    /** The user a request runs as, when it impersonates one ({@code MSCRMCallerID} or {@code CallerObjectId}). */
    public static Optional<UUID> impersonatedUser(ODataRequest request) {
        for (String name : List.of("MSCRMCallerID", "CallerObjectId")) {
            List<String> values = request.getHeaders(name);
            if (values != null && !values.isEmpty()) {
                return Optional.of(caller(name, values));
            }
        }
        return Optional.empty();
    }

    private static UUID caller(String header, List<String> values) {
        String v = values.get(0).trim();
        try {
            if (values.size() == 1 && v.length() == 36) {
                return UUID.fromString(v);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw DataverseError.BAD_REQUEST.exception("The " + header + " header must be the id (a GUID) of the user to impersonate, not '" + v + "'.");
    }

    private static void checkQuery(ODataRequest request) {
        String query = request.getRawQueryPath();
        if (query == null || query.isEmpty()) {
            return;
        }
        boolean metadata = "/$metadata".equals(request.getRawODataPath());
        for (int from = 0; from < query.length(); ) {
            int amp = query.indexOf('&', from);
            String pair = query.substring(from, amp < 0 ? query.length() : amp);
            from = amp < 0 ? query.length() : amp + 1;
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            // names are rarely encoded ($select, not %24select): decoded only when they are
            String name = (rawName.indexOf('%') < 0 && rawName.indexOf('+') < 0 ? rawName : RequestNormalizer.decode(rawName)).trim();
            if (eq >= 0 && (name.equals("$filter") || name.equals("$orderby") || name.startsWith("@"))) {
                // parsed by recursive descent: bounded before Olingo's parser sees them
                ExpressionLimits.check(name, RequestNormalizer.decode(pair.substring(eq + 1)));
            }
            if (name.startsWith("$")) {
                Item item = SYSTEM_QUERY_OPTIONS.get(name);
                if (item == null) {
                    throw DataverseError.QUERY_OPTION_NOT_SUPPORTED.exception(name);
                }
                if (item.name().equals("$expand") && request.getMethod() == HttpMethod.PATCH) {
                    continue; // a PATCH ignores $expand on Dataverse (§4); RequestNormalizer takes it out
                }
                refuse(item);
            } else if (!name.startsWith("@")) {
                Item item = CUSTOM_QUERY_OPTIONS.get(name.toLowerCase(Locale.ROOT));
                if (item != null && item.name().equals("annotations")) {
                    String value = eq < 0 ? "" : RequestNormalizer.decode(pair.substring(eq + 1)).trim();
                    if (metadata && value.equalsIgnoreCase("true")) {
                        refuse(item);
                    }
                } else if (item != null) {
                    refuse(item);
                }
            }
        }
    }

    private static void checkPreferences(String value) {
        for (String preference : value.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String p = preference.trim();
            int eq = p.indexOf('=');
            Item item = PREFERENCES.get((eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT));
            if (item != null) {
                refuse(item);
            }
        }
    }

    private static void refuse(Item item) {
        switch (item.treatment()) {
            case NOT_YET -> throw DataverseError.NOT_IMPLEMENTED.exception(item.reason());
            case NOT_SUPPORTED -> throw DataverseError.QUERY_OPTION_NOT_SUPPORTED.exception(item.name());
            default -> {
                // implemented or ignored
            }
        }
    }

    private static Item implemented(String name) {
        return new Item(name, Treatment.IMPLEMENTED, "");
    }

    private static Item ignored(String name, String why) {
        return new Item(name, Treatment.IGNORED, why);
    }

    private static Item notYet(String name, String message) {
        return new Item(name, Treatment.NOT_YET, message);
    }

    private static Item notSupported(String name) {
        return new Item(name, Treatment.NOT_SUPPORTED, "Dataverse does not support " + name + " (dataverse-web-api.md §8).");
    }

    private static Map<String, Item> index(Item... items) {
        return Stream.of(items).collect(Collectors.toUnmodifiableMap(Item::name, i -> i));
    }
}
