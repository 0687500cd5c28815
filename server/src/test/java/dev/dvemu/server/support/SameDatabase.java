package dev.dvemu.server.support;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;

/**
 * Another server on the database of a running one (a new pool, a new Jetty, no shared state), as a second process
 * would be; the caller closes it.
 */
public final class SameDatabase {
    private SameDatabase() {
    }

    /**
     * {@code use} names the caller: the testkit gives a database URL it has seen before a new database next to it,
     * so each use connects with a URL of its own (the same database; the driver ignores the parameter).
     */
    public static Dvemu start(Dvemu first, String use, String... args) {
        String url = first.jdbcUrl();
        String tagged = url + (url.contains("?") ? "&" : "?") + "dvemuUse=" + use;
        return Dvemu.start(DvemuConfig.builder().database(tagged, "postgres", null).args(args).build());
    }
}
