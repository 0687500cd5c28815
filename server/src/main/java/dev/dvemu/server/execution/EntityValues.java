package dev.dvemu.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.metadata.ValueConverter;
import dev.dvemu.server.store.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Column values as plug-ins see them ({@link Entity}: lookups as {@link EntityReference}) and back. A value a plug-in
 * sets is checked exactly as the same value in a request body is, so a plug-in cannot write what a client could not.
 */
final class EntityValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EntityValues() {
    }

    /** The values as an entity of {@code table} (the primary id column becomes the entity's id). */
    static Entity toEntity(TableDef table, Optional<UUID> id, Map<ColumnDef, Object> values) {
        Entity e = new Entity(table.logicalName());
        id.ifPresent(e::id);
        for (Map.Entry<ColumnDef, Object> v : values.entrySet()) {
            ColumnDef column = v.getKey();
            if (column.equals(table.primaryId())) {
                if (v.getValue() != null) {
                    e.id((UUID) v.getValue());
                }
                continue;
            }
            e.set(column.name(), toPlugin(column, v.getValue()));
        }
        return e;
    }

    /** A row as an entity, with {@code columns} (all when empty), its id and its version. */
    static Entity toEntity(Row row, List<ColumnDef> columns) {
        TableDef table = row.table();
        Entity e = new Entity(table.logicalName(), row.id()).version(row.version());
        for (ColumnDef column : columns.isEmpty() ? table.columns() : columns) {
            if (!column.equals(table.primaryId())) {
                e.set(column.name(), toPlugin(column, row.get(column)));
            }
        }
        return e;
    }

    private static Object toPlugin(ColumnDef column, Object value) {
        return value != null && column.isLookup() ? new EntityReference(column.lookupTarget(), (UUID) value) : value;
    }

    /**
     * An entity's attributes as the values to write to {@code table}: each must be a column a client may write, with
     * a value it may hold.
     */
    static Map<ColumnDef, Object> fromEntity(TableDef table, Entity entity) {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : entity.attributes().entrySet()) {
            ColumnDef column = table.column(a.getKey()).orElseThrow(() ->
                    DataverseError.NO_SUCH_ATTRIBUTE.exception(table.logicalName(), a.getKey()));
            if (column.equals(table.primaryId())) {
                continue; // the id travels as the entity's id
            }
            if (column.origin() != ColumnDef.Origin.USER) {
                throw DataverseError.READ_ONLY_PROPERTY.exception(table.logicalName(), column.name());
            }
            values.put(column, fromPlugin(table, column, a.getValue()));
        }
        return values;
    }

    /** One value a plug-in gave for {@code column}, checked as a request body's value is. */
    static Object fromPlugin(TableDef table, ColumnDef column, Object value) {
        if (value == null) {
            return null;
        }
        if (column.isLookup()) {
            if (value instanceof EntityReference r) {
                if (!r.logicalName().equals(column.lookupTarget())) {
                    throw DataverseError.VALIDATION.exception("The lookup '" + column.name() + "' of " + table.logicalName()
                            + " refers to " + column.lookupTarget() + " rows, not " + r.logicalName() + ".");
                }
                return r.id();
            }
            if (value instanceof UUID id) {
                return id;
            }
            throw wrongType(table, column, value);
        }
        JsonNode node = node(value);
        if (node == null) {
            throw wrongType(table, column, value);
        }
        try {
            return ValueConverter.fromJson(column, node, table.logicalName());
        } catch (ValueConverter.InvalidValueException e) {
            throw e.kind() == ValueConverter.InvalidValueException.Kind.VALIDATION
                    ? DataverseError.VALIDATION.exception(e.getMessage())
                    : wrongType(table, column, value);
        }
    }

    private static JsonNode node(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        } else if (value instanceof Integer i) {
            return NODES.numberNode(i);
        } else if (value instanceof Long l) {
            return NODES.numberNode(l);
        } else if (value instanceof Short s) {
            return NODES.numberNode(s);
        } else if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        } else if (value instanceof Double d) {
            return NODES.numberNode(d);
        } else if (value instanceof Float f) {
            return NODES.numberNode(f);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof UUID u) {
            return NODES.textNode(u.toString());
        } else if (value instanceof OffsetDateTime t) {
            return NODES.textNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
        } else if (value instanceof Instant t) {
            return NODES.textNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC)));
        }
        return null;
    }

    private static RuntimeException wrongType(TableDef table, ColumnDef column, Object value) {
        return DataverseError.VALIDATION.exception("A plug-in set the '" + column.name() + "' attribute of "
                + table.logicalName() + " to a " + value.getClass().getSimpleName() + ", which a " + column.type()
                + " column cannot hold.");
    }
}
