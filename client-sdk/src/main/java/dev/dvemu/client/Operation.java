package dev.dvemu.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One write or read as it goes into a changeset or batch: method, target, body, headers. Built by {@link Changeset}
 * and {@link Batch}; {@code guarded} says whether running it twice cannot do harm (a precondition makes a replay
 * fail instead of writing twice), which decides whether a lost answer may be retried.
 */
record Operation(String method, RowRef target, String entitySet, String query, RowValues body,
                 Map<String, String> headers, boolean guarded, String navigation, RowRef related) {
    private static final Pattern NAVIGATION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    Operation {
        headers = Map.copyOf(headers);
    }

    Operation(String method, RowRef target, String entitySet, String query, RowValues body, Map<String, String> headers,
              boolean guarded) {
        this(method, target, entitySet, query, body, headers, guarded, null, null);
    }

    /**
     * {@code POST row/nav/$ref} naming {@code related} in {@code @odata.id}. Guarded: sending it again writes the same
     * lookup value again.
     */
    static Operation associate(RowRef row, String collectionNavigation, RowRef related) {
        return reference("POST", row, collectionNavigation, Objects.requireNonNull(related, "related"));
    }

    /**
     * {@code DELETE row/nav(<id>)/$ref}, or {@code row/nav/$ref?$id=<row>} when {@code related} has no id of its own
     * (an alternate key, an earlier operation of the changeset). Removing what is not related changes nothing.
     */
    static Operation disassociate(RowRef row, String collectionNavigation, RowRef related) {
        Objects.requireNonNull(related, "related");
        requireNavigation(collectionNavigation);
        if (related.id().isPresent()) {
            return new Operation("DELETE", requireRow(row), null, null, null, Map.of(), true,
                    collectionNavigation + "(" + related.id().get() + ")/$ref", null);
        }
        return reference("DELETE", row, collectionNavigation, related);
    }

    /** {@code PUT row/nav/$ref} naming {@code target} in {@code @odata.id}. */
    static Operation setReference(RowRef row, String singleNavigation, RowRef target) {
        return reference("PUT", row, singleNavigation, Objects.requireNonNull(target, "target"));
    }

    /** {@code DELETE row/nav/$ref}: the lookup points nowhere. */
    static Operation clearReference(RowRef row, String singleNavigation) {
        return reference("DELETE", row, singleNavigation, null);
    }

    private static Operation reference(String method, RowRef row, String navigation, RowRef related) {
        requireNavigation(navigation);
        return new Operation(method, requireRow(row), null, null, null, Map.of(), true, navigation + "/$ref", related);
    }

    private static RowRef requireRow(RowRef row) {
        return Objects.requireNonNull(row, "row");
    }

    static String requireNavigation(String navigation) {
        if (navigation == null || !NAVIGATION.matcher(navigation).matches()) {
            throw new IllegalArgumentException("not a navigation property name: '" + navigation + "'");
        }
        return navigation;
    }

    /** Whether this is a {@code $ref} operation, whose body (if any) is {@code @odata.id} naming {@link #related}. */
    boolean isReference() {
        return navigation != null;
    }

    /**
     * The URL after the service root, given how a row is written in a URL ({@code rowUrl}: relative path, or
     * {@code $n} inside a changeset) and as a {@code $id} value ({@code rowId}: an absolute URL or {@code $n}).
     */
    String relativeUrl(Function<RowRef, String> rowUrl, Function<RowRef, String> rowId) {
        String path = target != null ? rowUrl.apply(target) : entitySet;
        if (navigation != null) {
            path = path + "/" + navigation;
        }
        String q = query;
        if (navigation != null && method.equals("DELETE") && related != null) {
            q = "$id=" + ODataLiterals.encodeQuery(rowId.apply(related));
        }
        return q == null ? path : path + "?" + q;
    }

    static Operation create(String entitySet, RowValues values) {
        return new Operation("POST", null, Objects.requireNonNull(entitySet), null, values, Map.of(), false);
    }

    static Operation update(RowRef ref, RowValues values, Optional<ETag> etag) {
        return new Operation("PATCH", ref, null, null, values,
                Map.of("If-Match", etag.map(ETag::value).orElse("*")), true);
    }

    static Operation upsert(RowRef ref, RowValues values, UpsertMode mode) {
        Map<String, String> h = new LinkedHashMap<>();
        switch (mode) {
            case CREATE_ONLY -> h.put("If-None-Match", "*");
            case UPDATE_ONLY -> h.put("If-Match", "*");
            default -> {
                // a plain PATCH creates or updates
            }
        }
        return new Operation("PATCH", ref, null, null, values, h, true);
    }

    static Operation delete(RowRef ref, Optional<ETag> etag) {
        Map<String, String> h = new LinkedHashMap<>();
        etag.ifPresent(e -> h.put("If-Match", e.value()));
        return new Operation("DELETE", ref, null, null, null, h, etag.isPresent());
    }

    static Operation get(RowRef ref, String query) {
        return new Operation("GET", ref, null, query, null, Map.of(), true);
    }

    static Operation query(Query q) {
        Map<String, String> h = new LinkedHashMap<>();
        q.pageSizeValue().ifPresent(n -> h.put("Prefer", "odata.maxpagesize=" + n));
        return new Operation("GET", null, q.relativeUrl(), null, null, h, true);
    }

    Operation withQuery(String newQuery) {
        return new Operation(method, target, entitySet, newQuery, body, headers, guarded, navigation, related);
    }

    Operation withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Operation(method, target, entitySet, query, body, h, guarded, navigation, related);
    }
}
