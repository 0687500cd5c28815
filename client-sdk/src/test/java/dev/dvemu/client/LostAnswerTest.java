package dev.dvemu.client;

import dev.dvemu.client.support.FaultyHttpClient;
import dev.dvemu.client.support.FaultyHttpClient.Fault;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write that commits while its answer is lost looks, to the SDK, exactly like one that never arrived; the SDK
 * never applies it twice. Whatever the network does, a booking ends Confirmed with exactly one slot, the one the
 * workflow reports; the stock's counts move once per booking (available + booked stays what it was, and there are
 * as many slots as booked units); a read-modify-write is applied once.
 */
@Timeout(120)
@DvemuTest(reset = Reset.NEVER)
class LostAnswerTest {
    static Dvemu dvemu;

    private static final String STOCKS = "new_stocks";
    private static final String BOOKINGS = "new_bookings";
    private static final String SLOTS = "new_bookingslots";
    private static final int CONFIRMED = 100000001;

    private final RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofMillis(1), Duration.ofMillis(20), 5);
    private final FaultyHttpClient network = FaultyHttpClient.http11();
    /** The workflow's client, through the faulty network. */
    private final DataverseClient dv = DataverseClient.builder(dvemu.webApiUrl()).token(dvemu::token).retry(policy)
            .httpClient(network).build();
    /** Sets up and checks the rows on a sound connection. */
    private final DataverseClient check = DataverseClient.builder(dvemu.webApiUrl()).token(dvemu::token).retry(policy).build();

    @ParameterizedTest(name = "taking turns locally: {0}")
    @ValueSource(booleans = {true, false})
    void aBookingWhoseCommittedChangesetLostItsAnswerIsConfirmedOnceWithItsSlot(boolean takeTurnsLocally) {
        RowRef stock = stock("Haarlem", 10);
        UUID booking = pendingBooking(stock);
        network.failNextWrites(Fault.ANSWER_LOST);

        BookingWorkflow.Result r = new BookingWorkflow(dv, policy, takeTurnsLocally).book(stock.id().orElseThrow(), booking);

        assertEquals(List.of(), network.pendingFaults(), "the answer to the changeset was lost");
        assertEquals(1, r.slot().getAsInt());
        assertBookedOnce(stock, 10, Map.of(booking, r));
    }

    @Test
    void aBookingWhoseEveryAnswerIsLostIsStillFoundConfirmedAndReportedOnce() {
        RowRef stock = stock("Zwolle", 10);
        UUID booking = pendingBooking(stock);
        // the first send commits; every resend the client makes is answered (a conflict) but that answer is lost too
        Fault[] lost = new Fault[policy.maxAttempts()];
        Arrays.fill(lost, Fault.ANSWER_LOST);
        network.failNextWrites(lost);

        BookingWorkflow.Result r = new BookingWorkflow(dv, policy).book(stock.id().orElseThrow(), booking);

        assertEquals(List.of(), network.pendingFaults());
        assertEquals(1, r.slot().getAsInt());
        assertBookedOnce(stock, 10, Map.of(booking, r));
    }

    @Test
    void aChangesetLostBeforeItReachedTheServiceIsSentAgainAndBooksOnce() {
        RowRef stock = stock("Gouda", 10);
        UUID booking = pendingBooking(stock);
        network.failNextWrites(Fault.NOT_SENT);

        BookingWorkflow.Result r = new BookingWorkflow(dv, policy).book(stock.id().orElseThrow(), booking);

        assertEquals(List.of(), network.pendingFaults());
        assertEquals(1, r.slot().getAsInt());
        assertBookedOnce(stock, 10, Map.of(booking, r));
    }

    @Test
    void aLostChangesetWhileAnotherProcessBooksTheSameStockIsBookedOnceOnTheNextSlot() {
        RowRef stock = stock("Breda", 10);
        UUID stockId = stock.id().orElseThrow();
        UUID ours = pendingBooking(stock);
        UUID theirs = pendingBooking(stock);
        BookingWorkflow otherProcess = new BookingWorkflow(check, policy);
        List<BookingWorkflow.Result> theirResult = new ArrayList<>();
        // our changeset never arrives; meanwhile the other process books slot 1, so our resend meets its ETag
        network.beforeEachWrite(n -> {
            if (n == 1) {
                theirResult.add(otherProcess.book(stockId, theirs));
            }
        });
        network.failNextWrites(Fault.NOT_SENT);

        BookingWorkflow.Result r = new BookingWorkflow(dv, policy).book(stockId, ours);

        assertEquals(1, theirResult.get(0).slot().getAsInt());
        assertEquals(2, r.slot().getAsInt());
        assertBookedOnce(stock, 10, Map.of(ours, r, theirs, theirResult.get(0)));
    }

    @Test
    void aGroupBookedInOneChangesetWhoseAnswerIsLostIsConfirmedOnce() throws Exception {
        RowRef stock = stock("Alkmaar", 10);
        UUID stockId = stock.id().orElseThrow();
        BookingWorkflow workflow = new BookingWorkflow(dv, policy);
        UUID first = pendingBooking(stock);
        List<UUID> group = List.of(pendingBooking(stock), pendingBooking(stock), pendingBooking(stock));
        CountDownLatch firstIsWriting = new CountDownLatch(1);
        CountDownLatch groupStarted = new CountDownLatch(1);
        List<Thread> groupThreads = new CopyOnWriteArrayList<>();
        // the first booking's changeset is held back until the three others wait for the stock's turn, so they
        // are booked together in the next changeset: the one whose answer is lost
        network.beforeEachWrite(n -> {
            if (n == 1) {
                firstIsWriting.countDown();
                awaitQuietly(groupStarted);
                groupThreads.forEach(LostAnswerTest::awaitParkedOnALock);
            }
        });
        network.failNextWrites(Fault.NONE, Fault.ANSWER_LOST);

        Map<UUID, CompletableFuture<BookingWorkflow.Result>> results = new LinkedHashMap<>();
        results.put(first, bookOnNewThread(workflow, stockId, first, new ArrayList<>()));
        assertTrue(firstIsWriting.await(60, TimeUnit.SECONDS));
        for (UUID b : group) {
            results.put(b, bookOnNewThread(workflow, stockId, b, groupThreads));
        }
        groupStarted.countDown();
        Map<UUID, BookingWorkflow.Result> done = new LinkedHashMap<>();
        for (Map.Entry<UUID, CompletableFuture<BookingWorkflow.Result>> e : results.entrySet()) {
            done.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
        }

        assertEquals(List.of(), network.pendingFaults());
        assertBookedOnce(stock, 10, done);
        assertEquals(1, done.get(first).slot().getAsInt());
        assertEquals(Set.of(2, 3, 4), group.stream().map(b -> done.get(b).slot().getAsInt()).collect(Collectors.toSet()));
        assertEquals(3, network.writes(), "one changeset for the first, one for the group, and the client's resend of it");
    }

    @Test
    void aReadModifyWriteWhoseAnswerIsLostIsNotAppliedAgainButReportedAsOfUnknownOutcome() {
        RowRef stock = stock("Venlo", 10);
        AtomicInteger runs = new AtomicInteger();
        network.failNextWrites(Fault.ANSWER_LOST);

        TransientException e = assertThrows(TransientException.class, () -> Retry.onConflict(policy, () -> {
            runs.incrementAndGet();
            Row row = dv.retrieve(stock, "new_availablecount").orElseThrow();
            int left = row.integer("new_availablecount").getAsInt() - 1;
            dv.update(stock, RowValues.create().set("new_availablecount", left), row.etag());
            return left;
        }));

        assertTrue(e.outcomeUnknown());
        assertInstanceOf(VersionConflictException.class, e.getCause(), "the resend met the ETag the first send moved");
        assertEquals(1, runs.get());
        assertEquals(9, check.retrieve(stock).orElseThrow().integer("new_availablecount").getAsInt(), "applied once");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private RowRef stock(String name, int available) {
        return RowRef.of(STOCKS, check.create(STOCKS, RowValues.create().set("new_name", name + " " + UUID.randomUUID())
                .set("new_availablecount", available).set("new_bookedcount", 0)));
    }

    private UUID pendingBooking(RowRef stock) {
        return check.create(BOOKINGS, RowValues.create().set("new_name", "booking " + UUID.randomUUID()).bind("new_StockId", stock));
    }

    /** Books on a new thread, added to {@code threads} before it starts. */
    private static CompletableFuture<BookingWorkflow.Result> bookOnNewThread(BookingWorkflow workflow, UUID stockId,
                                                                            UUID booking, List<Thread> threads) {
        CompletableFuture<BookingWorkflow.Result> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(workflow.book(stockId, booking));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "booker " + booking);
        threads.add(t);
        t.start();
        return result;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the thread is parked on a lock: a booker does so only once its booking is queued for the stock
     * and someone else holds the stock's turn. (A synchronisation, not a timing: no duration is involved.)
     */
    private static void awaitParkedOnALock(Thread t) {
        while (!(t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Every booking is Confirmed and holds exactly one slot, the one its result reports; available + booked is
     * still {@code total}; the stock has as many slots as booked units, each number once.
     */
    private void assertBookedOnce(RowRef stock, int total, Map<UUID, BookingWorkflow.Result> results) {
        UUID stockId = stock.id().orElseThrow();
        List<Row> slots = check.stream(Query.from(SLOTS).select("new_slotnumber", "_new_bookingid_value")
                .filter(Filter.eq("_new_stockid_value", stockId))).collect(Collectors.toList());
        for (Map.Entry<UUID, BookingWorkflow.Result> e : results.entrySet()) {
            Row booking = check.retrieve(RowRef.of(BOOKINGS, e.getKey()), "new_status").orElseThrow();
            assertEquals(CONFIRMED, booking.integer("new_status").getAsInt(), "status of " + e.getKey());
            assertEquals(BookingWorkflow.Outcome.CONFIRMED, e.getValue().outcome());
            List<Integer> held = slots.stream().filter(s -> s.guid("_new_bookingid_value").orElseThrow().equals(e.getKey()))
                    .map(s -> s.integer("new_slotnumber").getAsInt()).toList();
            assertEquals(List.of(e.getValue().slot().getAsInt()), held, "the slots of " + e.getKey());
        }
        Row row = check.retrieve(stock).orElseThrow();
        int available = row.integer("new_availablecount").getAsInt();
        int booked = row.integer("new_bookedcount").getAsInt();
        assertEquals(total, available + booked, "available + booked");
        assertEquals(results.size(), booked, "booked units");
        assertEquals(booked, slots.size(), "one slot per booked unit");
        assertEquals(booked, slots.stream().map(s -> s.integer("new_slotnumber").getAsInt())
                .collect(Collectors.toCollection(TreeSet::new)).size(), "each slot number once");
    }
}
