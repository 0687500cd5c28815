package dev.dvemu.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One row as the service returned it: its columns, its id and its ETag. Lookups are read by their
 * {@code _x_value} names. Null and absent columns read as empty.
 *
 * <pre>{@code
 * Row stock = dv.retrieve(RowRef.of("new_stocks", id), "new_availablecount").orElseThrow();
 * int left = stock.integer("new_availablecount").orElse(0);
 * ETag version = stock.etag();
 * }</pre>
 */
public final class Row {
    private final String entitySet;
    private final ObjectNode json;

    Row(String entitySet, ObjectNode json) {
        this.entitySet = entitySet;
        this.json = json.deepCopy();
    }

    /** The row's ETag ({@code @odata.etag}). */
    public ETag etag() {
        JsonNode e = json.get("@odata.etag");
        if (e == null || !e.isTextual()) {
            throw new IllegalStateException("the service returned this row without @odata.etag");
        }
        return new ETag(e.asText());
    }

    /** The row's id: the value of its {@code <logicalname>id} column, found as the first such GUID column. */
    public Optional<UUID> id(String idColumn) {
        return guid(idColumn);
    }

    /** A reference to this row, given its id column (e.g. {@code new_stockid}). */
    public RowRef ref(String idColumn) {
        return RowRef.of(entitySet, guid(idColumn).orElseThrow(() -> new IllegalStateException("no " + idColumn)));
    }

    public Optional<String> string(String column) {
        JsonNode v = value(column);
        return v == null ? Optional.empty() : Optional.of(v.asText());
    }

    public OptionalInt integer(String column) {
        JsonNode v = value(column);
        return v == null || !v.canConvertToInt() ? OptionalInt.empty() : OptionalInt.of(v.intValue());
    }

    public OptionalLong bigInteger(String column) {
        JsonNode v = value(column);
        return v == null || !v.canConvertToLong() ? OptionalLong.empty() : OptionalLong.of(v.longValue());
    }

    public Optional<BigDecimal> decimal(String column) {
        JsonNode v = value(column);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText()));
    }

    public Optional<Boolean> bool(String column) {
        JsonNode v = value(column);
        return v == null ? Optional.empty() : Optional.of(v.asBoolean());
    }

    public Optional<UUID> guid(String column) {
        JsonNode v = value(column);
        return v == null ? Optional.empty() : Optional.of(UUID.fromString(v.asText()));
    }

    public Optional<Instant> dateTime(String column) {
        JsonNode v = value(column);
        return v == null ? Optional.empty() : Optional.of(Instant.parse(v.asText()));
    }

    /** An annotation of a column, e.g. {@code formatted("new_status")} for the choice label, when requested. */
    public Optional<String> formatted(String column) {
        return string(column + "@OData.Community.Display.V1.FormattedValue");
    }

    /** The row as JSON (a copy). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    public String entitySet() {
        return entitySet;
    }

    private JsonNode value(String column) {
        JsonNode v = json.get(column);
        return v == null || v.isNull() ? null : v;
    }

    @Override
    public String toString() {
        return entitySet + json;
    }
}
