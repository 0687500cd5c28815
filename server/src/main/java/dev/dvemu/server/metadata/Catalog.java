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
        Map<String, OneToMany> bySchemaName = new LinkedHashMap<>();
        Map<String, Map<String, OneToMany>> byCollection = new LinkedHashMap<>();
        for (TableDef t : tables) {
            for (ColumnDef lookup : t.lookups()) {
                Optional<String> name = t.relationshipOf(lookup);
                if (name.isEmpty()) {
                    continue;
                }
                TableDef referenced = logical.get(lookup.lookupTarget());
                OneToMany r = new OneToMany(name.get(), t, lookup, referenced);
                if (bySchemaName.put(name.get().toLowerCase(java.util.Locale.ROOT), r) != null) {
                    throw new MetadataException("relationship '" + name.get() + "' is declared twice");
                }
                if (referenced.lookupByNavigation(name.get()).isPresent() || referenced.columnByProperty(name.get()).isPresent()) {
                    throw new MetadataException("relationship '" + name.get() + "' of " + t.logicalName() + "." + lookup.name()
                            + " would be a navigation property of " + referenced.logicalName() + ", which already has a property of that name");
                }
                byCollection.computeIfAbsent(referenced.logicalName(), k -> new LinkedHashMap<>()).put(name.get(), r);
            }
        }
        this.collections = java.util.Collections.unmodifiableMap(byCollection);
        Map<String, List<ReferencingLookup>> referencing = new LinkedHashMap<>();
        for (TableDef t : tables) {
            for (ColumnDef lookup : t.lookups()) {
                referencing.computeIfAbsent(lookup.lookupTarget(), k -> new java.util.ArrayList<>())
                        .add(new ReferencingLookup(t, lookup));
            }
        }
        referencing.replaceAll((k, v) -> List.copyOf(v));
        this.referencing = java.util.Collections.unmodifiableMap(referencing);
    }

    private final Map<String, List<ReferencingLookup>> referencing;

    /** Every lookup of every table that targets {@code table}, named relationship or not, in declaration order. */
    public List<ReferencingLookup> lookupsTargeting(TableDef table) {
        return referencing.getOrDefault(table.logicalName(), List.of());
    }

    private final Map<String, Map<String, OneToMany>> collections;

    /** The one-to-many relationships in which {@code referenced} is the "one" side, in declaration order. */
    public Collection<OneToMany> oneToMany(TableDef referenced) {
        return collections.getOrDefault(referenced.logicalName(), Map.of()).values();
    }

    /** The relationship whose collection-valued navigation property of {@code table} is {@code navigation}. */
    public Optional<OneToMany> collectionNavigation(TableDef table, String navigation) {
        return Optional.ofNullable(collections.getOrDefault(table.logicalName(), Map.of()).get(navigation));
    }

    /** The relationship a lookup declares, if it declares one. */
    public Optional<OneToMany> relationshipOf(TableDef referencing, ColumnDef lookup) {
        return referencing.relationshipOf(lookup).flatMap(name ->
                collectionNavigation(require(lookup.lookupTarget()), name));
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
