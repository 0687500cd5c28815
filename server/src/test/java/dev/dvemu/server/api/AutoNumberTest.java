package dev.dvemu.server.api;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.dvemu.server.api.Rows.bookingPath;
import static dev.dvemu.server.api.Rows.read;
import static dev.dvemu.server.api.Rows.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** new_booking.new_bookingnumber has the autonumber format {@code BK-{SEQNUM:6}} (§12). */
@DvemuTest(reset = Reset.NEVER)
class AutoNumberTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static final String FORMAT = "^BK-\\d{6,}$";
    private static final int CONCURRENT_CREATES = 40;

    private static String createBookingAndReadNumber() {
        Rows.Created b = Rows.booking("{\"new_name\":\"" + unique("bk") + "\"}");
        return read(bookingPath(b.id())).getString("new_bookingnumber");
    }

    @Test
    void numberIsGeneratedWhenNotSent() {
        String number = createBookingAndReadNumber();
        assertTrue(number != null && number.matches(FORMAT), "generated number: " + number);
    }

    @Test
    void generatedNumberIsInTheCreateRepresentation() {
        String number = Rows.json("{\"new_name\":\"" + unique("bk") + "\"}").header("Prefer", "return=representation")
                .post("new_bookings").then().statusCode(201).extract().jsonPath().getString("new_bookingnumber");
        assertTrue(number != null && number.matches(FORMAT), "generated number: " + number);
    }

    @Test
    void successiveCreatesGetDifferentNumbers() {
        assertTrue(!createBookingAndReadNumber().equals(createBookingAndReadNumber()));
    }

    @Test
    void clientSentNumberIsKept() {
        String mine = unique("MY");
        Rows.Created b = Rows.booking("{\"new_name\":\"" + unique("bk") + "\",\"new_bookingnumber\":\"" + mine + "\"}");
        assertEquals(mine, read(bookingPath(b.id())).getString("new_bookingnumber"));
    }

    @Test
    void updateKeepsTheGeneratedNumber() {
        Rows.Created b = Rows.booking("{\"new_name\":\"" + unique("bk") + "\"}");
        String before = read(bookingPath(b.id())).getString("new_bookingnumber");
        Rows.json("{\"new_quantity\":5}").header("If-Match", "*").patch(bookingPath(b.id())).then().statusCode(204);
        assertEquals(before, read(bookingPath(b.id())).getString("new_bookingnumber"));
    }

    @Test
    void concurrentCreatesGetDistinctNumbers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CREATES; i++) {
                futures.add(pool.submit(AutoNumberTest::createBookingAndReadNumber));
            }
            Set<String> numbers = new HashSet<>();
            for (Future<String> f : futures) {
                String number = f.get(60, TimeUnit.SECONDS);
                assertTrue(number != null && number.matches(FORMAT), "generated number: " + number);
                numbers.add(number);
            }
            assertEquals(CONCURRENT_CREATES, numbers.size(), "duplicates among " + numbers);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
