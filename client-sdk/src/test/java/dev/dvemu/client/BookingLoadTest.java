package dev.dvemu.client;

import dev.dvemu.client.support.CountingHttpClient;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 64 bookers, 25 bookings each, all against one stock of 1,000 units: every call ends with an outcome, exactly
 * 1,000 bookings are confirmed, 600 get "No stock left", and no unit is booked twice — whatever the retry strategy.
 * Prints throughput figures per strategy for comparison; they are not asserted.
 */
@DvemuTest(reset = Reset.NEVER)
class BookingLoadTest {
    static Dvemu dvemu;

    private static final String STOCKS = "new_stocks";
    private static final String BOOKINGS = "new_bookings";
    private static final String SLOTS = "new_bookingslots";
    private static final int CONFIRMED = 100000001;
    private static final int NO_STOCK_LEFT = 100000002;

    private static final int THREADS = 64;
    private static final int CALLS_PER_THREAD = 25;
    private static final int CALLS = THREADS * CALLS_PER_THREAD;
    private static final int UNITS = 1000;

    private static final Duration BASE = Duration.ofMillis(10);
    private static final Duration CAP = Duration.ofSeconds(1);
    private static final int MAX_ATTEMPTS = 200;

    static Stream<Arguments> strategies() {
        return Stream.of(
                Arguments.of(Named.of("fullJitter", RetryPolicy.fullJitter(BASE, CAP, MAX_ATTEMPTS))),
                Arguments.of(Named.of("equalJitter", RetryPolicy.equalJitter(BASE, CAP, MAX_ATTEMPTS))),
                Arguments.of(Named.of("decorrelatedJitter", RetryPolicy.decorrelatedJitter(BASE, CAP, MAX_ATTEMPTS))),
                Arguments.of(Named.of("noJitter", RetryPolicy.noJitter(BASE, CAP, MAX_ATTEMPTS))),
                Arguments.of(Named.of("fixedDelay", RetryPolicy.fixedDelay(Duration.ofMillis(20), MAX_ATTEMPTS))));
    }

