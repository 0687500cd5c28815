package dev.dvemu.client;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The field scenario: the Amsterdam warehouse has 12 units available and 5 booked. Five bookings arrive at once
 * and all are confirmed; later only 2 units are left and five more arrive at once: two are confirmed, three get
 * "No stock left". No unit is booked twice and no booking is lost.
 */
@Timeout(120)
@DvemuTest(reset = Reset.NEVER)
class BookingWorkflowTest {
    static Dvemu dvemu;

    private static final String STOCKS = "new_stocks";
    private static final String BOOKINGS = "new_bookings";
    private static final String SLOTS = "new_bookingslots";
    private static final int CONFIRMED = 100000001;
    private static final int NO_STOCK_LEFT = 100000002;

    private final RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofMillis(10), Duration.ofSeconds(1), 100);
    private final DataverseClient dv = DataverseClient.builder(dvemu.webApiUrl()).token(dvemu::token).retry(policy).build();
    private final BookingWorkflow workflow = new BookingWorkflow(dv, policy);

    @Test
    void fiveAtOnceAreConfirmedThenOnlyTwoOfFiveMoreFindStock() throws Exception {
        RowRef stock = RowRef.of(STOCKS, dv.create(STOCKS, RowValues.create().set("new_name", "Amsterdam " + UUID.randomUUID())
                .set("new_availablecount", 12).set("new_bookedcount", 5)));

        Map<UUID, BookingWorkflow.Result> first = bookAtOnce(stock, 5);

        assertEquals(5, outcomes(first, BookingWorkflow.Outcome.CONFIRMED));
        assertCounts(stock, 7, 10);
        assertEquals(Set.of(6, 7, 8, 9, 10), slotNumbers(first));

        // 5 units left the warehouse another way: 2 remain available, the booked count stays
        dv.update(stock, RowValues.create().set("new_availablecount", 2).set("new_bookedcount", 10));

        Map<UUID, BookingWorkflow.Result> second = bookAtOnce(stock, 5);

        assertEquals(2, outcomes(second, BookingWorkflow.Outcome.CONFIRMED));
        assertEquals(3, outcomes(second, BookingWorkflow.Outcome.NO_STOCK_LEFT));
        assertCounts(stock, 0, 12);
        assertEquals(Set.of(11, 12), slotNumbers(second));

        Map<UUID, BookingWorkflow.Result> all = new HashMap<>(first);
        all.putAll(second);
        all.values().forEach(r -> assertTrue(r.attempts() >= 1, () -> "attempts of " + r));
        assertStoredBookingsMatch(stock, all);
    }

    @Test
    void theStockHandedToTheNextBookerIsCheckedByItsETag() {
        RowRef stock = RowRef.of(STOCKS, dv.create(STOCKS, RowValues.create().set("new_name", "Utrecht " + UUID.randomUUID())
                .set("new_availablecount", 10).set("new_bookedcount", 0)));
        UUID stockId = stock.id().orElseThrow();
        BookingWorkflow thisProcess = new BookingWorkflow(dv, policy);
        BookingWorkflow otherProcess = new BookingWorkflow(dv, policy);

        assertEquals(1, thisProcess.book(stockId, pendingBooking(stock)).slot().getAsInt());
        assertEquals(2, thisProcess.book(stockId, pendingBooking(stock)).slot().getAsInt());
        BookingWorkflow.Result other = otherProcess.book(stockId, pendingBooking(stock));
        assertEquals(3, other.slot().getAsInt());
        assertEquals(1, other.attempts());
        // this process still holds the stock as it left it at slot 2: the ETag refuses it, the retry reads afresh
        BookingWorkflow.Result stale = thisProcess.book(stockId, pendingBooking(stock));
        assertEquals(2, stale.attempts(), "one attempt on the handed-on stock, one after reading it");
        assertEquals(4, stale.slot().getAsInt());
        assertCounts(stock, 6, 4);
    }

    @Test
    void noStockLeftIsOnlyConcludedFromAFreshRead() {
        RowRef stock = RowRef.of(STOCKS, dv.create(STOCKS, RowValues.create().set("new_name", "Delft " + UUID.randomUUID())
                .set("new_availablecount", 1).set("new_bookedcount", 0)));
        UUID stockId = stock.id().orElseThrow();
        assertEquals(BookingWorkflow.Outcome.CONFIRMED, workflow.book(stockId, pendingBooking(stock)).outcome());
        // the workflow last saw 0 available; the warehouse is restocked another way
        dv.update(stock, RowValues.create().set("new_availablecount", 3));

        BookingWorkflow.Result r = workflow.book(stockId, pendingBooking(stock));
        assertEquals(BookingWorkflow.Outcome.CONFIRMED, r.outcome());
        assertEquals(1, r.attempts());
        assertEquals(2, r.slot().getAsInt());
        assertCounts(stock, 2, 2);
    }

    @Test
    void aBookingThatDoesNotExistFailsAloneWhileTheOthersAreBooked() throws Exception {
        RowRef stock = RowRef.of(STOCKS, dv.create(STOCKS, RowValues.create().set("new_name", "Leiden " + UUID.randomUUID())
                .set("new_availablecount", 30).set("new_bookedcount", 0)));
        UUID missing = UUID.randomUUID();
        List<UUID> bookings = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            bookings.add(pendingBooking(stock));
        }
        bookings.add(7, missing);
        ExecutorService pool = Executors.newFixedThreadPool(bookings.size());
        try {
            Map<UUID, Future<BookingWorkflow.Result>> futures = startAtOnce(pool, stock, bookings);
            Set<Integer> slots = new TreeSet<>();
            for (UUID b : bookings) {
                if (b.equals(missing)) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> futures.get(b).get(60, TimeUnit.SECONDS));
                    assertInstanceOf(NotFoundException.class, e.getCause());
                } else {
                    BookingWorkflow.Result r = futures.get(b).get(60, TimeUnit.SECONDS);
                    assertEquals(BookingWorkflow.Outcome.CONFIRMED, r.outcome());
                    slots.add(r.slot().getAsInt());
                }
            }
            assertEquals(IntStream.rangeClosed(1, 19).boxed().collect(Collectors.toSet()), slots, "a different slot each");
            assertCounts(stock, 11, 19);
        } finally {
            pool.shutdownNow();
        }
    }

    private UUID pendingBooking(RowRef stock) {
        return dv.create(BOOKINGS, RowValues.create().set("new_name", "booking " + UUID.randomUUID()).bind("new_StockId", stock));
    }

    /** Creates {@code n} pending bookings of the stock, then books them on {@code n} threads released together. */
    private Map<UUID, BookingWorkflow.Result> bookAtOnce(RowRef stock, int n) throws Exception {
        List<UUID> bookings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bookings.add(pendingBooking(stock));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Map<UUID, BookingWorkflow.Result> results = new HashMap<>();
            for (Map.Entry<UUID, Future<BookingWorkflow.Result>> f : startAtOnce(pool, stock, bookings).entrySet()) {
                results.put(f.getKey(), f.getValue().get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Books each booking on its own thread of {@code pool}, all released at the same moment. */
    private Map<UUID, Future<BookingWorkflow.Result>> startAtOnce(ExecutorService pool, RowRef stock, List<UUID> bookings) {
        CountDownLatch start = new CountDownLatch(1);
        Map<UUID, Future<BookingWorkflow.Result>> futures = new HashMap<>();
        for (UUID booking : bookings) {
            futures.put(booking, pool.submit(() -> {
                start.await();
                return workflow.book(stock.id().orElseThrow(), booking);
            }));
        }
        start.countDown();
        return futures;
    }

    private static long outcomes(Map<UUID, BookingWorkflow.Result> results, BookingWorkflow.Outcome outcome) {
        return results.values().stream().filter(r -> r.outcome() == outcome).count();
    }

    private static Set<Integer> slotNumbers(Map<UUID, BookingWorkflow.Result> results) {
        return results.values().stream().filter(r -> r.slot().isPresent()).map(r -> r.slot().getAsInt())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void assertCounts(RowRef stock, int available, int booked) {
        Row row = dv.retrieve(stock).orElseThrow();
        assertEquals(available, row.integer("new_availablecount").getAsInt(), "available");
        assertEquals(booked, row.integer("new_bookedcount").getAsInt(), "booked");
    }

    /** Every booking has the status of its result; each confirmed one holds exactly the slot it was told of. */
    private void assertStoredBookingsMatch(RowRef stock, Map<UUID, BookingWorkflow.Result> results) {
        UUID stockId = stock.id().orElseThrow();
        List<Row> slots = dv.stream(Query.from(SLOTS).select("new_slotnumber", "_new_bookingid_value")
                .filter(Filter.eq("_new_stockid_value", stockId))).collect(Collectors.toList());
        List<Integer> numbers = slots.stream().map(s -> s.integer("new_slotnumber").getAsInt()).sorted().collect(Collectors.toList());
        assertEquals(List.of(6, 7, 8, 9, 10, 11, 12), numbers, "each slot once");

        Map<UUID, List<Integer>> slotsByBooking = slots.stream().collect(Collectors.groupingBy(
                s -> s.guid("_new_bookingid_value").orElseThrow(),
                Collectors.mapping(s -> s.integer("new_slotnumber").getAsInt(), Collectors.toList())));
        for (Map.Entry<UUID, BookingWorkflow.Result> e : results.entrySet()) {
            Row booking = dv.retrieve(RowRef.of(BOOKINGS, e.getKey()), "new_status").orElseThrow();
            BookingWorkflow.Result r = e.getValue();
            if (r.outcome() == BookingWorkflow.Outcome.CONFIRMED) {
                assertEquals(CONFIRMED, booking.integer("new_status").getAsInt());
                assertEquals(List.of(r.slot().getAsInt()), slotsByBooking.get(e.getKey()), "exactly one slot, the one reported");
            } else {
                assertEquals(NO_STOCK_LEFT, booking.integer("new_status").getAsInt());
                assertEquals(null, slotsByBooking.get(e.getKey()), "no slot for a booking without stock");
            }
        }
        assertEquals(7, slotsByBooking.size());
        assertEquals(10, dv.count(Query.from(BOOKINGS).filter(Filter.eq("_new_stockid_value", stockId))));
    }
}
