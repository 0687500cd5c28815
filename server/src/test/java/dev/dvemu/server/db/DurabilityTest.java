package dev.dvemu.server.db;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A persistent data directory keeps every write PostgreSQL acknowledged, through a crash of PostgreSQL or of the
 * machine: flushing on (the library that embeds PostgreSQL turns it off); a throwaway one need not.
 */
@DvemuTest(reset = Reset.NEVER)
class DurabilityTest {
    static Dvemu dvemu;

    @Test
    void aPersistentDataDirectoryFlushesEveryCommit(@TempDir Path dir) throws Exception {
        try (DvemuServer server = DvemuServer.start(ConfigParser.parse(
                new String[]{"--port", "0", "--data-dir", dir.toString()}, Map.of()).config())) {
            assertEquals(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"), settings(server.jdbcUrl()));
        }
    }

    @Test
    void anEphemeralDatabaseSkipsTheFlushes() throws Exception {
        assertEquals(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"),
                settings(dvemu.jdbcUrl()));
    }

    private static Map<String, String> settings(String jdbcUrl) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (String name : new String[]{"fsync", "synchronous_commit", "full_page_writes"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }
}
