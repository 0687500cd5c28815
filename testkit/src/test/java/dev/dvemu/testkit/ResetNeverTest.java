package dev.dvemu.testkit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DvemuTest(reset = Reset.NEVER, args = {"--journal-size", "1002"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetNeverTest {

    @Test
    @Order(1)
    void writes(Dvemu dvemu) {
        dvemu.reset();
        Http.createStock(dvemu, "never");
    }

    @Test
    @Order(2)
    void keepsTheRowsAndResetsOnlyWhenAsked(Dvemu dvemu) {
        assertEquals(1, Http.countStocks(dvemu));
        dvemu.reset();
        assertEquals(0, Http.countStocks(dvemu));
    }
}
