package dev.dvemu.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@code $filter} expression built from columns and values, where every value is written as a proper OData literal
 * (strings quoted, quotes doubled), so text from users can never change the query.
 *
 * <pre>{@code
 * Filter f = Filter.eq("lastname", "O'Bryan").and(Filter.gt("numberofemployees", 10));
 * Filter g = Filter.of("_new_stockid_value eq {0} and new_status ne {1}", stockId, 100000002);
 * }</pre>
 */
public final class Filter {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*");

    private final String expression;

    private Filter(String expression) {
        this.expression = expression;
    }

    /** A template whose {@code {0}}, {@code {1}}... are replaced by the arguments as safe literals. */
    public static Filter of(String template, Object... args) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i >= args.length) {
                throw new IllegalArgumentException("no argument for {" + i + "} in " + template);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(ODataLiterals.literal(args[i])));
        }
        m.appendTail(sb);
        return new Filter(sb.toString());
    }

    /** An expression used as it is: never put user input into one. */
    public static Filter raw(String expression) {
        return new Filter(Objects.requireNonNull(expression));
    }

    public static Filter eq(String column, Object value) {
        return compare(column, "eq", value);
    }

    public static Filter ne(String column, Object value) {
        return compare(column, "ne", value);
    }

    public static Filter gt(String column, Object value) {
        return compare(column, "gt", value);
    }

    public static Filter ge(String column, Object value) {
        return compare(column, "ge", value);
    }

    public static Filter lt(String column, Object value) {
        return compare(column, "lt", value);
    }

    public static Filter le(String column, Object value) {
        return compare(column, "le", value);
    }

    public static Filter isNull(String column) {
        return new Filter(column(column) + " eq null");
    }

    public static Filter contains(String column, String text) {
        return function("contains", column, text);
    }

    public static Filter startsWith(String column, String text) {
        return function("startswith", column, text);
    }

    public static Filter endsWith(String column, String text) {
        return function("endswith", column, text);
    }

    public static Filter allOf(Filter... filters) {
        return join(" and ", filters);
    }

    public static Filter anyOf(Filter... filters) {
        return join(" or ", filters);
    }

    public Filter and(Filter other) {
        return allOf(this, other);
    }

    public Filter or(Filter other) {
        return anyOf(this, other);
    }

    public Filter negate() {
        return new Filter("not (" + expression + ")");
    }

    private static Filter compare(String column, String op, Object value) {
        return new Filter(column(column) + " " + op + " " + ODataLiterals.literal(value));
    }

    private static Filter function(String name, String column, String text) {
        return new Filter(name + "(" + column(column) + "," + ODataLiterals.literal(Objects.requireNonNull(text)) + ")");
    }

    private static Filter join(String op, Filter... filters) {
        if (filters.length == 0) {
            throw new IllegalArgumentException("nothing to combine");
        }
        return new Filter(Arrays.stream(filters).map(f -> "(" + f.expression + ")").collect(Collectors.joining(op)));
    }

    private static String column(String name) {
        if (!COLUMN.matcher(name).matches()) {
            throw new IllegalArgumentException("not a column name: " + name);
        }
        return name;
    }

    /** The expression as it goes into {@code $filter} (before URL encoding). */
    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }
}
