package dev.dvemu.server.metadata;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All tables of one metadata directory, found by logical name or entity set name. */
public final class Catalog {
    private final Map<String, TableDef> byLogicalName;
    private final Map<String, TableDef> byEntitySet;

    public Catalog(List<TableDef> tables) {
        Map<String, TableDef> logical = new LinkedHashMap<>();
        Map<String, TableDef> sets = new LinkedHashMap<>();
        for (TableDef t : tables) {
            if (logical.put(t.logicalName(), t) != null) {
                throw new MetadataException("table '" + t.logicalName() + "' is defined twice");
            }
            if (sets.put(t.entitySetName(), t) != null) {
                throw new MetadataException("entity set '" + t.entitySetName() + "' is defined twice");
            }
        }
        for (TableDef t : tables) {
            for (ColumnDef lookup : t.lookups()) {
                if (!logical.containsKey(lookup.lookupTarget())) {
                    throw new MetadataException("lookup " + t.logicalName() + "." + lookup.name()
                            + " targets unknown table '" + lookup.lookupTarget() + "'");
                }
            }
        }
        this.byLogicalName = java.util.Collections.unmodifiableMap(logical);
        this.byEntitySet = java.util.Collections.unmodifiableMap(sets);
        this.ordered = List.copyOf(tables);
    }

    private final List<TableDef> ordered;

    public Collection<TableDef> tables() {
        return ordered;
    }

    public Optional<TableDef> byLogicalName(String logicalName) {
        return Optional.ofNullable(byLogicalName.get(logicalName));
    }

    public Optional<TableDef> byEntitySet(String entitySetName) {
        return Optional.ofNullable(byEntitySet.get(entitySetName));
    }

    public TableDef require(String logicalName) {
        TableDef t = byLogicalName.get(logicalName);
        if (t == null) {
            throw new MetadataException("unknown table '" + logicalName + "'");
        }
        return t;
    }
}
