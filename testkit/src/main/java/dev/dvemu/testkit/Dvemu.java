package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A running emulator: where it is, and its admin API (reset, snapshots, seed, the request journal, faults, holds).
 * Injected by {@link DvemuTest}; or started by {@link #start(DvemuConfig)} from any test framework or a main method
 * (close it when done).
 *
 * <pre>{@code
 * try (Dvemu dvemu = Dvemu.start(DvemuConfig.defaults())) {
 *     // point your code at dvemu.webApiUrl() with the bearer token dvemu.token()
 *     dvemu.verify(1, RequestPattern.post("new_bookings").status(204));
 * }
 * }</pre>
 */
public final class Dvemu implements AutoCloseable {
    /** The bearer token the testkit's clients send; the emulator accepts any non-empty token. */
    public static final String TOKEN = "dvemu-test-token";
    static final String FIXTURE_SNAPSHOT = "dvemu-testkit-fixture";

    private final DvemuConfig config;
    private final String baseUrl;
    private final String apiUrl;
    private final int port;
    private final String jdbcUrl;
    private final String version;
    private final AutoCloseable closer;
    private final boolean owned;
    private final AdminHttp http;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private Set<String> adminResources;
    private Object client;

    Dvemu(DvemuConfig config, Map<String, Object> started, AutoCloseable closer, boolean owned) {
        this.config = config;
        this.baseUrl = (String) started.get("baseUrl");
        this.apiUrl = (String) started.get("apiUrl");
        this.port = (Integer) started.get("port");
        this.jdbcUrl = (String) started.get("jdbcUrl");
        this.version = (String) started.get("version");
        this.closer = closer;
        this.owned = owned;
        this.http = new AdminHttp(baseUrl, TOKEN);
    }

    /**
     * Starts an emulator of its own (a new database in this JVM's embedded PostgreSQL, or the configured external
     * one) with the fixture loaded; returns once it serves. {@link #close()} stops it.
     */
    public static Dvemu start(DvemuConfig config) {
        return Instances.get().startOwned(config);
    }

    /** {@link #start(DvemuConfig)} with the built-in tables and no fixture. */
    public static Dvemu start() {
        return start(DvemuConfig.defaults());
    }

    /** The Web API root, {@code http://127.0.0.1:<port>/api/data/v9.2/}. */
    public URI webApiUrl() {
        return URI.create(apiUrl);
    }

    /** {@code http://127.0.0.1:<port>}: the admin API is under {@code /_dvemu/}, health at {@code /health}. */
    public URI baseUrl() {
        return URI.create(baseUrl);
    }

    public int port() {
        return port;
    }

    /** A bearer token the emulator accepts ({@link #TOKEN}). */
    public String token() {
        return TOKEN;
    }

    /** The JDBC URL of this instance's database (for looking at rows with SQL). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The server's version. */
    public String version() {
        return version;
    }

    public DvemuConfig config() {
        return config;
    }

    /**
     * A {@code dev.dvemu.client.DataverseClient} for this emulator (one per instance), when the SDK is on the class
     * path: {@code DataverseClient client = dvemu.client();}.
     *
     * @throws IllegalStateException without the SDK
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T client() {
        if (client == null) {
            client = Clients.build(webApiUrl(), TOKEN);
        }
        return (T) client;
    }

    synchronized Object clientIfBuilt() {
        return client;
    }

    // ---- state ----------------------------------------------------------------------------------------------------

    /**
     * Brings the emulator back to the configured fixture (empty tables, or the seed or snapshot) and clears the
     * request journal and the fault rules (releasing anything held).
     */
    public void reset() {
        if (config.snapshot().isPresent()) {
            restoreFixture(config.snapshot().get());
        } else if (config.seed().isPresent() || config.seedJson().isPresent()) {
            restoreFixture(FIXTURE_SNAPSHOT);
        } else {
            http.post("reset", null);
        }
        if (admin().contains("faults")) {
            http.delete("faults");
        }
        if (admin().contains("requests")) {
            http.delete("requests");
        }
    }

    /** Every table empty (autonumbers back at their seeds), whatever the fixture; the journal and faults stay. */
    public void resetToEmpty() {
        http.post("reset", null);
    }

    private void restoreFixture(String name) {
        try {
            restore(name);
        } catch (DvemuException e) {
            if (e.status() == 404 && name.equals(config.snapshot().orElse(null))) {
                throw new DvemuException(404, e.code(), "the fixture snapshot '" + name + "' does not exist in this "
                        + "instance's database; create it first (dvemu.snapshot(\"" + name + "\"), e.g. in @BeforeAll with "
                        + "reset = EACH_TEST) or use a seed file: " + e.getMessage());
            }
            throw e;
        }
    }

    /** Loads the seed fixture once and snapshots it, so every reset is one restore. */
    void prepareFixture() {
        if (config.seed().isPresent() || config.seedJson().isPresent()) {
            http.post("reset", null);
            if (config.seed().isPresent()) {
                seed(config.seed().get());
            } else {
                seed(config.seedJson().get());
            }
            snapshot(FIXTURE_SNAPSHOT);
        }
    }

    /** Saves every table's rows under {@code name} ({@code [A-Za-z0-9_-]{1,63}}), replacing a snapshot of that name. */
    public JsonNode snapshot(String name) {
        return http.post("snapshots/" + name, null);
    }

    /** Restores the snapshot {@code name} (in one transaction); a {@link DvemuException} 404 if there is none. */
    public JsonNode restore(String name) {
        return http.post("snapshots/" + name + "/restore", null);
    }

    /** Deletes the snapshot {@code name}; a {@link DvemuException} 404 if there is none. */
    public void deleteSnapshot(String name) {
        http.delete("snapshots/" + name);
    }

    /** Deletes the snapshot {@code name}; with {@code ifExists}, no error if there is none. */
    public void deleteSnapshot(String name, boolean ifExists) {
        try {
            deleteSnapshot(name);
        } catch (DvemuException e) {
            if (!ifExists || e.status() != 404) {
                throw e;
            }
        }
    }

    /** The names of the snapshots. */
    public List<String> snapshots() {
        List<String> names = new ArrayList<>();
        for (JsonNode n : http.get("snapshots").path("value")) {
            names.add(n.path("name").asText());
        }
        return names;
    }

    /**
     * Creates rows from seed JSON, {@code {"<entitySetName>":[{...row as a Web API POST body...}],...}}, in one
     * transaction; returns how many rows per entity set. A bad row fails the whole seed with the server's message.
     */
    public Map<String, Integer> seed(String json) {
        JsonNode created = http.post("seed", json).path("created");
        Map<String, Integer> out = new LinkedHashMap<>();
        created.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    /** {@link #seed(String)} from a file. */
    public Map<String, Integer> seed(Path file) {
        try {
            return seed(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seed file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** {@code GET /_dvemu/info}: version, tables, database, settings, admin resources. */
    public JsonNode info() {
        return http.get("info");
    }

    private synchronized Set<String> admin() {
        if (adminResources == null) {
            Set<String> names = new HashSet<>();
            try {
                info().path("admin").forEach(n -> names.add(n.asText()));
            } catch (DvemuException e) {
                // an emulator without /_dvemu/info: nothing beyond reset is cleared
            }
            adminResources = names;
        }
        return adminResources;
    }

    // ---- journal --------------------------------------------------------------------------------------------------

    /** Every journal entry, oldest first. */
    public List<JournalEntry> requests() {
        return requests(RequestPattern.any());
    }

    /** The journal entries matching {@code pattern}, oldest first. */
    public List<JournalEntry> requests(RequestPattern pattern) {
        List<JournalEntry> out = new ArrayList<>();
        for (JsonNode n : http.get("requests" + AdminHttp.query(pattern.serverFilters())).path("value")) {
            JournalEntry e = JournalEntry.of(n);
            if (pattern.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** How many journal entries match {@code pattern}. */
    public int count(RequestPattern pattern) {
        return requests(pattern).size();
    }

    /** Empties the journal. */
    public void clearRequests() {
        http.delete("requests");
    }

    /** Asserts that exactly {@code expected} journal entries match; the failure lists the near matches. */
    public void verify(int expected, RequestPattern pattern) {
        List<JournalEntry> all = requests();
        long found = all.stream().filter(pattern::matches).count();
        if (found != expected) {
            throw new AssertionError(describe("Expected exactly " + expected, pattern, found, all));
        }
    }

    /** Asserts that at least one journal entry matches; the failure lists the near matches. */
    public void verify(RequestPattern pattern) {
        List<JournalEntry> all = requests();
        long found = all.stream().filter(pattern::matches).count();
        if (found == 0) {
            throw new AssertionError(describe("Expected at least one", pattern, 0, all));
        }
    }

    private static String describe(String expectation, RequestPattern pattern, long found, List<JournalEntry> all) {
        StringBuilder sb = new StringBuilder(expectation).append(" request matching [").append(pattern)
                .append("] but found ").append(found).append(" (of ").append(all.size()).append(" in the journal).");
        List<JournalEntry> near = all.stream().filter(e -> !pattern.matches(e))
                .sorted(Comparator.comparingInt((JournalEntry e) -> pattern.misses(e).size()).thenComparing(JournalEntry::id))
                .limit(10).toList();
        if (!near.isEmpty()) {
            sb.append("\nNear matches (closest first):");
            for (JournalEntry e : near) {
                sb.append("\n  ").append(e).append("   <- differs in ").append(String.join(", ", pattern.misses(e)));
            }
        }
        return sb.toString();
    }

    // ---- faults and holds -----------------------------------------------------------------------------------------

    /** Fault rules: error answers, latency, dropped connections. */
    public Faults faults() {
        return new Faults(http);
    }

    /** Starts building a hold named {@code name}: {@code dvemu.hold("readers").get("new_stocks").releaseWhen(2).install()}. */
    public Hold.Builder hold(String name) {
        return new Hold.Builder(http, name);
    }

    /**
     * Stops an emulator started with {@link #start(DvemuConfig)}. For an instance the JUnit extension injected this
     * does nothing: the extension closes its instances when the JVM exits.
     */
    @Override
    public void close() {
        if (owned) {
            try {
                stop();
            } catch (Exception e) {
                throw new DvemuException("cannot stop the emulator: " + e.getMessage(), e);
            }
        }
    }

    void stop() throws Exception {
        if (closer != null && stopped.compareAndSet(false, true)) {
            closer.close();
        }
    }

    @Override
    public String toString() {
        return "Dvemu[" + apiUrl + ", " + config + "]";
    }
}
