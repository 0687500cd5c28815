package dev.dvemu.server.metadata;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table: its names on the wire and in PostgreSQL, its columns (user-declared and server-managed), and its
 * alternate keys. Immutable; built by {@link MetadataLoader}.
 */
public final class TableDef {
    public static final String VERSION_NUMBER = "versionnumber";
    public static final String CREATED_ON = "createdon";
    public static final String MODIFIED_ON = "modifiedon";

    private final String logicalName;
    private final String schemaName;
    private final String entitySetName;
    private final String displayName;
    private final String description;
    private final ColumnDef primaryId;
    private final String primaryNameColumn;
    private final Map<String, ColumnDef> columnsByName;
    private final Map<String, ColumnDef> columnsByProperty;
    private final Map<String, ColumnDef> lookupsByNavigation;
    private final List<AlternateKey> alternateKeys;
    private final Map<String, String> relationshipByLookup;
    private final List<ManyToManyDeclaration> manyToMany;

    /**
     * A many-to-many relationship as this table's definition declares it: this table is its first entity,
     * {@code relatedTable} the second, and their links are rows of {@code intersectTable}.
     */
    public record ManyToManyDeclaration(String schemaName, String relatedTable, String intersectTable) {
    }

    TableDef(String logicalName, String schemaName, String entitySetName, String displayName, String description,
             ColumnDef primaryId, String primaryNameColumn, List<ColumnDef> columns, List<AlternateKey> alternateKeys,
             Map<String, String> relationshipByLookup, List<ManyToManyDeclaration> manyToMany) {
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.entitySetName = entitySetName;
        this.displayName = displayName;
        this.description = description;
        this.primaryId = primaryId;
        this.primaryNameColumn = primaryNameColumn;
        Map<String, ColumnDef> byName = new LinkedHashMap<>();
        Map<String, ColumnDef> byProperty = new LinkedHashMap<>();
        Map<String, ColumnDef> byNav = new LinkedHashMap<>();
        for (ColumnDef c : columns) {
            byName.put(c.name(), c);
            byProperty.put(c.propertyName(), c);
            if (c.isLookup()) {
                byNav.put(c.navigationProperty(), c);
            }
        }
        // declaration order matters: DDL, CSDL and responses follow it
        this.columnsByName = java.util.Collections.unmodifiableMap(byName);
        this.columnsByProperty = java.util.Collections.unmodifiableMap(byProperty);
        this.lookupsByNavigation = java.util.Collections.unmodifiableMap(byNav);
        this.orderedColumns = List.copyOf(columns);
        this.alternateKeys = List.copyOf(alternateKeys);
        this.relationshipByLookup = Map.copyOf(relationshipByLookup);
        this.manyToMany = List.copyOf(manyToMany);
    }

    /** The many-to-many relationships this table's definition declares (those of other tables name it as related). */
    public List<ManyToManyDeclaration> manyToManyDeclarations() {
        return manyToMany;
    }

    /** The schema name of the one-to-many relationship a lookup of this table declares, if it declares one. */
    public Optional<String> relationshipOf(ColumnDef lookup) {
        return Optional.ofNullable(relationshipByLookup.get(lookup.name()));
    }

    private final List<ColumnDef> orderedColumns;

    public String logicalName() {
        return logicalName;
    }

    public String schemaName() {
        return schemaName;
    }

    public String entitySetName() {
        return entitySetName;
    }

    public String displayName() {
        return displayName;
    }

    /** The table's {@code description}, when its definition has one. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The full EDM type name, as Dataverse writes it in error messages. */
    public String qualifiedTypeName() {
        return "Microsoft.Dynamics.CRM." + logicalName;
    }

    public ColumnDef primaryId() {
        return primaryId;
    }

    public String primaryNameColumn() {
        return primaryNameColumn;
    }

    /** Every column in a stable order: id, declared columns, then versionnumber, createdon, modifiedon. */
    public List<ColumnDef> columns() {
        return orderedColumns;
    }

    public Optional<ColumnDef> column(String name) {
        return Optional.ofNullable(columnsByName.get(name));
    }

    /** Finds a column by its wire name ({@code _x_value} for lookups). */
    public Optional<ColumnDef> columnByProperty(String propertyName) {
        return Optional.ofNullable(columnsByProperty.get(propertyName));
    }

    public Optional<ColumnDef> lookupByNavigation(String navigationProperty) {
        return Optional.ofNullable(lookupsByNavigation.get(navigationProperty));
    }

    public Collection<ColumnDef> lookups() {
        return lookupsByNavigation.values();
    }

    public List<AlternateKey> alternateKeys() {
        return alternateKeys;
    }

    public ColumnDef versionNumber() {
        return columnsByName.get(VERSION_NUMBER);
    }

    @Override
    public String toString() {
        return logicalName;
    }
}
