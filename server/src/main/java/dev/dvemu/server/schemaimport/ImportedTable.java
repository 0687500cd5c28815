package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;

/**
 * A table as the import writes it: the JSON of {@code metadata/README.md}, built from values the mapping checked.
 * {@code columns} and {@code manyToMany} are the importer's working lists (it drops relationship names and adds
 * many-to-many relationships once every table is known); nothing outside the import sees them.
 */
record ImportedTable(String logicalName, String entitySetName, String primaryNameColumn, List<Column> columns,
                     List<Key> alternateKeys, List<ManyToMany> manyToMany, Labels labels) {

    /** {@code schemaName}, {@code displayName}, {@code description}: each null when the source does not state it. */
    record Labels(String schemaName, String displayName, String description) {
        static final Labels NONE = new Labels(null, null, null);
    }

    /** One choice option. */
    record Option(int value, String label) {
    }

    /**
     * What a CSDL cannot state and an EntityDefinitions dump can: value ranges, options, an autonumber format,
     * whether a create must send the column, a lookup's delete behaviour, the column's labels and a String's format
     * other than Text (null: not stated).
     */
    record Facets(BigDecimal minValue, BigDecimal maxValue, List<Option> options, String autoNumberFormat,
                  boolean required, String cascadeDelete, Labels labels, String stringFormat) {
        static final Facets NONE = new Facets(null, null, List.of(), null, false, null, Labels.NONE);

        Facets {
            options = List.copyOf(options);
        }

        /** Facets of a column that is not a String: no string format. */
        Facets(BigDecimal minValue, BigDecimal maxValue, List<Option> options, String autoNumberFormat,
               boolean required, String cascadeDelete, Labels labels) {
            this(minValue, maxValue, options, autoNumberFormat, required, cascadeDelete, labels, null);
        }
    }

    /**
     * One declared column; {@code maxLength} for String/Memo, {@code precision} for Decimal/Money, {@code target},
     * {@code navigationProperty} and (optionally) {@code relationship} for lookups, else null.
     */
    record Column(String name, String type, Integer maxLength, Integer precision, String target, String navigationProperty,
                  String relationship, Facets facets) {
        Column(String name, String type, Integer maxLength, Integer precision, String target, String navigationProperty,
               String relationship) {
            this(name, type, maxLength, precision, target, navigationProperty, relationship, Facets.NONE);
        }

        static Column of(String name, String type) {
            return new Column(name, type, null, null, null, null, null);
        }

        Column withRelationship(String r) {
            return new Column(name, type, maxLength, precision, target, navigationProperty, r, facets);
        }

        Column withFacets(Facets f) {
            return new Column(name, type, maxLength, precision, target, navigationProperty, relationship, f);
        }

        boolean isLookup() {
            return "Lookup".equals(type);
        }

        /** The name on the wire: {@code _<name>_value} for a lookup. */
        String propertyName() {
            return isLookup() ? "_" + name + "_value" : name;
        }
    }

    record Key(String name, List<String> columns) {
    }

    record ManyToMany(String schemaName, String relatedTable, String intersectTable) {
    }

    ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode t = f.objectNode();
        t.put("logicalName", logicalName);
        t.put("schemaName", labels.schemaName() == null ? logicalName : labels.schemaName());
        t.put("entitySetName", entitySetName);
        putIfPresent(t, "displayName", labels.displayName());
        putIfPresent(t, "description", labels.description());
        t.put("primaryIdColumn", logicalName + "id");
        t.put("primaryNameColumn", primaryNameColumn);
        ArrayNode cols = t.putArray("columns");
        for (Column c : columns) {
            ObjectNode o = cols.addObject();
            o.put("name", c.name());
            o.put("type", c.type());
            Facets x = c.facets();
            putIfPresent(o, "schemaName", x.labels().schemaName());
            putIfPresent(o, "displayName", x.labels().displayName());
            putIfPresent(o, "description", x.labels().description());
            if (c.maxLength() != null) {
                o.put("maxLength", c.maxLength());
            }
            if (c.precision() != null) {
                o.put("precision", c.precision());
            }
            if (x.minValue() != null) {
                o.put("minValue", x.minValue());
            }
            if (x.maxValue() != null) {
                o.put("maxValue", x.maxValue());
            }
            if (!x.options().isEmpty()) {
                ArrayNode options = o.putArray("options");
                x.options().forEach(opt -> options.addObject().put("value", opt.value()).put("label", opt.label()));
            }
            putIfPresent(o, "autoNumberFormat", x.autoNumberFormat());
            putIfPresent(o, "format", x.stringFormat());
            if (c.target() != null) {
                o.put("target", c.target());
                o.put("navigationProperty", c.navigationProperty());
            }
            if (c.relationship() != null) {
                o.put("relationship", c.relationship());
            }
            putIfPresent(o, "cascadeDelete", x.cascadeDelete());
            if (x.required()) {
                o.put("required", true);
            }
        }
        if (!alternateKeys.isEmpty()) {
            ArrayNode keys = t.putArray("alternateKeys");
            for (Key k : alternateKeys) {
                ObjectNode o = keys.addObject();
                o.put("name", k.name());
                k.columns().forEach(o.putArray("columns")::add);
            }
        }
        if (!manyToMany.isEmpty()) {
            ArrayNode rels = t.putArray("manyToMany");
            for (ManyToMany r : manyToMany) {
                rels.addObject().put("schemaName", r.schemaName()).put("relatedTable", r.relatedTable())
                        .put("intersectTable", r.intersectTable());
            }
        }
        return t;
    }

    private static void putIfPresent(ObjectNode o, String field, String value) {
        if (value != null && !value.isBlank()) {
            o.put(field, value);
        }
    }
}
