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

    private Message() {
    }
}
