package dev.dvemu.plugin;

import java.util.Objects;
import java.util.UUID;

/**
 * A reference to one row: its table's logical name and its id. The value of a lookup column in an {@link Entity},
 * and the {@code Target} of a {@code Delete}.
 *
 * <pre>{@code
 * target.set("new_promotionid", new EntityReference("new_promotion", promotionId));
 * }</pre>
 */
public record EntityReference(String logicalName, UUID id) {
    public EntityReference {
        Objects.requireNonNull(logicalName, "logicalName");
        Objects.requireNonNull(id, "id");
    }
}
