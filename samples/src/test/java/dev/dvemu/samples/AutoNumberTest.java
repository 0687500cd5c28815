package dev.dvemu.samples;

import dev.dvemu.client.Changeset;
import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.DataverseException;
import dev.dvemu.client.Query;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;
import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The auto-number plug-in ({@link AutoNumber}) numbering {@code new_ticket}, each test from an empty database. */
@DvemuTest(metadata = "src/test/dvemu", plugins = SamplePlugins.class)
class AutoNumberTest {
    private DataverseClient client;

    private UUID counter(int next) {
        return client.create("new_counters", RowValues.create().set("new_name", "new_ticket").set("new_nextvalue", next));
    }

    private int nextValue(UUID counter) {
        return client.retrieve(RowRef.of("new_counters", counter), "new_nextvalue").orElseThrow()
                .integer("new_nextvalue").orElseThrow();
    }

    private static RowValues ticket(String name) {
        return RowValues.create().set("new_name", name);
    }

    private String createTicket(String name) {
        return client.createAndReturn("new_tickets", ticket(name), "new_number").string("new_number").orElseThrow();
    }

    /** A changeset whose ticket is created (and numbered) and whose next operation fails, so all of it rolls back. */
    private void failingChangeset(String name) {
        DataverseException e = assertThrows(DataverseException.class, () -> client.execute(Changeset.create()
                .create("new_tickets", ticket(name))
                .update(RowRef.of("new_tickets", UUID.randomUUID()), ticket("gone"))));
        assertEquals(404, e.status());
        assertEquals(1, e.operationIndex().orElseThrow());
    }

    private List<String> storedNumbers() {
        return client.stream(Query.from("new_tickets").select("new_number").orderBy("new_number"))
                .map(r -> r.string("new_number").orElseThrow()).toList();
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> String.format("TCK-%06d", n)).toList();
    }

    @Test
    void aTicketGetsTheCountersNextNumber() {
        UUID counter = counter(123);

        assertEquals("TCK-000123", createTicket("printer on fire"));
        assertEquals("TCK-000124", createTicket("coffee machine empty"));

        assertEquals(125, nextValue(counter));
    }

    @Test
    void aNumberTheCallerSendsIsReplaced() {
        counter(1);

        String number = client.createAndReturn("new_tickets", ticket("mine").set("new_number", "MINE-1"), "new_number")
                .string("new_number").orElseThrow();

        assertEquals("TCK-000001", number);
    }

    @Test
    void withoutACounterATicketIsRefused() {
        DataverseException e = assertThrows(DataverseException.class, () -> client.create("new_tickets", ticket("first")));

        assertEquals(400, e.status());
        assertEquals("0x80040265", e.code());
        assertEquals("No new_counter row is named 'new_ticket': create it (with new_nextvalue 1) before the first new_ticket.",
                e.getMessage());
        assertEquals(0, client.count(Query.from("new_tickets")));
    }

    @Test
    void aRolledBackChangesetsNumberGoesToTheNextTicket() {
        UUID counter = counter(1);
        assertEquals("TCK-000001", createTicket("first"));

        failingChangeset("rolled back"); // took TCK-000002, and gave it back

        assertEquals("TCK-000002", createTicket("second"));
        assertEquals(numbers(1, 2), storedNumbers());
        assertEquals(3, nextValue(counter));
    }

    @Test
    void thirtyTwoParallelCreatesGetTheNumbersOneToThirtyTwo() throws Exception {
        UUID counter = counter(1);
        int creates = 32;

        List<Optional<String>> returned = runAtOnce(creates, i -> () -> Optional.of(createTicket("ticket " + i)));

        List<String> sorted = returned.stream().map(Optional::orElseThrow).sorted().toList();
        assertEquals(numbers(1, creates), sorted, "unique and without gaps");
        assertEquals(numbers(1, creates), storedNumbers(), "each row holds the number its create answered with");
        assertEquals(creates + 1, nextValue(counter));
    }

    @Test
    void parallelCreatesAndRolledBackChangesetsLeaveNoGaps() throws Exception {
        UUID counter = counter(1);
        int operations = 32;

        // every fourth is a changeset that numbers a ticket and then fails: its number goes to another ticket
        List<Optional<String>> returned = runAtOnce(operations, i -> () -> {
            if (i % 4 == 3) {
                failingChangeset("rolled back " + i);
                return Optional.empty();
            }
            return Optional.of(createTicket("ticket " + i));
        });

        List<String> committed = returned.stream().flatMap(Optional::stream).sorted().toList();
        int expected = operations - operations / 4;
        assertEquals(numbers(1, expected), committed, "the committed tickets' numbers are 1.." + expected + ", no gaps");
        assertEquals(numbers(1, expected), storedNumbers());
        assertEquals(expected + 1, nextValue(counter));
    }

    /** Work that makes the i-th task. */
    private interface Tasks<T> {
        Callable<T> task(int i);
    }

    /** Runs {@code count} tasks, all released at once; their results in task order. Prints how long they took. */
    private <T> List<T> runAtOnce(int count, Tasks<T> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> task = tasks.task(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            System.out.printf("auto-number: %d parallel operations finished in %.2f s%n", count,
                    (System.nanoTime() - start) / 1e9);
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
