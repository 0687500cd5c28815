package dev.dvemu.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which journal entries to count or verify, WireMock style:
 * {@code RequestPattern.patch("new_stocks").status(412)}. Criteria not set match anything. Immutable: every method
 * returns a new pattern.
 */
public final class RequestPattern {
    private final String method;
    private final String table;
    private final String status;
    private final String code;
    private final Pattern url;
    private final Boolean inBatch;
    private final Boolean inChangeset;

    private RequestPattern(String method, String table, String status, String code, Pattern url, Boolean inBatch,
                           Boolean inChangeset) {
        this.method = method;
        this.table = table;
        this.status = status;
        this.code = code;
        this.url = url;
        this.inBatch = inBatch;
        this.inChangeset = inChangeset;
    }

    /** Every request. */
    public static RequestPattern any() {
        return new RequestPattern(null, null, null, null, null, null, null);
    }

    /** Requests with this method (any case) to this entity set ({@code null}: any table). */
    public static RequestPattern method(String method, String table) {
        return any().withMethod(method).table(table);
    }

    public static RequestPattern get(String table) {
        return method("GET", table);
    }

    public static RequestPattern post(String table) {
        return method("POST", table);
    }

    public static RequestPattern patch(String table) {
        return method("PATCH", table);
    }

    public static RequestPattern put(String table) {
        return method("PUT", table);
    }

    public static RequestPattern delete(String table) {
        return method("DELETE", table);
    }

    private RequestPattern withMethod(String m) {
        return new RequestPattern(m == null ? null : m.toUpperCase(Locale.ROOT), table, status, code, url, inBatch, inChangeset);
    }

    /** To this entity set, e.g. {@code new_stocks}. */
    public RequestPattern table(String entitySet) {
        return new RequestPattern(method, entitySet, status, code, url, inBatch, inChangeset);
    }

    /** Answered with this status. */
    public RequestPattern status(int status) {
        return new RequestPattern(method, table, Integer.toString(status), code, url, inBatch, inChangeset);
    }

    /** Answered with a status of this class, e.g. {@code "4xx"}, or this status, e.g. {@code "412"}. */
    public RequestPattern status(String status) {
        if (!status.matches("[1-5](xx|\\d\\d)")) {
            throw new IllegalArgumentException("a status is like 412 or 4xx, not '" + status + "'");
        }
        return new RequestPattern(method, table, status, code, url, inBatch, inChangeset);
    }

    /** Answered with this Dataverse error code, e.g. {@code 0x80060882}. */
    public RequestPattern code(String code) {
        return new RequestPattern(method, table, status, code, url, inBatch, inChangeset);
    }

    /** Whose path and query (as received) contain a match of this regular expression. */
    public RequestPattern urlMatching(String regex) {
        return new RequestPattern(method, table, status, code, Pattern.compile(regex), inBatch, inChangeset);
    }

    /** Only parts of a {@code $batch} (true) or only requests of their own (false). */
    public RequestPattern inBatch(boolean inBatch) {
        return new RequestPattern(method, table, status, code, url, inBatch, inChangeset);
    }

    /** Only parts inside a changeset (true) or only operations outside one (false). */
    public RequestPattern inChangeset(boolean inChangeset) {
        return new RequestPattern(method, table, status, code, url, inBatch, inChangeset);
    }

    /** True if the entry meets every criterion. */
    public boolean matches(JournalEntry e) {
        return misses(e).isEmpty();
    }

    /** The criteria the entry does not meet, in words. */
    List<String> misses(JournalEntry e) {
        List<String> m = new ArrayList<>();
        if (method != null && !method.equalsIgnoreCase(e.method())) {
            m.add("method " + e.method());
        }
        if (table != null && !table.equals(e.table())) {
            m.add("table " + e.table());
        }
        if (status != null && !statusMatches(e.status())) {
            m.add("status " + e.status());
        }
        if (code != null && !code.equalsIgnoreCase(Objects.toString(e.code(), ""))) {
            m.add("code " + e.code());
        }
        if (url != null && (e.url() == null || !url.matcher(e.url()).find())) {
            m.add("url " + e.url());
        }
        if (inBatch != null && inBatch != e.inBatch()) {
            m.add(e.inBatch() ? "in a $batch" : "not in a $batch");
        }
        if (inChangeset != null && inChangeset != e.inChangeset()) {
            m.add(e.inChangeset() ? "in a changeset" : "not in a changeset");
        }
        return m;
    }

    private boolean statusMatches(int s) {
        return status.endsWith("xx") ? s / 100 == status.charAt(0) - '0' : Integer.toString(s).equals(status);
    }

    /** The criteria the server can filter by (the rest is filtered here). */
    java.util.Map<String, Object> serverFilters() {
        java.util.Map<String, Object> q = new java.util.LinkedHashMap<>();
        q.put("method", method);
        q.put("table", table);
        q.put("status", status);
        q.put("code", code);
        return q;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(method == null ? "any method" : method);
        parts.add(table == null ? "any table" : table);
        if (status != null) {
            parts.add("status " + status);
        }
        if (code != null) {
            parts.add("code " + code);
        }
        if (url != null) {
            parts.add("url ~ /" + url.pattern() + "/");
        }
        if (inBatch != null) {
            parts.add(inBatch ? "in a $batch" : "not in a $batch");
        }
        if (inChangeset != null) {
            parts.add(inChangeset ? "in a changeset" : "not in a changeset");
        }
        return String.join(", ", parts);
    }
}
