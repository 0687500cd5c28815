package dev.dvemu.server.metadata;

/**
 * A one-to-many relationship, named as Dataverse names it: the lookup {@code lookup} of {@code referencing} rows
 * points at a {@code referenced} row. Its two navigation properties are the lookup's single-valued one on the
 * referencing table ({@code parentcustomerid_account}) and the collection-valued one on the referenced table, which
 * carries the relationship's schema name ({@code contact_customer_accounts}).
 */
public record OneToMany(String schemaName, TableDef referencing, ColumnDef lookup, TableDef referenced)
        implements CollectionNavigation {
    @Override
    public String navigation() {
        return schemaName;
    }

    @Override
    public TableDef owner() {
        return referenced;
    }

    @Override
    public TableDef related() {
        return referencing;
    }

    /** The collection-valued navigation property of the referenced table. */
    public String collectionNavigation() {
        return schemaName;
    }

    /** What deleting the referenced row does to the referencing rows ({@code CascadeConfiguration.Delete}). */
    public CascadeDelete cascadeDelete() {
        return lookup.deleteBehaviour().orElse(CascadeDelete.DEFAULT);
    }

    /** The single-valued navigation property of the referencing table. */
    public String singleNavigation() {
        return lookup.navigationProperty();
    }
}
