package dev.dvemu.plugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A query for {@link OrganizationService#retrieveMultiple}: rows of one table whose attributes equal the given
 * values (a {@code null} value matches null), as Dataverse's {@code QueryByAttribute}.
 *
 * <pre>{@code
 * List<Entity> applied = service.retrieveMultiple(new QueryByAttribute("new_appliedpromotion")
 *         .where("new_promotionid", promotionId).columns("new_amount").top(5000));
 * }</pre>
 */
public final class QueryByAttribute {
    private final String logicalName;
    private final Map<String, Object> conditions = new LinkedHashMap<>();
    private final List<String> columns = new ArrayList<>();
    private final List<String> orderBy = new ArrayList<>();
    private Integer top;

    public QueryByAttribute(String logicalName) {
        this.logicalName = Objects.requireNonNull(logicalName, "logicalName");
    }

    public String logicalName() {
        return logicalName;
    }

    /** Adds {@code attribute = value}; a lookup's value may be its id or an {@link EntityReference}. */
    public QueryByAttribute where(String attribute, Object value) {
        conditions.put(Objects.requireNonNull(attribute, "attribute"), value);
        return this;
    }

    /** The columns to read (all when none are named). */
    public QueryByAttribute columns(String... columns) {
        this.columns.addAll(List.of(columns));
        return this;
    }

    /** Orders by an attribute, ascending; prefix it with {@code -} for descending. */
    public QueryByAttribute orderBy(String attribute) {
        orderBy.add(Objects.requireNonNull(attribute, "attribute"));
        return this;
    }

    /** At most this many rows (at most 5000, Dataverse's page). */
    public QueryByAttribute top(int top) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1");
        }
        this.top = top;
        return this;
    }

    public Map<String, Object> conditions() {
        return Collections.unmodifiableMap(conditions);
    }

    public List<String> columns() {
        return Collections.unmodifiableList(columns);
    }

    public List<String> orderBy() {
        return Collections.unmodifiableList(orderBy);
    }

    public Optional<Integer> top() {
        return Optional.ofNullable(top);
    }
}
