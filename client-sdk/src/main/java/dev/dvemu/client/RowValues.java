package dev.dvemu.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The columns a create or update sends, and the lookups it binds. Immutable: every call returns a new value.
 *
 * <pre>{@code
 * RowValues booking = RowValues.create()
 *         .set("new_name", "Order 42")
 *         .set("new_quantity", 1)
 *         .bind("new_StockId", RowRef.of("new_stocks", stockId));
 * }</pre>
 */
public final class RowValues {
    /** A lookup to set ({@code nav@odata.bind}) or, with a null target, to clear. */
    record Binding(RowRef target) {
    }

    private final Map<String, Object> values;

    private RowValues(Map<String, Object> values) {
        this.values = values;
    }

    public static RowValues create() {
        return new RowValues(Map.of());
    }

    private RowValues with(String key, Object value) {
        Objects.requireNonNull(key, "column");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new RowValues(Collections.unmodifiableMap(copy));
    }

    public RowValues set(String column, String value) {
        return with(column, value);
    }

    public RowValues set(String column, int value) {
        return with(column, value);
    }

    public RowValues set(String column, long value) {
        return with(column, value);
    }

    public RowValues set(String column, BigDecimal value) {
        return with(column, value);
    }

    public RowValues set(String column, boolean value) {
        return with(column, value);
    }

    public RowValues set(String column, UUID value) {
        return with(column, value);
    }

    public RowValues set(String column, Instant value) {
        return with(column, value);
    }

    public RowValues set(String column, OffsetDateTime value) {
        return with(column, value.toInstant());
    }

    public RowValues set(String column, LocalDate value) {
        return with(column, value);
    }

    /** Sets a column to null. */
    public RowValues clear(String column) {
        return with(column, null);
    }

    /** Sets the lookup behind {@code navigationProperty} to {@code target} ({@code "nav@odata.bind": "/set(id)"}). */
    public RowValues bind(String navigationProperty, RowRef target) {
        return with(navigationProperty + "@odata.bind", new Binding(Objects.requireNonNull(target, "target")));
    }

    /** Clears the lookup behind {@code navigationProperty}. */
    public RowValues unbind(String navigationProperty) {
        return with(navigationProperty + "@odata.bind", new Binding(null));
    }

    /** The entries in the order they were set; bindings as {@link Binding}. */
    Map<String, Object> entries() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
