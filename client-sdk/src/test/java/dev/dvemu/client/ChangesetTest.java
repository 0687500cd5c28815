package dev.dvemu.client;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changesets commit all of their operations or none, and a batch runs its changesets and reads in order, each
 * changeset on its own. Every test works on its own stock and uniquely named bookings.
 */
@Timeout(60)
@DvemuTest(reset = Reset.NEVER)
class ChangesetTest {
    static Dvemu dvemu;

    private static final String STOCKS = "new_stocks";
    private static final String BOOKINGS = "new_bookings";
    private static final String SLOTS = "new_bookingslots";
    private static final int CONFIRMED = 100000001;
    private static final String VERSION_MISMATCH = "0x80060882";

    private final DataverseClient dv = dvemu.client();

    private RowRef newStock(int available, int booked) {
        return RowRef.of(STOCKS, dv.create(STOCKS, RowValues.create().set("new_name", "Amsterdam " + UUID.randomUUID())
                .set("new_availablecount", available).set("new_bookedcount", booked)));
    }

    private Row read(RowRef ref) {
        return dv.retrieve(ref).orElseThrow(() -> new AssertionError("no row " + ref));
    }

    private static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID();
    }

    private long bookingsNamed(String name) {
        return dv.count(Query.from(BOOKINGS).filter(Filter.eq("new_name", name)));
    }

    private long slotsOf(RowRef stock) {
        return dv.count(Query.from(SLOTS).filter(Filter.eq("_new_stockid_value", stock.id().orElseThrow())));
    }

    private static RowRef slot(RowRef stock, int number) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("_new_stockid_value", stock.id().orElseThrow());
        key.put("new_slotnumber", number);
        return RowRef.byKey(SLOTS, key);
    }

    /** Books slot {@code booked + 1} for a new booking named {@code name}, against the stock at {@code etag}. */
    private static Changeset booking(String name, RowRef stock, int available, int booked, ETag etag) {
        return Changeset.create()
                .create(BOOKINGS, RowValues.create().set("new_name", name).bind("new_StockId", stock)).as("booking")
                .create(SLOTS, RowValues.create().set("new_name", "slot " + (booked + 1)).set("new_slotnumber", booked + 1)
                        .bind("new_StockId", stock).bind("new_BookingId", RowRef.operation("booking")))
                .update(RowRef.operation("booking"), RowValues.create().set("new_status", CONFIRMED))
                .update(stock, RowValues.create().set("new_availablecount", available - 1).set("new_bookedcount", booked + 1), etag);
    }

    @Test
    void aChangesetCommitsAllOfItsOperations() {
        RowRef stock = newStock(12, 5);
        String name = unique("booking");

        ChangesetResult r = dv.execute(booking(name, stock, 12, 5, read(stock).etag()));

        assertEquals(4, r.size());
        UUID bookingId = r.get("booking").id().orElseThrow();
        assertEquals(Optional.of(bookingId), r.get(0).id());
        assertTrue(r.get(1).id().isPresent(), "the slot's id");

        Row booking = read(RowRef.of(BOOKINGS, bookingId));
        assertEquals(Optional.of(name), booking.string("new_name"));
        assertEquals(CONFIRMED, booking.integer("new_status").getAsInt());
        assertEquals(Optional.of(stock.id().orElseThrow()), booking.guid("_new_stockid_value"));

        Row slot = read(slot(stock, 6));
        assertEquals(r.get(1).id(), slot.id("new_bookingslotid"));
        assertEquals(Optional.of(bookingId), slot.guid("_new_bookingid_value"));
        assertEquals(1, slotsOf(stock));

        Row after = read(stock);
        assertEquals(11, after.integer("new_availablecount").getAsInt());
        assertEquals(6, after.integer("new_bookedcount").getAsInt());
    }

    @Test
    void aChangesetWhoseLastOperationMeetsAStaleEtagFailsThereAndWritesNothing() {
        RowRef stock = newStock(12, 5);
        ETag stale = read(stock).etag();
        dv.update(stock, RowValues.create().set("new_availablecount", 11).set("new_bookedcount", 6)); // another booker
        String name = unique("stale booking");

        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> dv.execute(booking(name, stock, 12, 5, stale)));

        assertEquals(3, e.operationIndex().orElseThrow(), "the stock update is the fourth operation");
        assertEquals(412, e.status());
        assertEquals(VERSION_MISMATCH, e.code());
        assertEquals(0, bookingsNamed(name));
        assertEquals(0, slotsOf(stock));
        Row after = read(stock);
        assertEquals(11, after.integer("new_availablecount").getAsInt());
        assertEquals(6, after.integer("new_bookedcount").getAsInt());
    }

    @Test
    void aChangesetMayNotReferToAnOperationNotNamedBefore() {
        assertThrows(IllegalArgumentException.class, () -> Changeset.create()
                .update(RowRef.operation("booking"), RowValues.create().set("new_status", CONFIRMED)));
    }

    @Test
    void aBatchStopsAtTheFirstFailedChangesetWithoutContinueOnError() {
        RowRef stock = newStock(12, 5);
        ETag stale = read(stock).etag();
        dv.update(stock, RowValues.create().set("new_availablecount", 11).set("new_bookedcount", 6)); // another booker
        ETag current = read(stock).etag();
        String lost = unique("lost");
        String won = unique("won");

        BatchResult r = dv.execute(Batch.create()
                .changeset(booking(lost, stock, 12, 5, stale))
                .changeset(booking(won, stock, 11, 6, current))
                .get(stock, "new_availablecount", "new_bookedcount"));

        assertEquals(1, r.parts().size(), "nothing after the failed changeset ran");
        BatchResult.Part failed = r.get(0);
        assertTrue(failed.changeset());
        assertFalse(failed.succeeded());
        assertEquals(List.of(), failed.operations());
        assertInstanceOf(VersionConflictException.class, failed.failure().orElseThrow());
        assertEquals(3, failed.failure().orElseThrow().operationIndex().orElseThrow());
        assertFalse(r.allSucceeded());

        assertEquals(0, bookingsNamed(lost));
        assertEquals(0, bookingsNamed(won));
        assertEquals(0, slotsOf(stock));
        Row after = read(stock);
        assertEquals(11, after.integer("new_availablecount").getAsInt());
        assertEquals(6, after.integer("new_bookedcount").getAsInt());
        assertEquals(current, after.etag());
    }

    @Test
    void aBatchWithContinueOnErrorRollsBackTheFailedChangesetAndCommitsTheOther() {
        RowRef stock = newStock(12, 5);
        ETag stale = read(stock).etag();
        dv.update(stock, RowValues.create().set("new_availablecount", 11).set("new_bookedcount", 6)); // another booker
        ETag current = read(stock).etag();
        String lost = unique("lost");
        String won = unique("won");

        BatchResult r = dv.execute(Batch.create()
                .changeset(booking(lost, stock, 12, 5, stale))
                .changeset(booking(won, stock, 11, 6, current))
                .get(stock, "new_availablecount", "new_bookedcount")
                .continueOnError());

        assertEquals(3, r.parts().size());
        assertFalse(r.allSucceeded());

        BatchResult.Part failed = r.get(0);
        assertTrue(failed.changeset());
        assertEquals(List.of(), failed.operations());
        DataverseException failure = failed.failure().orElseThrow();
        assertInstanceOf(VersionConflictException.class, failure);
        assertEquals(3, failure.operationIndex().orElseThrow());
        assertEquals(VERSION_MISMATCH, failure.code());

        BatchResult.Part committed = r.get(1);
        assertTrue(committed.changeset());
        assertTrue(committed.succeeded());
        assertEquals(4, committed.operations().size());
        UUID wonId = committed.operations().get(0).id().orElseThrow();

        BatchResult.Part get = r.get(2);
        assertFalse(get.changeset());
        assertTrue(get.succeeded());
        assertEquals(1, get.operations().size());
        Row seen = get.operations().get(0).row().orElseThrow();
        assertEquals(10, seen.integer("new_availablecount").getAsInt(), "the read ran after the committed changeset");
        assertEquals(7, seen.integer("new_bookedcount").getAsInt());

        assertEquals(0, bookingsNamed(lost));
        assertEquals(1, bookingsNamed(won));
        assertEquals(CONFIRMED, read(RowRef.of(BOOKINGS, wonId)).integer("new_status").getAsInt());
        assertEquals(1, slotsOf(stock));
        assertEquals(Optional.of(wonId), read(slot(stock, 7)).guid("_new_bookingid_value"));
        Row after = read(stock);
        assertEquals(10, after.integer("new_availablecount").getAsInt());
        assertEquals(7, after.integer("new_bookedcount").getAsInt());
    }

    @Test
    void returningGivesTheRowAsStoredWithItsNewETagAndOnlyTheNamedColumns() {
        RowRef stock = newStock(5, 0);
        ETag before = read(stock).etag();
        ChangesetResult r = dv.execute(Changeset.create()
                .update(stock, RowValues.create().set("new_availablecount", 4).set("new_bookedcount", 1), before)
                .returning("new_availablecount")
                .create(BOOKINGS, RowValues.create().set("new_name", unique("returned")).bind("new_StockId", stock))
                .returning());

        Row stored = r.get(0).row().orElseThrow();
        assertEquals(200, r.get(0).status());
        assertEquals(4, stored.integer("new_availablecount").getAsInt());
        assertFalse(stored.json().has("new_bookedcount"), "only the named column and the id");
        assertEquals(read(stock).etag(), stored.etag(), "the ETag the row has now");
        assertFalse(before.equals(stored.etag()));
        // the returned ETag guards the next write like one read from the row
        dv.execute(Changeset.create().update(stock, RowValues.create().set("new_availablecount", 3), stored.etag()));
        assertEquals(3, read(stock).integer("new_availablecount").getAsInt());

        assertEquals(201, r.get(1).status());
        assertEquals(stock.id().orElseThrow(), r.get(1).row().orElseThrow().guid("_new_stockid_value").orElseThrow());
    }

    @Test
    void returningNeedsAWriteThatHasARowAndPlainColumnNames() {
        RowRef stock = newStock(1, 0);
        assertThrows(IllegalStateException.class, () -> Changeset.create().returning());
        assertThrows(IllegalStateException.class, () -> Changeset.create().delete(stock).returning());
        assertThrows(IllegalArgumentException.class, () -> Changeset.create()
                .update(stock, RowValues.create().set("new_availablecount", 0)).returning("new_name&$expand=x"));
    }
}
