package dev.dvemu.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of one {@code $expand}: which columns of the related rows, which of them, in what order, how many.
 * Immutable; the same option methods as {@link Query}. Dataverse takes only {@link #select} and {@link #filter} on a
 * lookup's expansion (a single row); ordering and {@link #top} are for a one-to-many relationship's rows.
 *
 * <pre>{@code
 * Query q = Query.from("accounts").select("name")
 *         .expand("contact_customer_accounts", Expand.of().select("fullname")
 *                 .filter(Filter.ne("fullname", "Bob")).orderByDescending("fullname").top(5))
 *         .expand("primarycontactid", Expand.of().select("fullname"));
 * // accounts?$select=name&$expand=contact_customer_accounts($select=fullname;$filter=...;...),primarycontactid(...)
 * }</pre>
 */
public final class Expand {
    private static final Expand NONE = new Expand(List.of(), null, List.of(), null);

    private final List<String> select;
    private final Filter filter;
    private final List<String> orderBy;
    private final Integer top;

    private Expand(List<String> select, Filter filter, List<String> orderBy, Integer top) {
        this.select = List.copyOf(select);
        this.filter = filter;
        this.orderBy = List.copyOf(orderBy);
        this.top = top;
    }

    /**
     * No options: every column of the related row(s), as the service returns them.
     *
     * <pre>{@code
     * Expand all = Expand.of();
     * }</pre>
     */
    public static Expand of() {
        return NONE;
    }

    /**
     * The columns of the related rows ({@code $select}).
     *
     * <pre>{@code
     * Expand e = Expand.of().select("fullname", "emailaddress1");
     * }</pre>
     */
    public Expand select(String... columns) {
        return new Expand(List.of(columns), filter, orderBy, top);
    }

    /**
     * Which related rows ({@code $filter}).
     *
     * <pre>{@code
     * Expand e = Expand.of().filter(Filter.startsWith("fullname", "A"));
     * }</pre>
     */
    public Expand filter(Filter f) {
        return new Expand(select, Objects.requireNonNull(f, "filter"), orderBy, top);
    }

    /**
     * Orders a relationship's rows by a column, ascending; several calls order by several columns.
     *
     * <pre>{@code
     * Expand e = Expand.of().orderBy("lastname").orderBy("firstname");
     * }</pre>
     */
    public Expand orderBy(String column) {
        return addOrder(Objects.requireNonNull(column, "column"));
    }

    /**
     * Orders a relationship's rows by a column, descending.
     *
     * <pre>{@code
     * Expand e = Expand.of().orderByDescending("createdon");
     * }</pre>
     */
    public Expand orderByDescending(String column) {
        return addOrder(Objects.requireNonNull(column, "column") + " desc");
    }

    private Expand addOrder(String item) {
        List<String> o = new ArrayList<>(orderBy);
        o.add(item);
        return new Expand(select, filter, o, top);
    }

    /**
     * At most {@code n} related rows per row ({@code $top}); the answer then links to the rest
     * ({@code <nav>@odata.nextLink}).
     *
     * <pre>{@code
     * Expand e = Expand.of().orderByDescending("createdon").top(3);
     * }</pre>
     */
    public Expand top(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("top must not be negative");
        }
        return new Expand(select, filter, orderBy, n);
    }

    /**
     * The expansion as it appears in {@code $expand}, URL-encoded like {@link Query}'s options: {@code nav} alone, or
     * {@code nav($select=a,b;$filter=...;$orderby=...;$top=n)}.
     *
     * <pre>{@code
     * Expand.of().select("name").render("parentcustomerid_account");   // parentcustomerid_account($select=name)
     * }</pre>
     */
    String render(String navigation) {
        List<String> options = Query.options(select, filter, orderBy, top);
        return options.isEmpty() ? navigation : navigation + "(" + String.join(";", options) + ")";
    }

    @Override
    public String toString() {
        return render("<navigation>");
    }
}
