package dev.dvemu.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A row as plug-ins see it: the table's logical name, the id when known, and attributes by column logical name.
 * Attribute values are plain Java values: {@code String}, {@code Integer} (whole numbers and choices),
 * {@code Long}, {@code BigDecimal} (decimals and money), {@code Boolean}, {@code OffsetDateTime}, {@code UUID}
 * and {@link EntityReference} (lookups); {@code null} clears a column. Not thread-safe; each context has its own.
 *
 * <pre>{@code
 * Entity update = new Entity("new_promotion", promotionId).set("new_lockedby", "apply");
 * context.service().update(update);
 * }</pre>
 */
public final class Entity {
    private final String logicalName;
    private UUID id;
    private Long version;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public Entity(String logicalName) {
        this.logicalName = Objects.requireNonNull(logicalName, "logicalName");
    }

    public Entity(String logicalName, UUID id) {
        this(logicalName);
        this.id = Objects.requireNonNull(id, "id");
    }

    public String logicalName() {
        return logicalName;
    }

    /** The row's id; empty for a row not created yet whose id the caller did not choose. */
    public Optional<UUID> id() {
        return Optional.ofNullable(id);
    }

    public Entity id(UUID id) {
        this.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /**
     * The row's version ({@code versionnumber}, the number in its ETag) when read; for an update through
     * {@link OrganizationService#update(Entity, ConcurrencyBehavior)} with {@code IF_ROW_VERSION_MATCHES}, the version
     * the row must still have.
     */
    public OptionalLong version() {
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    public Entity version(long version) {
        this.version = version;
        return this;
    }

    /** The attributes, by column logical name, in the order they were set; read-only. */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public boolean contains(String attribute) {
        return attributes.containsKey(attribute);
    }

    /** The value, or null when the attribute is absent or null. */
    public Object get(String attribute) {
        return attributes.get(attribute);
    }

    /** The value as {@code type}; empty when absent or null; a value of another type is a {@link ClassCastException}. */
    public <T> Optional<T> get(String attribute, Class<T> type) {
        return Optional.ofNullable(type.cast(attributes.get(attribute)));
    }

    /** Sets (or, with {@code null}, clears) an attribute; returns this entity. */
    public Entity set(String attribute, Object value) {
        attributes.put(Objects.requireNonNull(attribute, "attribute"), value);
        return this;
    }

    /** Removes an attribute, so the operation leaves the column as it is. */
    public Entity remove(String attribute) {
        attributes.remove(attribute);
        return this;
    }

    public EntityReference toReference() {
        return new EntityReference(logicalName, id().orElseThrow(() ->
                new IllegalStateException("the " + logicalName + " row has no id yet")));
    }

    @Override
    public String toString() {
        return logicalName + (id == null ? "" : "(" + id + ")") + attributes;
    }
}
