package dev.dvemu.plugin;

import java.util.Objects;

/**
 * The relationship an {@code Associate} or {@code Disassociate} message links rows of: its schema name, as in
 * {@code context.inputParameters().get("Relationship")}.
 */
public record Relationship(String schemaName) {
    public Relationship {
        Objects.requireNonNull(schemaName, "schemaName");
    }
}
