package dev.dvemu.server.db;

import dev.dvemu.server.config.ServerConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How hard the embedded PostgreSQL works to keep what it acknowledged. The library it comes from turns flushing
 * off (it is made for throwaway test databases): a write acknowledged in the last fraction of a second before
 * PostgreSQL or the machine crashes would be lost. A persistent data directory keeps every acknowledged write;
 * an {@code --ephemeral} one is thrown away anyway and may skip the flushes.
 */
public enum Durability {
    /** PostgreSQL's own defaults: a commit returns once its WAL is on disk; torn pages are repaired from the WAL. */
    DURABLE(settings("on")),
    /** Commits return before their WAL is flushed and nothing is fsync'ed: fast, and lost on a crash. */
    FAST(settings("off"));

    private final Map<String, String> settings;

    Durability(Map<String, String> settings) {
        this.settings = settings;
    }

    public static Durability of(ServerConfig config) {
        return config.ephemeral() ? FAST : DURABLE;
    }

    /** The PostgreSQL settings, in a stable order; each is also {@code SHOW}able by that name. */
    public Map<String, String> settings() {
        return settings;
    }

    /** {@code fsync=on, synchronous_commit=on, full_page_writes=on} */
    public String describe() {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static Map<String, String> settings(String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fsync", value);
        m.put("synchronous_commit", value);
        m.put("full_page_writes", value);
        return java.util.Collections.unmodifiableMap(m);
    }
}
