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
 *
 * Query contacts = Query.related(RowRef.of("accounts", accountId), "contact_customer_accounts")
 *         .select("fullname").orderBy("fullname");   // accounts(<id>)/contact_customer_accounts?...
 *
 * Query withContacts = Query.from("accounts").select("name")
 *         .expand("contact_customer_accounts", Expand.of().select("fullname").top(5));   // $expand=...(...)
 * }</pre>
 */
public final class Query {
    /** The entity set read, or {@code null} for related rows (whose set the answer's context names). */
    private final String entitySet;
    /** What the URL reads before its options: the entity set, or {@code accounts(<id>)/contact_customer_accounts}. */
    private final String path;
    private final List<String> select;
    private final Filter filter;
    private final List<String> orderBy;
    private final Integer top;
    private final boolean count;
    private final Integer pageSize;
    private final List<Expansion> expand;

    /** One {@code $expand} item: a navigation property and the options of its related rows. */
    private record Expansion(String navigation, Expand options) {
    }

    private Query(String entitySet, String path, List<String> select, Filter filter, List<String> orderBy, Integer top,
                  boolean count, Integer pageSize) {
        this(entitySet, path, select, filter, orderBy, top, count, pageSize, List.of());
    }

    private Query(String entitySet, String path, List<String> select, Filter filter, List<String> orderBy, Integer top,
                  boolean count, Integer pageSize, List<Expansion> expand) {
        this.entitySet = entitySet;
        this.path = path;
        this.select = List.copyOf(select);
        this.filter = filter;
        this.orderBy = List.copyOf(orderBy);
        this.top = top;
        this.count = count;
        this.pageSize = pageSize;
        this.expand = List.copyOf(expand);
    }

    /**
     * The rows of an entity set.
     *
     * <pre>{@code
     * Query q = Query.from("accounts").select("name");
     * }</pre>
     */
    public static Query from(String entitySet) {
        return new Query(Objects.requireNonNull(entitySet), entitySet, List.of(), null, List.of(), null, false, null);
    }

    /**
     * The rows related to {@code row} through a collection-valued navigation property, e.g. an account's contacts
     * ({@code accounts(<id>)/contact_customer_accounts}); select, filter, order, top, count and paging apply within
     * them. The rows' entity set is read from the answer ({@code @odata.context}) into {@link Page#entitySet()}.
     *
     * <pre>{@code
     * Query q = Query.related(RowRef.of("accounts", accountId), "contact_customer_accounts")
     *         .filter(Filter.startsWith("fullname", "A")).pageSize(50);
     * long n = dv.count(q);
     * }</pre>
     */
    public static Query related(RowRef row, String collectionNavigation) {
        Objects.requireNonNull(row, "row");
        if (row.operationName().isPresent()) {
            throw new IllegalArgumentException("a query cannot read from an operation reference: " + row);
        }
        String path = row.path() + "/" + Operation.requireNavigation(collectionNavigation);
        return new Query(null, path, List.of(), null, List.of(), null, false, null);
    }

    public Query select(String... columns) {
        return new Query(entitySet, path, List.of(columns), filter, orderBy, top, count, pageSize, expand);
    }

    public Query filter(Filter f) {
        return new Query(entitySet, path, select, Objects.requireNonNull(f), orderBy, top, count, pageSize, expand);
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
        return new Query(entitySet, path, select, filter, o, top, count, pageSize, expand);
    }

    public Query top(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("top must not be negative");
        }
        return new Query(entitySet, path, select, filter, orderBy, n, count, pageSize, expand);
    }

    /**
     * Also returns the row(s) related through a navigation property, with all their columns: a lookup's row
     * ({@link Row#expandedRow}) or a one-to-many relationship's rows ({@link Row#expandedRows}). Several calls expand
     * several properties; each property at most once. Expansions inside expansions are not served.
     *
     * <pre>{@code
     * Query q = Query.from("contacts").select("fullname").expand("parentcustomerid_account");
     * Optional<Row> account = dv.query(q).rows().get(0).expandedRow("parentcustomerid_account");
     * }</pre>
     */
    public Query expand(String navigation) {
        return expand(navigation, Expand.of());
    }

    /**
     * Also returns the row(s) related through a navigation property, read with their own options; sent as
     * {@code $expand=nav($select=..;$filter=..;$orderby=..;$top=n)}.
     *
     * <pre>{@code
     * Query q = Query.from("accounts").select("name")
     *         .expand("contact_customer_accounts", Expand.of().select("fullname").orderBy("fullname").top(5));
     * for (Row account : dv.query(q).rows()) {
     *     List<Row> contacts = account.expandedRows("contact_customer_accounts");
     * }
     * }</pre>
     */
    public Query expand(String navigation, Expand options) {
        Operation.requireNavigation(navigation);
        Objects.requireNonNull(options, "options");
        if (expand.stream().anyMatch(e -> e.navigation().equals(navigation))) {
            throw new IllegalArgumentException(navigation + " is expanded already");
        }
        List<Expansion> e = new ArrayList<>(expand);
        e.add(new Expansion(navigation, options));
        return new Query(entitySet, path, select, filter, orderBy, top, count, pageSize, e);
    }

    /** Asks for {@code @odata.count} (Dataverse stops counting at 5000). */
    public Query withCount() {
        return new Query(entitySet, path, select, filter, orderBy, top, true, pageSize, expand);
    }

    /** Rows per page, sent as {@code Prefer: odata.maxpagesize} (1 to 5000). */
    public Query pageSize(int n) {
        if (n < 1 || n > 5000) {
            throw new IllegalArgumentException("page size must be 1 to 5000");
        }
        return new Query(entitySet, path, select, filter, orderBy, top, count, n, expand);
    }

    /**
     * The entity set of a {@link #from} query; a {@link #related} query names no entity set of its own
     * ({@link IllegalStateException}): see {@link #path()}.
     */
    public String entitySet() {
        if (entitySet == null) {
            throw new IllegalStateException("a related-rows query reads " + path + ", not an entity set");
        }
        return entitySet;
    }

    /** What the query reads: the entity set, or for related rows e.g. {@code accounts(<id>)/contact_customer_accounts}. */
    public String path() {
        return path;
    }

    /** Whether this reads the rows related to a row ({@link #related}) rather than an entity set. */
    public boolean isRelated() {
        return entitySet == null;
    }

    public OptionalInt pageSizeValue() {
        return pageSize == null ? OptionalInt.empty() : OptionalInt.of(pageSize);
    }

    public Optional<Filter> filterValue() {
        return Optional.ofNullable(filter);
    }

    /** The relative URL, e.g. {@code new_stocks?$select=new_name&$filter=...}. */
    public String relativeUrl() {
        List<String> options = options(select, filter, orderBy, top);
        if (!expand.isEmpty()) {
            options.add("$expand=" + String.join(",", expand.stream().map(e -> e.options().render(e.navigation())).toList()));
        }
        if (count) {
            options.add("$count=true");
        }
        return options.isEmpty() ? path : path + "?" + String.join("&", options);
    }

    /** {@code $select}, {@code $filter}, {@code $orderby} and {@code $top} as encoded options: a query's and an expansion's. */
    static List<String> options(List<String> select, Filter filter, List<String> orderBy, Integer top) {
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
        return options;
    }

    @Override
    public String toString() {
        return relativeUrl();
    }
}
