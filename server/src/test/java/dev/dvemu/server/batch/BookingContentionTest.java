package dev.dvemu.server.batch;

import dev.dvemu.server.batch.BookingClient.Booking;
import dev.dvemu.server.batch.BookingClient.Outcome;
import dev.dvemu.server.batch.BookingClient.Result;
import dev.dvemu.server.batch.BookingClient.Slot;
import dev.dvemu.server.batch.BookingClient.Stock;
import dev.dvemu.server.support.SameDatabase;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 32 clients make 20 bookings each, all against one stock of 200 units, with the changeset pattern of
 * {@link BookingClient}, while someone keeps editing the warehouse record (so some changesets fail on their last
 * operation, after their slot and booking were written) and a reader keeps reading. A changeset is all-or-nothing,
 * so the reader never sees a half-applied booking and the end state adds up exactly: 200 confirmed bookings holding
 * slots 1..200, every other booking turned down, nothing lost and nothing sold twice. The same holds when the
 * clients are split across two servers on one database.
 */
@DvemuTest(reset = Reset.NEVER)
class BookingContentionTest {
    static Dvemu dvemu;

    private static final int CLIENTS = 32;
    private static final int BOOKINGS_PER_CLIENT = 20;
    private static final int UNITS = 200;
    private static final int MAX_RETRIES = 200;
    private static final int MAX_READS = 100_000;
    private static final int MAX_RENAMES = 20_000;
    private static final int WRITERS_BUDGET_SECONDS = 90;

    private final HttpClient http = BookingClient.newHttpClient();

    @Test
    @Timeout(120)
    void concurrentChangesetsOnOneServerNeverOversellAndNeverShowHalfABooking() throws Exception {
        contend("one server", List.of(dvemu.webApiUrl()));
    }

    @Test
    @Timeout(120)
    void concurrentChangesetsOnTwoServersSharingTheDatabaseNeverOversellAndNeverShowHalfABooking() throws Exception {
        try (Dvemu second = SameDatabase.start(dvemu, "booking-contention")) {
            contend("two servers", List.of(dvemu.webApiUrl(), second.webApiUrl()));
        }
    }

    /** What the reader saw while the clients were booking. */
    private record Observations(int reads, List<String> violations) {
    }

