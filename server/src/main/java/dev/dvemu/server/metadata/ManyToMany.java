package dev.dvemu.server.metadata;

/**
 * A many-to-many relationship, named as Dataverse names it: rows of {@code entity1} and {@code entity2} are linked by
 * rows of the intersect table {@code intersectTable}, whose two columns carry the tables' primary id names
 * ({@code Entity1IntersectAttribute}, {@code Entity2IntersectAttribute}). Both tables get a collection-valued navigation
 * property named after the relationship's schema name, each the other's partner.
 */
public record ManyToMany(String schemaName, TableDef entity1, TableDef entity2, String intersectTable) {
    /** The relationship seen from {@code owner}, one of its two tables. */
    public Side side(TableDef owner) {
        if (owner.logicalName().equals(entity1.logicalName())) {
            return new Side(this, entity1, entity2);
        }
        if (owner.logicalName().equals(entity2.logicalName())) {
            return new Side(this, entity2, entity1);
        }
        throw new IllegalArgumentException(owner.logicalName() + " is not a table of " + schemaName);
    }

    /** The relationship's navigation property on {@code owner}: the rows of {@code related} linked to an owner row. */
    public record Side(ManyToMany relationship, TableDef owner, TableDef related) implements CollectionNavigation {
        @Override
        public String navigation() {
            return relationship.schemaName();
        }

        /** The intersect column that holds the owner row's id. */
        public ColumnDef ownerColumn() {
            return owner.primaryId();
        }

        /** The intersect column that holds the related row's id. */
        public ColumnDef relatedColumn() {
            return related.primaryId();
        }

        public String intersectTable() {
            return relationship.intersectTable();
        }
    }
}
