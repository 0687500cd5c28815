package dev.dvemu.testkit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

// a flag that changes nothing gives the class a configuration, so an instance, of its own
@DvemuTest(reset = Reset.EACH_CLASS, args = {"--journal-size", "1001"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetEachClassTest {

    @Test
    @Order(1)
    void writes(Dvemu dvemu) {
        assertEquals(0, Http.countStocks(dvemu), "reset when the class starts");
        Http.createStock(dvemu, "each-class");
    }

    @Test
    @Order(2)
    void seesTheRowOfTheFirstTest(Dvemu dvemu) {
        assertEquals(1, Http.countStocks(dvemu));
    }
}
