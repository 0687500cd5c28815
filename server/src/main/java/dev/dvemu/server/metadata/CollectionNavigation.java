package dev.dvemu.server.metadata;

/**
 * A collection-valued navigation property: the rows of {@link #related()} that a row of {@link #owner()} is linked to,
 * through a one-to-many relationship's lookup or a many-to-many relationship's intersect table. Its name is the
 * relationship's schema name, as Dataverse names the property.
 */
public sealed interface CollectionNavigation permits OneToMany, ManyToMany.Side {
    /** The navigation property's name: the relationship's schema name. */
    String navigation();

    /** The table that has the property. */
    TableDef owner();

    /** The table of the rows in the collection. */
    TableDef related();
}