    private void contend(String label, List<URI> servers) throws Exception {
        BookingClient setup = client(servers.get(0));
        String stockId = setup.createStock("contended " + UUID.randomUUID().toString().substring(0, 8), UNITS, 0);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writersDone = new AtomicBoolean();
        List<Future<List<Outcome>>> writers = new ArrayList<>();
        long started;
        List<Outcome> outcomes = new ArrayList<>();
        Observations seen;
        int renames;
        try {
            for (int c = 0; c < CLIENTS; c++) {
                BookingClient client = client(servers.get(c % servers.size()));
                String clientName = "client " + c;
                writers.add(pool.submit(() -> {
                    go.await();
                    List<Outcome> mine = new ArrayList<>();
                    for (int b = 0; b < BOOKINGS_PER_CLIENT; b++) {
                        mine.add(client.book(stockId, client.createBooking(stockId, clientName + " booking " + b)));
                    }
                    return mine;
                }));
            }
            List<BookingClient> readers = servers.stream().map(this::client).toList();
            Future<Observations> reader = pool.submit(() -> {
                go.await();
                return watch(stockId, readers, writersDone);
            });
            Future<Integer> editor = pool.submit(() -> {
                go.await();
                return keepRenaming(stockId, client(servers.get(servers.size() - 1)), writersDone);
            });
            started = System.nanoTime();
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WRITERS_BUDGET_SECONDS);
            try {
                for (Future<List<Outcome>> w : writers) {
                    outcomes.addAll(w.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
            } catch (TimeoutException e) {
                fail("the clients did not finish within " + WRITERS_BUDGET_SECONDS + " s; stock now "
                        + setup.stock(stockId) + ", " + setup.slots(stockId).size() + " slot rows");
            } finally {
                writersDone.set(true);
            }
            seen = reader.get(10, TimeUnit.SECONDS);
            renames = editor.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        int attempts = outcomes.stream().mapToInt(Outcome::attempts).sum();
        System.out.println("BookingContentionTest[" + label + "]: " + outcomes.size() + " bookings, "
                + count(outcomes, Result.CONFIRMED) + " confirmed, " + count(outcomes, Result.NO_STOCK_LEFT)
                + " no stock left, " + attempts + " attempts ("
                + outcomes.stream().mapToInt(Outcome::staleEtags).sum() + " stale ETag, "
                + outcomes.stream().mapToInt(Outcome::slotsTaken).sum() + " slot taken), "
                + renames + " renames of the stock, " + seen.reads() + " reader rounds, " + elapsedMs + " ms");

        // while it ran
        assertEquals(List.of(), seen.violations(), "the reader never saw half a booking");
        assertEquals(List.of(), outcomes.stream().flatMap(o -> o.unexpected().stream()).toList(),
                "every answer was a 200 batch or a 400 batch with one 412 for the slot or the stock");

        // how each client's bookings ended
        assertEquals(CLIENTS * BOOKINGS_PER_CLIENT, outcomes.size());
        assertEquals(0, count(outcomes, Result.GAVE_UP), "no client ran out of retries");
        assertEquals(UNITS, count(outcomes, Result.CONFIRMED), "exactly the units in stock were booked");
        assertEquals(CLIENTS * BOOKINGS_PER_CLIENT - UNITS, count(outcomes, Result.NO_STOCK_LEFT));

        // what the database holds
        BookingClient check = client(servers.get(0));
        Stock stock = check.stock(stockId);
        List<Slot> slots = check.slots(stockId);
        List<Booking> bookings = check.bookings(stockId);
        Map<Integer, Long> statusCounts = bookings.stream()
                .collect(Collectors.groupingBy(Booking::status, Collectors.counting()));
        long confirmed = statusCounts.getOrDefault(BookingClient.CONFIRMED, 0L);

        assertEquals(0, stock.available(), "sold out");
        assertEquals(UNITS, stock.booked());
        assertEquals(UNITS, stock.available() + confirmed, "available + confirmed bookings == units");
        assertEquals(stock.booked(), slots.size(), "one slot row per booked unit");
        assertEquals(confirmed, slots.size(), "one slot row per confirmed booking");
        assertEquals(range(1, UNITS), slots.stream().map(Slot::number).sorted().toList(),
                "slots 1..200, none used twice");

        assertEquals(CLIENTS * BOOKINGS_PER_CLIENT, bookings.size());
        assertEquals(Map.of(BookingClient.CONFIRMED, (long) UNITS,
                        BookingClient.NO_STOCK_LEFT, (long) (CLIENTS * BOOKINGS_PER_CLIENT - UNITS)), statusCounts,
                "every booking is Confirmed or No stock left, none is left Pending");

        Map<String, Long> slotsPerBooking = slots.stream()
                .collect(Collectors.groupingBy(Slot::bookingId, Collectors.counting()));
        Set<String> confirmedIds = bookings.stream().filter(b -> b.status() == BookingClient.CONFIRMED)
                .map(Booking::id).collect(Collectors.toSet());
        assertEquals(confirmedIds, slotsPerBooking.keySet(), "slots are held by the confirmed bookings, and only by them");
        assertEquals(Set.of(1L), new HashSet<>(slotsPerBooking.values()), "every confirmed booking holds exactly one slot");
        Map<String, Result> clientSaw = outcomes.stream()
                .collect(Collectors.toMap(Outcome::bookingId, Outcome::result));
        Map<String, Result> databaseHolds = bookings.stream().collect(Collectors.toMap(Booking::id,
                b -> b.status() == BookingClient.CONFIRMED ? Result.CONFIRMED : Result.NO_STOCK_LEFT));
        assertEquals(clientSaw, databaseHolds, "each client was told what the database holds");
    }

    /**
     * Reads while the clients write, until they are done (or {@link #MAX_READS}). Every read of the stock row must
     * show a whole number of bookings: available + booked == units, neither negative, and booked never going
     * back. Between two stock reads, the count of slot rows read in between must lie between the two booked
     * counts, and so must the count of confirmed bookings (each GET is its own snapshot; a changeset commits its
     * slot, its booking and its stock together, and committed counts only grow, so this is what separate reads
     * can prove about the other tables).
     */
    private Observations watch(String stockId, List<BookingClient> readers, AtomicBoolean writersDone) {
        List<String> violations = new ArrayList<>();
        int reads = 0;
        int lastBooked = 0;
        for (int i = 0; i < MAX_READS && !writersDone.get(); i++) {
            BookingClient reader = readers.get(i % readers.size());
            Stock before = reader.stock(stockId);
            int slotCount = i % 4 == 0 ? reader.slots(stockId).size() : -1;
            int confirmedCount = i % 4 == 2 ? (int) reader.bookings(stockId).stream()
                    .filter(b -> b.status() == BookingClient.CONFIRMED).count() : -1;
            Stock after = reader.stock(stockId);
            reads++;
            for (Stock s : List.of(before, after)) {
                if (s.available() + s.booked() != UNITS || s.available() < 0 || s.booked() < lastBooked) {
                    violations.add("read " + i + ": available " + s.available() + ", booked " + s.booked()
                            + " (booked before: " + lastBooked + ")");
                }
                lastBooked = Math.max(lastBooked, s.booked());
            }
            if (slotCount >= 0 && (slotCount < before.booked() || slotCount > after.booked())) {
                violations.add("read " + i + ": " + slotCount + " slot rows, booked went " + before.booked()
                        + " -> " + after.booked());
            }
            if (confirmedCount >= 0 && (confirmedCount < before.booked() || confirmedCount > after.booked())) {
                violations.add("read " + i + ": " + confirmedCount + " confirmed bookings, booked went "
                        + before.booked() + " -> " + after.booked());
            }
            if (violations.size() >= 20) {
                break;
            }
        }
        return new Observations(reads, violations);
    }

    /**
     * Someone else editing the warehouse record while the bookings run: each rename moves the stock's version on
     * without touching its counts, so a booking that read the stock just before fails on its third operation
     * (stale ETag) after its slot and its booking were already written, and those two must be rolled back.
     */
    private int keepRenaming(String stockId, BookingClient editor, AtomicBoolean writersDone) throws InterruptedException {
        int renames = 0;
        while (renames < MAX_RENAMES && !writersDone.get()) {
            editor.rename(stockId, "contended, edit " + renames);
            renames++;
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 26));
        }
        return renames;
    }

    private BookingClient client(URI server) {
        return new BookingClient(http, server, MAX_RETRIES);
    }

    private static long count(List<Outcome> outcomes, Result result) {
        return outcomes.stream().filter(o -> o.result() == result).count();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
