package dev.dvemu.server.metadata;

import java.util.Arrays;
import java.util.Optional;

/**
 * What deleting a row does to the rows whose lookup points at it: Dataverse's {@code CascadeConfiguration.Delete} of
 * the lookup's one-to-many relationship. Each is carried by the lookup's foreign key ({@link #sqlAction}); RemoveLink
 * is also an update of every child, which the delete performs itself before the database would clear the lookup.
 */
public enum CascadeDelete {
    /** Deleting the parent deletes the children (and theirs, by their own relationships). */
    CASCADE("Cascade", "CASCADE", 'c'),
    /** Deleting the parent clears the children's lookup: an update of each child (new version, new ETag). */
    REMOVE_LINK("RemoveLink", "SET NULL", 'n'),
    /** The parent cannot be deleted while children point at it (405, 0x80040227). */
    RESTRICT("Restrict", "RESTRICT", 'r');

    /** What a lookup declares without {@code cascadeDelete}: the default of Dataverse's custom relationships. */
    public static final CascadeDelete DEFAULT = REMOVE_LINK;

    private final String metadataName;
    private final String sqlAction;
    private final char deleteType;

    CascadeDelete(String metadataName, String sqlAction, char deleteType) {
        this.metadataName = metadataName;
        this.sqlAction = sqlAction;
        this.deleteType = deleteType;
    }

    /** The value of {@code cascadeDelete} in a table definition. */
    public String metadataName() {
        return metadataName;
    }

    /** The foreign key's action, as written after {@code ON DELETE}. */
    public String sqlAction() {
        return sqlAction;
    }

    /**
     * Whether a foreign key's {@code pg_constraint.confdeltype} carries this behaviour: NO ACTION ('a') refuses the
     * delete as RESTRICT does (only later, at the end of the statement), so both are Restrict.
     */
    public boolean matchesDeleteType(char confdeltype) {
        return confdeltype == deleteType || (this == RESTRICT && confdeltype == 'a');
    }

    public static Optional<CascadeDelete> fromMetadataName(String name) {
        return Arrays.stream(values()).filter(b -> b.metadataName.equals(name)).findFirst();
    }
}
