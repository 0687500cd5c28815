package dev.dvemu.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One write or read as it goes into a changeset or batch: method, target, body, headers. Built by {@link Changeset}
 * and {@link Batch}; {@code guarded} says whether running it twice cannot do harm (a precondition makes a replay
 * fail instead of writing twice), which decides whether a lost answer may be retried.
 */
record Operation(String method, RowRef target, String entitySet, String query, RowValues body,
                 Map<String, String> headers, boolean guarded) {
    Operation {
        headers = Map.copyOf(headers);
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
        return new Operation(method, target, entitySet, newQuery, body, headers, guarded);
    }

    Operation withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Operation(method, target, entitySet, query, body, h, guarded);
    }
}
