package dev.dvemu.testkit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A metadata directory of the project's own ({@code src/test/dvemu}: one table, new_gadget). */
class UserTablesTest {

    @Nested
    @DvemuTest(metadata = "src/test/dvemu")
    class Added {
        @Test
        void servesTheUserTableAndTheBuiltInOnes(Dvemu dvemu) {
            assertEquals(204, Http.send(dvemu, "POST", "new_gadgets", "{\"new_name\":\"g\",\"new_weight\":3}").status());
            assertEquals(1, Http.get(dvemu, "new_gadgets").json().path("value").size());
            assertEquals(200, Http.get(dvemu, "new_stocks").status());
        }
    }

    @Nested
    @DvemuTest(metadata = "src/test/dvemu", tables = Tables.REPLACE)
    class Replaced {
        @Test
        void servesOnlyTheUserTable(Dvemu dvemu) {
            assertEquals(204, Http.send(dvemu, "POST", "new_gadgets", "{\"new_name\":\"g\",\"new_weight\":3}").status());
            assertEquals(1, Http.get(dvemu, "new_gadgets").json().path("value").size());
            assertEquals(404, Http.get(dvemu, "new_stocks").status());
        }
    }
}
