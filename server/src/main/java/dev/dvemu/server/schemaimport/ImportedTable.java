package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A table as the import writes it: the JSON of {@code metadata/README.md}, built from values the mapping checked.
 * {@code columns} and {@code manyToMany} are the importer's working lists (it drops relationship names and adds
 * many-to-many relationships once every table is known); nothing outside the import sees them.
 */
record ImportedTable(String logicalName, String entitySetName, String primaryNameColumn, List<Column> columns,
                     List<Key> alternateKeys, List<ManyToMany> manyToMany) {

    /**
     * One declared column; {@code maxLength} for String/Memo, {@code precision} for Decimal/Money, {@code target},
     * {@code navigationProperty} and (optionally) {@code relationship} for lookups, else null.
     */
    record Column(String name, String type, Integer maxLength, Integer precision, String target, String navigationProperty,
                  String relationship) {
        static Column of(String name, String type) {
            return new Column(name, type, null, null, null, null, null);
        }

        Column withRelationship(String r) {
            return new Column(name, type, maxLength, precision, target, navigationProperty, r);
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
        t.put("schemaName", logicalName);
        t.put("entitySetName", entitySetName);
        t.put("primaryIdColumn", logicalName + "id");
        t.put("primaryNameColumn", primaryNameColumn);
        ArrayNode cols = t.putArray("columns");
        for (Column c : columns) {
            ObjectNode o = cols.addObject();
            o.put("name", c.name());
            o.put("type", c.type());
            if (c.maxLength() != null) {
                o.put("maxLength", c.maxLength());
            }
            if (c.precision() != null) {
                o.put("precision", c.precision());
            }
            if (c.target() != null) {
                o.put("target", c.target());
                o.put("navigationProperty", c.navigationProperty());
            }
            if (c.relationship() != null) {
                o.put("relationship", c.relationship());
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
}
