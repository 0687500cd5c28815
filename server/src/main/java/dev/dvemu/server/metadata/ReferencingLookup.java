package dev.dvemu.server.metadata;

/**
 * A lookup seen from the table it targets: {@code referencing.lookup} points at rows of the target, whether or not
 * the lookup names its relationship ({@link OneToMany} covers only those that do). What a delete of a target row
 * does to the referencing rows is the lookup's {@link #behaviour()}.
 */
public record ReferencingLookup(TableDef referencing, ColumnDef lookup) {
    public CascadeDelete behaviour() {
        return lookup.deleteBehaviour().orElse(CascadeDelete.DEFAULT);
    }
}
