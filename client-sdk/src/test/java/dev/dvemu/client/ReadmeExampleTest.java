package dev.dvemu.client;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example of the README's "Using the Java SDK", kept compiling and passing here so it cannot rot. */
@DvemuTest(reset = Reset.NEVER)
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRuns(Dvemu dvemu) {
        URI emulator = dvemu.webApiUrl();
        // --- README example starts
        DataverseClient dv = DataverseClient.builder(emulator)          // e.g. http://127.0.0.1:5555/api/data/v9.2/
                .token(() -> "any")                                      // a supplier: real OAuth tokens can refresh
                .retry(RetryPolicy.fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2), 10))
                .build();

        UUID stock = dv.create("new_stocks", RowValues.create()
                .set("new_name", "Amsterdam").set("new_availablecount", 12).set("new_bookedcount", 5));
        UUID booking = dv.create("new_bookings", RowValues.create()
                .set("new_name", "Order 42").bind("new_StockId", RowRef.of("new_stocks", stock)));

        BookingWorkflow.Result result = new BookingWorkflow(dv, RetryPolicy.defaults()).book(stock, booking);
        System.out.println(result.outcome() + " slot " + result.slot().getAsInt() + " after " + result.attempts() + " attempt(s)");

        // read-modify-write with optimistic concurrency, retried on conflict
        RowRef ref = RowRef.of("new_stocks", stock);
        int left = Retry.onConflict(RetryPolicy.defaults(), () -> {
            Row row = dv.retrieve(ref, "new_availablecount").orElseThrow();
            int n = row.integer("new_availablecount").orElse(0) - 1;
            dv.update(ref, RowValues.create().set("new_availablecount", n), row.etag());
            return n;
        });
        // --- README example ends
        assertEquals(BookingWorkflow.Outcome.CONFIRMED, result.outcome());
        assertEquals(6, result.slot().getAsInt());
        assertEquals(10, left);
    }
}
