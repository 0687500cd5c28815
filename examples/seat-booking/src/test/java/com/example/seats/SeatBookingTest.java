package com.example.seats;

import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.Query;
import dev.dvemu.client.RetryPolicy;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.FaultMatch;
import dev.dvemu.testkit.Hold;
import dev.dvemu.testkit.JournalEntry;
import dev.dvemu.testkit.RequestPattern;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seat booking code against dvemu, with this project's own table ({@code src/test/dvemu}) served next to the
 * built-in ones. Every test starts from an empty database.
 */
@DvemuTest(metadata = "src/test/dvemu")
class SeatBookingTest {
    /** Short waits, so the tests stay quick; the defaults are for real Dataverse. */
    private static final RetryPolicy FAST = RetryPolicy.fullJitter(Duration.ofMillis(5), Duration.ofMillis(100), 10);

    private UUID course(DataverseClient client, int seats) {
        return client.create("new_courses", RowValues.create().set("new_name", "Java 101").set("new_seatsleft", seats));
    }

    private int seatsLeft(DataverseClient client, UUID course) {
        return client.retrieve(RowRef.of("new_courses", course), "new_seatsleft").orElseThrow()
                .integer("new_seatsleft").orElseThrow();
    }

    @Test
    void booksASeat(DataverseClient client, Dvemu dvemu) {
        UUID course = course(client, 2);

        assertEquals(SeatBooking.Outcome.BOOKED, new SeatBooking(client, FAST).book(course));

        assertEquals(1, seatsLeft(client, course));
        dvemu.verify(1, RequestPattern.patch("new_courses").status(204));
    }

    @Test
    void startsFromAnEmptyDatabase(DataverseClient client, Dvemu dvemu) {
        // the journal and the courses of the other tests are gone: the testkit resets before each test
        assertEquals(0, dvemu.requests(RequestPattern.any()).size());
        assertEquals(0, client.count(Query.from("new_courses")));
    }

    @Test
    void twoPeopleBookingTheLastSeatAtOnceGetOneSeat(DataverseClient client, Dvemu dvemu) throws Exception {
        UUID course = course(client, 1);
        // both bookers read "1 left" before either writes: held after their read, released together
        Hold readers = dvemu.hold("readers").get("new_courses").beforeAnswer().releaseWhen(2).install();

        SeatBooking booking = new SeatBooking(client, FAST);
        ExecutorService twoPeople = Executors.newFixedThreadPool(2); // both must run at once: the hold waits for two
        List<SeatBooking.Outcome> outcomes;
        try {
            Future<SeatBooking.Outcome> first = twoPeople.submit(() -> booking.book(course));
            Future<SeatBooking.Outcome> second = twoPeople.submit(() -> booking.book(course));
            outcomes = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
        } finally {
            twoPeople.shutdownNow();
            readers.remove();
        }

        assertTrue(outcomes.contains(SeatBooking.Outcome.BOOKED) && outcomes.contains(SeatBooking.Outcome.SOLD_OUT),
                "one booked, one sold out: " + outcomes);
        assertEquals(0, seatsLeft(client, course), "never below zero");
        // the loser's update was refused on its stale ETag, then it read again and found no seat
        dvemu.verify(1, RequestPattern.patch("new_courses").status(412));
        dvemu.verify(1, RequestPattern.patch("new_courses").status(204));
    }

    @Test
    void ridesOutThrottling(DataverseClient client, Dvemu dvemu) {
        UUID course = course(client, 3);
        // Dataverse's service protection answers the next two updates with 429 and Retry-After: 1
        dvemu.faults().throttle(FaultMatch.patch("new_courses").times(2), 1);

        long start = System.nanoTime();
        assertEquals(SeatBooking.Outcome.BOOKED, new SeatBooking(client, FAST).book(course));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(2, seatsLeft(client, course), "booked exactly once");
        List<JournalEntry> updates = dvemu.requests(RequestPattern.patch("new_courses"));
        assertEquals(List.of(429, 429, 204), updates.stream().map(JournalEntry::status).toList());
        assertTrue(waitedMs >= 2000, "each retry waited its Retry-After of 1 s; waited " + waitedMs + " ms");
    }
}