    /** One call's outcome and how long it took. */
    private record Call(UUID booking, BookingWorkflow.Result result, long nanos) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void sixtyFourBookersNeverOversellOneStock(RetryPolicy policy) throws Exception {
        String strategy = name(policy);
        CountingHttpClient http = CountingHttpClient.http11();
        DataverseClient dv = DataverseClient.builder(dvemu.webApiUrl()).token(dvemu::token).retry(policy)
                .httpClient(http).build();
        BookingWorkflow workflow = new BookingWorkflow(dv, policy);
        UUID stockId = dv.create(STOCKS, RowValues.create().set("new_name", "load " + strategy + " " + UUID.randomUUID())
                .set("new_availablecount", UNITS).set("new_bookedcount", 0));
        RowRef stock = RowRef.of(STOCKS, stockId);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<List<UUID>> bookingsPerThread = createBookings(dv, pool, stock);

            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> escaped = new ConcurrentLinkedQueue<>();
            List<Future<?>> bookers = new ArrayList<>();
            for (List<UUID> mine : bookingsPerThread) {
                bookers.add(pool.submit(() -> {
                    start.await();
                    for (UUID booking : mine) {
                        long t0 = System.nanoTime();
                        try {
                            calls.add(new Call(booking, workflow.book(stockId, booking), System.nanoTime() - t0));
                        } catch (RuntimeException e) {
                            escaped.add(booking + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            long began = System.nanoTime();
            start.countDown();
            for (Future<?> f : bookers) {
                f.get(9, TimeUnit.MINUTES);
            }
            double elapsed = (System.nanoTime() - began) / 1e9;

            assertTrue(escaped.isEmpty(), () -> escaped.size() + " calls ended with an exception, e.g. "
                    + escaped.stream().limit(5).collect(Collectors.toList()));
            assertEquals(CALLS, calls.size());

            long confirmed = calls.stream().filter(c -> c.result().outcome() == BookingWorkflow.Outcome.CONFIRMED).count();
            long attempts = calls.stream().mapToLong(c -> c.result().attempts()).sum();
            long[] latencies = calls.stream().mapToLong(Call::nanos).sorted().toArray();
            long p99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1];
            System.out.printf(Locale.ROOT, "strategy=%s successes/s=%.1f attempts/success=%.2f p99=%d elapsed=%.1f%n",
                    strategy, confirmed / elapsed, (double) attempts / confirmed, TimeUnit.NANOSECONDS.toMillis(p99), elapsed);

            System.out.printf(Locale.ROOT, "strategy=%s requests=%d statuses=%s%n", strategy, http.requests(), http.statuses());

            assertNoOversell(dv, stock, List.copyOf(calls));
        } finally {
            pool.shutdownNow();
        }
    }

    /** 25 fresh pending bookings of the stock for each of the 64 bookers, created before the bookers start. */
    private static List<List<UUID>> createBookings(DataverseClient dv, ExecutorService pool, RowRef stock) throws Exception {
        List<Future<List<UUID>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> IntStream.range(0, CALLS_PER_THREAD)
                    .mapToObj(i -> dv.create(BOOKINGS, RowValues.create().set("new_name", "load " + thread + "/" + i)
                            .bind("new_StockId", stock)))
                    .collect(Collectors.toList())));
        }
        List<List<UUID>> bookings = new ArrayList<>();
        for (Future<List<UUID>> f : futures) {
            bookings.add(f.get(2, TimeUnit.MINUTES));
        }
        return bookings;
    }

    private static void assertNoOversell(DataverseClient dv, RowRef stock, List<Call> calls) {
        UUID stockId = stock.id().orElseThrow();
        Row after = dv.retrieve(stock).orElseThrow();
        int available = after.integer("new_availablecount").getAsInt();
        int booked = after.integer("new_bookedcount").getAsInt();
        assertEquals(UNITS, available + booked, "available + booked");
        assertTrue(available >= 0, "available " + available);
        assertEquals(0, available);
        assertEquals(UNITS, booked);

        Set<UUID> confirmed = calls.stream().filter(c -> c.result().outcome() == BookingWorkflow.Outcome.CONFIRMED)
                .map(Call::booking).collect(Collectors.toSet());
        Set<UUID> noStock = calls.stream().filter(c -> c.result().outcome() == BookingWorkflow.Outcome.NO_STOCK_LEFT)
                .map(Call::booking).collect(Collectors.toSet());
        assertEquals(UNITS, confirmed.size(), "confirmed bookings");
        assertEquals(CALLS - UNITS, noStock.size(), "bookings without stock");
        calls.forEach(c -> assertTrue(c.result().attempts() >= 1, () -> "attempts of " + c));

        List<Row> slots = dv.stream(Query.from(SLOTS).select("new_slotnumber", "_new_bookingid_value")
                .filter(Filter.eq("_new_stockid_value", stockId)).pageSize(500)).collect(Collectors.toList());
        assertEquals(UNITS, slots.size(), "slot rows");
        List<Integer> numbers = slots.stream().map(s -> s.integer("new_slotnumber").getAsInt()).sorted().collect(Collectors.toList());
        assertEquals(IntStream.rangeClosed(1, UNITS).boxed().collect(Collectors.toList()), numbers, "every slot exactly once");
        Map<UUID, Long> slotsPerBooking = slots.stream().collect(Collectors.groupingBy(
                s -> s.guid("_new_bookingid_value").orElseThrow(), Collectors.counting()));
        assertEquals(confirmed, slotsPerBooking.keySet(), "the slots belong to exactly the confirmed bookings");
        assertTrue(slotsPerBooking.values().stream().allMatch(n -> n == 1), "one slot per confirmed booking");
        Set<Integer> reported = calls.stream().filter(c -> c.result().slot().isPresent()).map(c -> c.result().slot().getAsInt())
                .collect(Collectors.toCollection(HashSet::new));
        assertEquals(UNITS, reported.size(), "every confirmed call reported a different slot");

        Query bookings = Query.from(BOOKINGS).filter(Filter.eq("_new_stockid_value", stockId));
        assertEquals(CALLS, dv.count(bookings));
        assertEquals(UNITS, dv.count(bookings.filter(Filter.eq("_new_stockid_value", stockId).and(Filter.eq("new_status", CONFIRMED)))));
        assertEquals(CALLS - UNITS, dv.count(bookings.filter(Filter.eq("_new_stockid_value", stockId).and(Filter.eq("new_status", NO_STOCK_LEFT)))));
        Set<UUID> storedConfirmed = dv.stream(Query.from(BOOKINGS).select("new_bookingid")
                        .filter(Filter.eq("_new_stockid_value", stockId).and(Filter.eq("new_status", CONFIRMED))).pageSize(500))
                .map(r -> r.id("new_bookingid").orElseThrow()).collect(Collectors.toSet());
        assertEquals(confirmed, storedConfirmed, "the stored confirmations are the reported ones");
    }

    private static String name(RetryPolicy policy) {
        switch (policy.jitter()) {
            case FULL:
                return "fullJitter";
            case EQUAL:
                return "equalJitter";
            case DECORRELATED:
                return "decorrelatedJitter";
            case NONE:
                return "noJitter";
            default:
                return "fixedDelay";
        }
    }
}
