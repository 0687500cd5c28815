package dev.dvemu.testkit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which operations a fault rule applies to (a request of its own, or each part of a {@code $batch}), and how often:
 * {@code FaultMatch.patch("new_stocks").times(1)}. Immutable.
 */
public final class FaultMatch {
    private final String method;
    private final String table;
    private final String path;
    private final Boolean inChangeset;
    private final Integer times;
    private final Double probability;
    private final Long seed;

    private FaultMatch(String method, String table, String path, Boolean inChangeset, Integer times, Double probability, Long seed) {
        this.method = method;
        this.table = table;
        this.path = path;
        this.inChangeset = inChangeset;
        this.times = times;
        this.probability = probability;
        this.seed = seed;
    }

    /** Every operation. */
    public static FaultMatch any() {
        return new FaultMatch(null, null, null, null, null, null, null);
    }

    /** Operations with this method on this entity set ({@code null}: any table). */
    public static FaultMatch method(String method, String table) {
        return new FaultMatch(method == null ? null : method.toUpperCase(Locale.ROOT), table, null, null, null, null, null);
    }

    public static FaultMatch get(String table) {
        return method("GET", table);
    }

    public static FaultMatch post(String table) {
        return method("POST", table);
    }

    public static FaultMatch patch(String table) {
        return method("PATCH", table);
    }

    public static FaultMatch put(String table) {
        return method("PUT", table);
    }

    public static FaultMatch delete(String table) {
        return method("DELETE", table);
    }

    /** Operations on this entity set, any method. */
    public static FaultMatch table(String table) {
        return method(null, table);
    }

    /** Whose path after {@code /api/data/v9.x/} matches this regular expression. */
    public FaultMatch path(String regex) {
        return new FaultMatch(method, table, regex, inChangeset, times, probability, seed);
    }

    /** Only parts inside a changeset (true), or only operations outside one (false). */
    public FaultMatch inChangeset(boolean in) {
        return new FaultMatch(method, table, path, in, times, probability, seed);
    }

    /** Whether {@link #times(int)} was given. */
    boolean limited() {
        return times != null;
    }

    /** At most this many times (default: unlimited). */
    public FaultMatch times(int n) {
        return new FaultMatch(method, table, path, inChangeset, n, probability, seed);
    }

    /** Each matching operation with this probability, drawn from a generator seeded with {@code seed}. */
    public FaultMatch probability(double p, long seed) {
        return new FaultMatch(method, table, path, inChangeset, times, p, seed);
    }

    /** The rule body without its action. */
    Map<String, Object> rule() {
        Map<String, Object> match = new LinkedHashMap<>();
        if (method != null) {
            match.put("method", method);
        }
        if (table != null) {
            match.put("table", table);
        }
        if (path != null) {
            match.put("path", path);
        }
        if (inChangeset != null) {
            match.put("inChangeset", inChangeset);
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("match", match);
        if (times != null) {
            rule.put("times", times);
        }
        if (probability != null) {
            rule.put("probability", probability);
            rule.put("seed", seed);
        }
        return rule;
    }
}
