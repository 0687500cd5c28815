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
        Map<String, Object> bySchemaName = new LinkedHashMap<>();
        Map<String, Map<String, CollectionNavigation>> byCollection = new LinkedHashMap<>();
        for (TableDef t : tables) {
            for (ColumnDef lookup : t.lookups()) {
                Optional<String> name = t.relationshipOf(lookup);
                if (name.isEmpty()) {
                    continue;
                }
                TableDef referenced = logical.get(lookup.lookupTarget());
                OneToMany r = new OneToMany(name.get(), t, lookup, referenced);
                declare(bySchemaName, byCollection, name.get(), r, t.logicalName() + "." + lookup.name());
            }
        }
        Map<String, ManyToMany> intersects = new LinkedHashMap<>();
        List<ManyToMany> manyToMany = new java.util.ArrayList<>();
        for (TableDef t : tables) {
            for (TableDef.ManyToManyDeclaration d : t.manyToManyDeclarations()) {
                TableDef related = logical.get(d.relatedTable());
                String where = "many-to-many relationship '" + d.schemaName() + "' of " + t.logicalName();
                if (related == null) {
                    throw new MetadataException(where + " relates to unknown table '" + d.relatedTable() + "'");
                }
                if (logical.containsKey(d.intersectTable()) || intersects.containsKey(d.intersectTable())) {
                    throw new MetadataException(where + ": its intersect table '" + d.intersectTable() + "' is already a table");
                }
                ManyToMany r = new ManyToMany(d.schemaName(), t, related, d.intersectTable());
                intersects.put(d.intersectTable(), r);
                manyToMany.add(r);
                declare(bySchemaName, byCollection, d.schemaName(), r.side(t), where);
                byCollection.get(related.logicalName()).put(d.schemaName(), r.side(related));
            }
        }
        Map<String, Map<String, CollectionNavigation>> frozen = new LinkedHashMap<>();
        byCollection.forEach((k, v) -> frozen.put(k, java.util.Collections.unmodifiableMap(v)));
        this.collections = java.util.Collections.unmodifiableMap(frozen);
        this.manyToMany = List.copyOf(manyToMany);
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

    /**
     * Registers {@code navigation} on its owner; for a many-to-many relationship the related table's side too
     * (checked here, added by the caller). Schema names are unique across all relationships, and a navigation property
     * may not take the name of a property its table already has.
     */
    private static void declare(Map<String, Object> bySchemaName, Map<String, Map<String, CollectionNavigation>> byCollection,
                                String name, CollectionNavigation navigation, String where) {
        if (bySchemaName.put(name.toLowerCase(java.util.Locale.ROOT), navigation) != null) {
            throw new MetadataException("relationship '" + name + "' is declared twice");
        }
        List<TableDef> owners = navigation instanceof ManyToMany.Side side
                ? List.of(side.owner(), side.related()) : List.of(navigation.owner());
        for (TableDef owner : owners) {
            if (owner.lookupByNavigation(name).isPresent() || owner.columnByProperty(name).isPresent()) {
                throw new MetadataException("relationship '" + name + "' of " + where + " would be a navigation property of "
                        + owner.logicalName() + ", which already has a property of that name");
            }
            byCollection.computeIfAbsent(owner.logicalName(), k -> new LinkedHashMap<>());
        }
        byCollection.get(navigation.owner().logicalName()).put(name, navigation);
    }

    private final Map<String, Map<String, CollectionNavigation>> collections;
    private final List<ManyToMany> manyToMany;

    /** The one-to-many relationships in which {@code referenced} is the "one" side, in declaration order. */
    public Collection<OneToMany> oneToMany(TableDef referenced) {
        return collectionNavigations(referenced).stream().filter(OneToMany.class::isInstance).map(OneToMany.class::cast).toList();
    }

    /** Every collection-valued navigation property of {@code table}, one-to-many and many-to-many, in declaration order. */
    public Collection<CollectionNavigation> collectionNavigations(TableDef table) {
        return collections.getOrDefault(table.logicalName(), Map.of()).values();
    }

    /** Every many-to-many relationship, in declaration order. */
    public List<ManyToMany> manyToMany() {
        return manyToMany;
    }

    /** The collection-valued navigation property {@code navigation} of {@code table}. */
    public Optional<CollectionNavigation> collectionNavigation(TableDef table, String navigation) {
        return Optional.ofNullable(collections.getOrDefault(table.logicalName(), Map.of()).get(navigation));
    }

    /** The relationship a lookup declares, if it declares one. */
    public Optional<OneToMany> relationshipOf(TableDef referencing, ColumnDef lookup) {
        return referencing.relationshipOf(lookup).flatMap(name -> collectionNavigation(require(lookup.lookupTarget()), name))
                .filter(OneToMany.class::isInstance).map(OneToMany.class::cast);
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
