package dev.dvemu.testkit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DvemuTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetEachTestTest {

    @BeforeAll
    static void writesBeforeAll(Dvemu dvemu) {
        Http.createStock(dvemu, "before-all");
    }

    @Test
    @Order(1)
    void startsEmptyAndWrites(Dvemu dvemu) {
        assertEquals(0, Http.countStocks(dvemu), "the default reset is before each test, after @BeforeAll");
        Http.createStock(dvemu, "each-test");
        assertEquals(1, Http.countStocks(dvemu));
    }

    @Test
    @Order(2)
    void startsEmptyAgain(Dvemu dvemu) {
        assertEquals(0, Http.countStocks(dvemu));
        Http.createStock(dvemu, "each-test");
    }
}
