package dev.dvemu.server.control;

import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.metadata.Catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The request journal: the last {@code --journal-size} requests and {@code $batch} parts this server instance
 * answered, in memory, for tests to inspect. Lock-free: recording takes a number from a counter and stores one
 * immutable {@link Entry} in a ring; every derived field (the URL, the table, the time as text) is computed only
 * when the journal is read. State of this instance only: two servers on one database keep two journals.
 */
public final class Journal {
    /** A journal that records nothing ({@code --journal-size 0}). */
    public static final Journal OFF = new Journal(0, null);

    private final int size;
    private final Catalog catalog;
    private final AtomicReferenceArray<Entry> ring;
    /** How many entries were ever recorded; entry {@code n} (1-based) is in slot {@code (n - 1) % size}. */
    private final AtomicLong recorded = new AtomicLong();
    /** Entries with an id at or below this were cleared by {@code DELETE /_dvemu/requests}. */
    private volatile long clearedUpTo;

    public Journal(int size, Catalog catalog) {
        this.size = Math.max(0, size);
        this.catalog = catalog;
        this.ring = new AtomicReferenceArray<>(Math.max(1, this.size));
    }

    public boolean enabled() {
        return size > 0;
    }

    public int size() {
        return size;
    }

    /**
     * One recorded request or batch part. {@code url} is as received (for a part, possibly absolute);
     * {@code tablePath} is the part's path once {@code $n} is resolved (null for a request: its URL says it).
     */
    public record Entry(long id, long timeMillis, String requestId, String method, String url, String query,
                        String tablePath, int status, String code, long ms, String batch, int changeset,
                        String contentId) {
    }

    /** Records a request: the URL is {@code uri} and {@code query} (may be null), joined when read. */
    public void request(long startMillis, String requestId, String method, String uri, String query, int status,
                        String code, long ms) {
        add(startMillis, requestId, method, uri, query, null, status, code, ms, null, -1, null);
    }

    /** Records a part of the {@code $batch} whose request id is {@code batch}; {@code changeset} is -1 outside one. */
    public void part(long startMillis, String batch, String method, String url, String resolvedPath, int status,
                     String code, long ms, int changeset, String contentId) {
        add(startMillis, batch, method, url, null, resolvedPath, status, code, ms, batch, changeset, contentId);
    }

    private void add(long time, String requestId, String method, String url, String query, String tablePath,
                     int status, String code, long ms, String batch, int changeset, String contentId) {
        if (size == 0) {
            return;
        }
        long id = recorded.incrementAndGet();
        ring.setRelease((int) ((id - 1) % size), new Entry(id, time, requestId, method, url, query, tablePath,
                status, code, ms, batch, changeset, contentId));
    }

    /** Forgets every entry recorded so far. */
    public void clear() {
        clearedUpTo = recorded.get();
    }

    /** What a read found: the matching entries, oldest first, and how many entries the ring overwrote unread. */
    public record Page(List<Entry> entries, long dropped) {
    }

    /** The entries that pass {@code filter}, oldest first, at most {@code limit}. */
    public Page read(Predicate<Entry> filter, int limit) {
        long last = recorded.get();
        long floor = clearedUpTo;
        long first = Math.max(floor + 1, last - size + 1);
        long dropped = Math.max(0, first - floor - 1);
        List<Entry> out = new ArrayList<>();
        for (long id = first; id <= last && out.size() < limit; id++) {
            Entry e = ring.getAcquire((int) ((id - 1) % size));
            if (e == null || e.id() != id) {
                // not yet stored by its writer, or overwritten since the counter was read
                continue;
            }
            if (filter.test(e)) {
                out.add(e);
            }
        }
        return new Page(out, dropped);
    }

    /** How many entries pass {@code filter}. */
    public long count(Predicate<Entry> filter) {
        return read(filter, Integer.MAX_VALUE).entries().size();
    }

    /** The URL as received: path and query for a request; for a part, the path of its (possibly absolute) URL. */
    public static String url(Entry e) {
        String u = e.url();
        if (e.query() != null) {
            return u + "?" + e.query();
        }
        if (u != null && (u.startsWith("http://") || u.startsWith("https://"))) {
            int slash = u.indexOf('/', u.indexOf("//") + 2);
            return slash < 0 ? "/" : u.substring(slash);
        }
        return u;
    }

    /** The entity set the entry addressed, or null (not an entity set: {@code $batch}, {@code WhoAmI}, ...). */
    public String table(Entry e) {
        String path = e.tablePath();
        if (path == null) {
            path = apiPath(e.url());
            if (path == null) {
                return null;
            }
        }
        String set = entitySet(path);
        return set != null && catalog != null && catalog.byEntitySet(set).isPresent() ? set : null;
    }

    /** The path below {@code /api/data/v9.x}, starting with '/', or null when {@code uri} is not under it. */
    static String apiPath(String uri) {
        if (uri == null) {
            return null;
        }
        for (String prefix : ServerConfig.API_PATHS) {
            if (uri.startsWith(prefix) && uri.length() > prefix.length() && uri.charAt(prefix.length()) == '/') {
                return uri.substring(prefix.length());
            }
        }
        return null;
    }

    /** {@code /new_stocks(...)/x} → {@code new_stocks}; null for an empty first segment. */
    static String entitySet(String path) {
        int from = path.startsWith("/") ? 1 : 0;
        int end = path.length();
        for (int i = from; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '(' || c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        return end > from ? path.substring(from, end) : null;
    }

    /** The entry as the admin API shows it. */
    public Map<String, Object> json(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", Instant.ofEpochMilli(e.timeMillis()).toString());
        m.put("requestId", e.requestId());
        m.put("method", e.method());
        m.put("url", url(e));
        m.put("table", table(e));
        m.put("status", e.status());
        m.put("code", e.code());
        m.put("ms", e.ms());
        m.put("batch", e.batch());
        m.put("changeset", e.changeset() < 0 ? null : e.changeset());
        m.put("contentId", e.contentId());
        return m;
    }
}
