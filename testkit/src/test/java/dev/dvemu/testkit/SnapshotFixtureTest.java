package dev.dvemu.testkit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DvemuTest(snapshot = "base", args = {"--journal-size", "1003"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotFixtureTest {

    @BeforeAll
    static void makeTheSnapshot(Dvemu dvemu) {
        dvemu.deleteSnapshot("base", true);
        DvemuException e = assertThrows(DvemuException.class, dvemu::reset);
        assertTrue(e.getMessage().contains("'base' does not exist"), e.getMessage());
        dvemu.resetToEmpty();
        for (int i = 0; i < 3; i++) {
            Http.createStock(dvemu, "base-" + i);
        }
        dvemu.snapshot("base");
    }

    @Test
    @Order(1)
    void startsFromTheSnapshot(Dvemu dvemu) {
        assertEquals(3, Http.countStocks(dvemu));
        Http.createStock(dvemu, "extra");
    }

    @Test
    @Order(2)
    void isBackToTheSnapshot(Dvemu dvemu) {
        assertEquals(3, Http.countStocks(dvemu));
    }
}
