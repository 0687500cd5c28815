package dev.dvemu.plugin;

/**
 * The names of the messages dvemu runs steps for. An upsert runs the {@code Create} or the {@code Update} pipeline,
 * as Dataverse does, depending on whether the row exists; setting or clearing one column
 * ({@code PUT/DELETE <set>(<id>)/<column>}) is an {@code Update}. A custom API's message is its unique name.
 */
public final class Message {
    public static final String CREATE = "Create";
    public static final String UPDATE = "Update";
    public static final String DELETE = "Delete";
    /**
     * Linking rows of a many-to-many relationship ({@code POST …/<navigation>/$ref}). As on Dataverse, its steps are
     * registered for every table: {@code Step.on(Message.ASSOCIATE, Message.ANY_TABLE)}; the context's
     * {@code Target}, {@code Relationship} and {@code RelatedEntities} say which rows. Linking rows of a one-to-many
     * relationship sets the lookup of the related row: an {@code Update} of that row.
     */
    public static final String ASSOCIATE = "Associate";
    /** Removing a link of a many-to-many relationship; registered as {@link #ASSOCIATE} is. */
    public static final String DISASSOCIATE = "Disassociate";
    /** The "table" of a step on {@link #ASSOCIATE} or {@link #DISASSOCIATE}, which run for every table. */
    public static final String ANY_TABLE = "none";

    private Message() {
    }
}
