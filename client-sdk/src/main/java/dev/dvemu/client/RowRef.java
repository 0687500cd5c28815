package dev.dvemu.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Names one row: by id, by alternate key, or (inside a changeset) as the row an earlier operation created.
 *
 * <pre>{@code
 * RowRef stock   = RowRef.of("new_stocks", stockId);
 * RowRef account = RowRef.byKey("accounts", "accountnumber", "A-1");
 * RowRef slot    = RowRef.byKey("new_bookingslots", Map.of("_new_stockid_value", stockId, "new_slotnumber", 3));
 * RowRef created = RowRef.operation("booking");   // refers to changeset.create(...).as("booking")
 * }</pre>
 */
public final class RowRef {
    private final String entitySet;
    private final UUID id;
    private final Map<String, Object> key;
    private final String operation;

    private RowRef(String entitySet, UUID id, Map<String, Object> key, String operation) {
        this.entitySet = entitySet;
        this.id = id;
        this.key = key;
        this.operation = operation;
    }

    public static RowRef of(String entitySet, UUID id) {
        return new RowRef(requireSet(entitySet), Objects.requireNonNull(id, "id"), null, null);
    }

    /** An alternate key; the map's iteration order is the order of the key parts in the URL. */
    public static RowRef byKey(String entitySet, Map<String, ?> keyValues) {
        if (keyValues.isEmpty()) {
            throw new IllegalArgumentException("an alternate key has at least one column");
        }
        Map<String, Object> copy = new LinkedHashMap<>(keyValues);
        copy.values().forEach(ODataLiterals::literal); // refuses types without a literal form now, not at send time
        return new RowRef(requireSet(entitySet), null, Collections.unmodifiableMap(copy), null);
    }

    public static RowRef byKey(String entitySet, String column, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(column, value);
        return byKey(entitySet, m);
    }

    /** The row created or changed by the changeset operation named with {@code as(name)} (a Content-ID reference). */
    public static RowRef operation(String name) {
        return new RowRef(null, null, null, Objects.requireNonNull(name, "name"));
    }

    private static String requireSet(String entitySet) {
        if (entitySet == null || entitySet.isBlank() || entitySet.contains("/") || entitySet.contains("(")) {
            throw new IllegalArgumentException("not an entity set name: " + entitySet);
        }
        return entitySet;
    }

    public Optional<UUID> id() {
        return Optional.ofNullable(id);
    }

    public Optional<String> entitySet() {
        return Optional.ofNullable(entitySet);
    }

    /** The name of the changeset operation this refers to, for {@link #operation} references. */
    public Optional<String> operationName() {
        return Optional.ofNullable(operation);
    }

    /** The relative URL of the row, e.g. {@code new_stocks(<id>)}; not for operation references. */
    public String path() {
        if (operation != null) {
            throw new IllegalStateException("an operation reference has a path only inside its changeset");
        }
        if (id != null) {
            return entitySet + "(" + id + ")";
        }
        String predicate = key.entrySet().stream()
                .map(e -> e.getKey() + "=" + ODataLiterals.literal(e.getValue()))
                .collect(Collectors.joining(","));
        return entitySet + "(" + ODataLiterals.encodePath(predicate) + ")";
    }

    @Override
    public String toString() {
        return operation != null ? "$" + operation : path();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowRef r && Objects.equals(entitySet, r.entitySet) && Objects.equals(id, r.id)
                && Objects.equals(key, r.key) && Objects.equals(operation, r.operation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entitySet, id, key, operation);
    }
}
