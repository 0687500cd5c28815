package dev.dvemu.testkit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DvemuTest(seed = "src/test/dvemu/seed.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedFixtureTest {

    @Test
    @Order(1)
    void seesTheSeedAndAddsARow(Dvemu dvemu) {
        assertEquals(2, Http.countStocks(dvemu));
        Http.createStock(dvemu, "extra");
        assertEquals(3, Http.countStocks(dvemu));
    }

    @Test
    @Order(2)
    void seesOnlyTheSeedAgain(Dvemu dvemu) {
        assertEquals(2, Http.countStocks(dvemu));
        assertEquals(1, Http.get(dvemu, "new_stocks?$filter=new_name%20eq%20'seed-north'").json().path("value").size());
    }
}
