package dev.dvemu.server.config;

import java.time.Duration;

/**
 * Dataverse's service protection limits, evaluated per user (here: per bearer token) over a sliding window
 * (dataverse-features.md §a). The defaults are Dataverse's: 6,000 requests and 20 minutes of combined execution
 * time in any 5 minutes, and 52 requests at once.
 *
 * @param requests      requests allowed in one window
 * @param window        the sliding window
 * @param executionTime combined execution time allowed in one window
 * @param concurrent    requests allowed at the same time
 */
public record ServiceProtection(int requests, Duration window, Duration executionTime, int concurrent) {
    public static final ServiceProtection DATAVERSE = new ServiceProtection(6000, Duration.ofMinutes(5), Duration.ofMinutes(20), 52);

    @Override
    public String toString() {
        return requests + " requests / " + window.toSeconds() + " s, " + executionTime.toSeconds() + " s execution time, "
                + concurrent + " concurrent";
    }
}
