package dev.dvemu.server.batch;

import dev.dvemu.server.batch.BookingClient.Booking;
import dev.dvemu.server.batch.BookingClient.Outcome;
import dev.dvemu.server.batch.BookingClient.Result;
import dev.dvemu.server.batch.BookingClient.Slot;
import dev.dvemu.server.batch.BookingClient.Stock;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The warehouse booking from the field report, over plain HTTP: warehouse "Amsterdam" holds 12 available units and
 * 5 booked ones; bookings arrive all at once and each is handled by a client that books one unit with a changeset
 * (slot row + confirmed booking + counts guarded by the stock's ETag) and retries after a random pause when its
 * changeset fails.
 */
@Timeout(60)
@DvemuTest(reset = Reset.NEVER)
class AmsterdamScenarioTest {
    static Dvemu dvemu;

    private static final int MAX_RETRIES = 200;
    private final HttpClient http = BookingClient.newHttpClient();
    private final BookingClient client = new BookingClient(http, dvemu.webApiUrl(), MAX_RETRIES);

    @Test
    void fiveBookingsSubmittedAtOnceWithTwelveAvailableAreAllConfirmed() throws Exception {
        String amsterdam = client.createStock(warehouseName(), 12, 5);

        List<Outcome> outcomes = submitAtOnce(amsterdam, "first round", 5);

        assertEquals(List.of(), unexpectedAnswers(outcomes), "no answer other than 200 or a 412 changeset");
        assertEquals(5, count(outcomes, Result.CONFIRMED), "outcomes: " + outcomes);
        Stock stock = client.stock(amsterdam);
        assertEquals(7, stock.available(), "12 available - 5 booked now");
        assertEquals(10, stock.booked(), "5 booked earlier + 5 now");

        List<Slot> slots = client.slots(amsterdam);
        assertEquals(List.of(6, 7, 8, 9, 10), slotNumbers(slots), "the five slots after the five booked earlier");
        assertEquals(ids(outcomes), slots.stream().map(Slot::bookingId).collect(Collectors.toSet()),
                "each booking took its own slot");

        Map<String, Integer> status = statusById(client.bookings(amsterdam));
        assertEquals(5, status.size());
        for (Outcome o : outcomes) {
            assertEquals(BookingClient.CONFIRMED, status.get(o.bookingId()), "booking " + o.bookingId() + " is Confirmed");
        }
    }

    /**
     * The second round of the report: after the first five, 7 units are available; 5 of them have since left the
     * warehouse another way (the stock is set to 2 available, booked stays 10), so only 2 are left when five more
     * bookings arrive at once.
     */
    @Test
    void fiveBookingsSubmittedAtOnceWithOnlyTwoLeftConfirmTwoAndTurnDownThree() throws Exception {
        String amsterdam = client.createStock(warehouseName(), 12, 5);
        List<Outcome> firstRound = submitAtOnce(amsterdam, "first round", 5);
        assertEquals(5, count(firstRound, Result.CONFIRMED), "precondition: the first round is booked: " + firstRound);
        assertEquals(new Stock(7, 10, null), withoutEtag(client.stock(amsterdam)), "precondition: 7 available, 10 booked");
        client.setCounts(amsterdam, 2, 10);

        List<Outcome> secondRound = submitAtOnce(amsterdam, "second round", 5);

        assertEquals(List.of(), unexpectedAnswers(secondRound), "no answer other than 200 or a 412 changeset");
        List<Outcome> confirmed = secondRound.stream().filter(o -> o.result() == Result.CONFIRMED).toList();
        List<Outcome> turnedDown = secondRound.stream().filter(o -> o.result() == Result.NO_STOCK_LEFT).toList();
        assertEquals(2, confirmed.size(), "outcomes: " + secondRound);
        assertEquals(3, turnedDown.size(), "outcomes: " + secondRound);

        Stock stock = client.stock(amsterdam);
        assertEquals(0, stock.available(), "nothing left");
        assertEquals(12, stock.booked(), "10 booked before + 2 now");

        List<Slot> slots = client.slots(amsterdam);
        assertEquals(List.of(6, 7, 8, 9, 10, 11, 12), slotNumbers(slots), "one slot per confirmed booking, none twice");
        Map<String, List<Integer>> slotsByBooking = slots.stream().collect(Collectors.groupingBy(Slot::bookingId,
                Collectors.mapping(Slot::number, Collectors.toList())));
        assertEquals(Set.of(11, 12), confirmed.stream()
                        .map(o -> onlySlot(slotsByBooking, o.bookingId())).collect(Collectors.toSet()),
                "the two confirmed now took slots 11 and 12, one each");
        for (Outcome o : firstRound) {
            onlySlot(slotsByBooking, o.bookingId());
        }
        for (Outcome o : turnedDown) {
            assertEquals(null, slotsByBooking.get(o.bookingId()), "a booking turned down holds no slot");
        }

        Map<String, Integer> status = statusById(client.bookings(amsterdam));
        assertEquals(10, status.size());
        assertEquals(7, status.values().stream().filter(s -> s == BookingClient.CONFIRMED).count(), "status: " + status);
        assertEquals(3, status.values().stream().filter(s -> s == BookingClient.NO_STOCK_LEFT).count(), "status: " + status);
        for (Outcome o : confirmed) {
            assertEquals(BookingClient.CONFIRMED, status.get(o.bookingId()));
        }
        for (Outcome o : turnedDown) {
            assertEquals(BookingClient.NO_STOCK_LEFT, status.get(o.bookingId()), "No stock left");
        }
    }

    // ---------- helpers ----------

    /** {@code n} clients, released together, each creating one booking and booking it. */
    private List<Outcome> submitAtOnce(String stockId, String round, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                String name = "Amsterdam " + round + " order " + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return client.book(stockId, client.createBooking(stockId, name));
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String warehouseName() {
        return "Amsterdam " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long count(List<Outcome> outcomes, Result result) {
        return outcomes.stream().filter(o -> o.result() == result).count();
    }

    private static List<String> unexpectedAnswers(List<Outcome> outcomes) {
        return outcomes.stream().flatMap(o -> o.unexpected().stream()).toList();
    }

    private static Set<String> ids(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::bookingId).collect(Collectors.toSet());
    }

    private static List<Integer> slotNumbers(List<Slot> slots) {
        return slots.stream().map(Slot::number).sorted().toList();
    }

    private static Map<String, Integer> statusById(List<Booking> bookings) {
        return bookings.stream().collect(Collectors.toMap(Booking::id, Booking::status));
    }

    private static int onlySlot(Map<String, List<Integer>> slotsByBooking, String bookingId) {
        List<Integer> taken = slotsByBooking.getOrDefault(bookingId, List.of());
        assertEquals(1, taken.size(), "booking " + bookingId + " holds exactly one slot: " + taken);
        return taken.get(0);
    }

    private static Stock withoutEtag(Stock s) {
        return new Stock(s.available(), s.booked(), null);
    }
}
