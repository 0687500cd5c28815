package dev.dvemu.plugin;

/** How an update through {@link OrganizationService} treats the row's version, as Dataverse's {@code ConcurrencyBehavior}. */
public enum ConcurrencyBehavior {
    /** Update whatever the row's version. */
    DEFAULT,
    /** Update only if the row still has the entity's {@link Entity#version()}; otherwise the operation fails ({@code 0x80060882}). */
    IF_ROW_VERSION_MATCHES,
    /** Update whatever the row's version. */
    ALWAYS_OVERWRITE
}
