package dev.dvemu.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A collection read: which rows, which columns, in what order, how many per page. Immutable.
 *
 * <pre>{@code
 * Query q = Query.from("new_bookings")
 *         .select("new_name", "new_status")
 *         .filter(Filter.eq("_new_stockid_value", stockId))
 *         .orderBy("createdon")
 *         .pageSize(500);
 * dv.stream(q).forEach(row -> ...);   // follows @odata.nextLink lazily
 * }</pre>
 */
public final class Query {
    private final String entitySet;
    private final List<String> select;
    private final Filter filter;
    private final List<String> orderBy;
    private final Integer top;
    private final boolean count;
    private final Integer pageSize;

    private Query(String entitySet, List<String> select, Filter filter, List<String> orderBy, Integer top, boolean count,
                  Integer pageSize) {
        this.entitySet = entitySet;
        this.select = List.copyOf(select);
        this.filter = filter;
        this.orderBy = List.copyOf(orderBy);
        this.top = top;
        this.count = count;
        this.pageSize = pageSize;
    }

    public static Query from(String entitySet) {
        return new Query(Objects.requireNonNull(entitySet), List.of(), null, List.of(), null, false, null);
    }

    public Query select(String... columns) {
        return new Query(entitySet, List.of(columns), filter, orderBy, top, count, pageSize);
    }

    public Query filter(Filter f) {
        return new Query(entitySet, select, Objects.requireNonNull(f), orderBy, top, count, pageSize);
    }

    public Query orderBy(String column) {
        return addOrder(column);
    }

    public Query orderByDescending(String column) {
        return addOrder(column + " desc");
    }

    private Query addOrder(String item) {
        List<String> o = new ArrayList<>(orderBy);
        o.add(item);
        return new Query(entitySet, select, filter, o, top, count, pageSize);
    }

    public Query top(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("top must not be negative");
        }
        return new Query(entitySet, select, filter, orderBy, n, count, pageSize);
    }

    /** Asks for {@code @odata.count} (Dataverse stops counting at 5000). */
    public Query withCount() {
        return new Query(entitySet, select, filter, orderBy, top, true, pageSize);
    }

    /** Rows per page, sent as {@code Prefer: odata.maxpagesize} (1 to 5000). */
    public Query pageSize(int n) {
        if (n < 1 || n > 5000) {
            throw new IllegalArgumentException("page size must be 1 to 5000");
        }
        return new Query(entitySet, select, filter, orderBy, top, count, n);
    }

    public String entitySet() {
        return entitySet;
    }

    public OptionalInt pageSizeValue() {
        return pageSize == null ? OptionalInt.empty() : OptionalInt.of(pageSize);
    }

    public Optional<Filter> filterValue() {
        return Optional.ofNullable(filter);
    }

    /** The relative URL, e.g. {@code new_stocks?$select=new_name&$filter=...}. */
    public String relativeUrl() {
        List<String> options = new ArrayList<>();
        if (!select.isEmpty()) {
            options.add("$select=" + ODataLiterals.encodeQuery(String.join(",", select)));
        }
        if (filter != null) {
            options.add("$filter=" + ODataLiterals.encodeQuery(filter.expression()));
        }
        if (!orderBy.isEmpty()) {
            options.add("$orderby=" + ODataLiterals.encodeQuery(String.join(",", orderBy)));
        }
        if (top != null) {
            options.add("$top=" + top);
        }
        if (count) {
            options.add("$count=true");
        }
        return options.isEmpty() ? entitySet : entitySet + "?" + String.join("&", options);
    }

    @Override
    public String toString() {
        return relativeUrl();
    }
}
