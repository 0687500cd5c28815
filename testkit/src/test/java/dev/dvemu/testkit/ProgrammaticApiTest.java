package dev.dvemu.testkit;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Dvemu#start(DvemuConfig)} without the extension, as from TestNG, Spock or a main method. */
class ProgrammaticApiTest {

    @Test
    void startsSeedsResetsSnapshotsAndStops() throws Exception {
        int port;
        DvemuConfig config = DvemuConfig.builder()
                .seedJson("{\"new_stocks\":[{\"new_name\":\"a\"},{\"new_name\":\"b\"}]}")
                .build();
        try (Dvemu dvemu = Dvemu.start(config)) {
            port = dvemu.port();
            assertEquals(2, Http.countStocks(dvemu), "the fixture is loaded at start");
            assertEquals(Map.of("new_stocks", 1), dvemu.seed("{\"new_stocks\":[{\"new_name\":\"c\"}]}"));
            assertEquals(3, Http.countStocks(dvemu));
            dvemu.snapshot("three");
            assertTrue(dvemu.snapshots().contains("three"));

            dvemu.reset();
            assertEquals(2, Http.countStocks(dvemu), "reset returns to the fixture");
            dvemu.restore("three");
            assertEquals(3, Http.countStocks(dvemu));
            dvemu.resetToEmpty();
            assertEquals(0, Http.countStocks(dvemu));

            DvemuException e = assertThrows(DvemuException.class, () -> dvemu.restore("nope"));
            assertEquals(404, e.status());
            assertEquals("NotFound", e.code());

            DvemuException bad = assertThrows(DvemuException.class, () -> dvemu.seed("{\"new_stocks\":[{\"new_nope\":1}]}"));
            assertEquals(400, bad.status());
            assertTrue(bad.getMessage().startsWith("new_stocks[0]: "), bad.getMessage());
            assertEquals(0, Http.countStocks(dvemu), "a bad seed writes nothing");

            assertEquals(dvemu.webApiUrl().toString(), dvemu.info().path("apiUrl").asText());
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "stopped by close()");
    }

    @Test
    void twoProgrammaticInstancesHaveTheirOwnData() {
        try (Dvemu a = Dvemu.start(); Dvemu b = Dvemu.start()) {
            assertNotEquals(a.port(), b.port());
            assertNotEquals(a.jdbcUrl(), b.jdbcUrl());
            Http.createStock(a, "only-in-a");
            assertEquals(1, Http.countStocks(a));
            assertEquals(0, Http.countStocks(b));
        }
    }

    @Test
    void aBadFlagIsReportedWithTheServersMessage() {
        DvemuException e = assertThrows(DvemuException.class,
                () -> Dvemu.start(DvemuConfig.builder().args("--no-such-flag").build()));
        assertTrue(e.getMessage().contains("unknown option --no-such-flag"), e.getMessage());
    }
}
