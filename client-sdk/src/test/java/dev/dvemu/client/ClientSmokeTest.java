package dev.dvemu.client;

import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DvemuTest
class ClientSmokeTest {
    @Test
    void createReadUpdateWithEtagAndBookOnce(DataverseClient dv) {
        UUID stock = dv.create("new_stocks", RowValues.create().set("new_name", "smoke").set("new_availablecount", 2).set("new_bookedcount", 0));
        Row row = dv.retrieve(RowRef.of("new_stocks", stock)).orElseThrow();
        dv.update(RowRef.of("new_stocks", stock), RowValues.create().set("new_name", "smoke 2"), row.etag());
        assertThrows(VersionConflictException.class,
                () -> dv.update(RowRef.of("new_stocks", stock), RowValues.create().set("new_name", "late"), row.etag()));
        UUID booking = dv.create("new_bookings", RowValues.create().set("new_name", "b").bind("new_StockId", RowRef.of("new_stocks", stock)));
        BookingWorkflow.Result r = new BookingWorkflow(dv, RetryPolicy.defaults()).book(stock, booking);
        assertEquals(BookingWorkflow.Outcome.CONFIRMED, r.outcome());
        Row after = dv.retrieve(RowRef.of("new_stocks", stock)).orElseThrow();
        assertEquals(1, after.integer("new_availablecount").getAsInt());
        assertEquals(1, after.integer("new_bookedcount").getAsInt());
        assertEquals(1, dv.count(Query.from("new_bookingslots").filter(Filter.eq("_new_stockid_value", stock))));
        // reset before each test, on an instance of this class's own: whole-table counts are exact
        assertEquals(1, dv.count(Query.from("new_stocks")));
    }
}
