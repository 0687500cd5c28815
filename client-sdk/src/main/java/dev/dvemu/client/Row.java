package dev.dvemu.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    /** {@code null} for a row read through {@code $expand}: the answer names no entity set for it. */
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

    /** A reference to this row, given its id column (e.g. {@code new_stockid}); not for an expanded row. */
    public RowRef ref(String idColumn) {
        return RowRef.of(entitySet(), guid(idColumn).orElseThrow(() -> new IllegalStateException("no " + idColumn)));
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

    /**
     * The entity set the row was read from. A row read through {@code $expand} ({@link #expandedRow},
     * {@link #expandedRows}) has none in the answer ({@link IllegalStateException}): refer to it with
     * {@link RowRef#of} and its id column.
     *
     * <pre>{@code
     * String set = dv.query(Query.from("accounts")).rows().get(0).entitySet();   // "accounts"
     * }</pre>
     */
    public String entitySet() {
        if (entitySet == null) {
            throw new IllegalStateException("an expanded row names no entity set; use RowRef.of(set, id): " + json);
        }
        return entitySet;
    }

    /**
     * The row related through a lookup that the query expanded ({@link Query#expand}); empty when the lookup is empty
     * (or the expansion's filter excluded its row). An expanded row carries its ETag and the selected columns.
     * A navigation property that was not expanded is an {@link IllegalArgumentException}, so that a forgotten
     * {@code expand} is not mistaken for an empty lookup; so is a one-to-many relationship (use {@link #expandedRows}).
     *
     * <pre>{@code
     * Row contact = dv.query(Query.from("contacts").select("fullname")
     *         .expand("parentcustomerid_account", Expand.of().select("name"))).rows().get(0);
     * String account = contact.expandedRow("parentcustomerid_account").flatMap(a -> a.string("name")).orElse("-");
     * }</pre>
     */
    public Optional<Row> expandedRow(String navigation) {
        JsonNode v = expansion(navigation);
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!(v instanceof ObjectNode o)) {
            throw new IllegalArgumentException(navigation + " expanded to several rows, not one: use expandedRows");
        }
        return Optional.of(new Row(null, o));
    }

    /**
     * The rows related through a one-to-many relationship that the query expanded ({@link Query#expand}), in the
     * expansion's order and at most its {@code top}; empty when there are none. Each carries its ETag and its
     * back-reference lookup ({@code _x_value}). A navigation property that was not expanded is an
     * {@link IllegalArgumentException}, so that a forgotten {@code expand} is not mistaken for no rows; so is a lookup
     * (use {@link #expandedRow}).
     *
     * <pre>{@code
     * Row account = dv.query(Query.from("accounts").select("name")
     *         .expand("contact_customer_accounts", Expand.of().select("fullname").top(10))).rows().get(0);
     * for (Row contact : account.expandedRows("contact_customer_accounts")) {
     *     dv.update(RowRef.of("contacts", contact.guid("contactid").orElseThrow()),
     *             RowValues.create().set("description", "seen"), contact.etag());
     * }
     * }</pre>
     */
    public List<Row> expandedRows(String navigation) {
        JsonNode v = expansion(navigation);
        if (!v.isArray()) {
            throw new IllegalArgumentException(navigation + " expanded to a single row (or none), not rows: use expandedRow");
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : v) {
            if (r instanceof ObjectNode o) {
                rows.add(new Row(null, o));
            }
        }
        return List.copyOf(rows);
    }

    /** The JSON of an expansion: the service writes every expanded property, as {@code null} for an empty lookup. */
    private JsonNode expansion(String navigation) {
        JsonNode v = json.get(navigation);
        if (v == null || !(v.isNull() || v.isObject() || v.isArray())) {
            throw new IllegalArgumentException("the row has no expansion " + navigation
                    + ": ask for it with Query.expand(\"" + navigation + "\")");
        }
        return v;
    }

    private JsonNode value(String column) {
        JsonNode v = json.get(column);
        return v == null || v.isNull() ? null : v;
    }

    @Override
    public String toString() {
        return (entitySet == null ? "" : entitySet) + json;
    }
}
