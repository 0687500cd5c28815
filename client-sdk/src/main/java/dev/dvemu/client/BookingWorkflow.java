package dev.dvemu.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The booking pattern, as a reference to copy: book one unit of a warehouse's stock for a booking, safely under any
 * number of concurrent bookers.
 *
 * <ol>
 *   <li>Read the stock and its ETag.</li>
 *   <li>Nothing left: mark the booking "No stock left" and stop.</li>
 *   <li>Otherwise send one changeset: write the stock's new counts with {@code If-Match} (so nobody's update is
 *       lost), create the slot {@code booked + 1} (the alternate key (stock, slot) is unique, so two bookers can
 *       never hold the same slot), and set the booking to Confirmed. All three commit or none does. The stock goes
 *       first so that a booker who lost the race fails before writing anything.</li>
 *   <li>If another booker got there first — a version conflict on the stock or a duplicate slot — wait as the
 *       retry policy says (jittered, so the losers do not collide again) and start over from step 1.</li>
 * </ol>
 *
 * Calls in one process for the same stock take turns ({@link RowTurns}), so threads of one application never
 * waste attempts racing each other; racing other processes is what the ETag, the unique slot and the jittered
 * retries are for. Two things make the turns cheap:
 * <ul>
 *   <li>whoever's turn it is books every booking then waiting for the stock (up to {@value #MAX_GROUP}) in the
 *       same changeset: one stock update for all of them, a slot and a confirmation each, in arrival order, and
 *       "No stock left" for those beyond what is available. If the changeset fails for any reason but a lost race,
 *       each booking of it is tried on its own, so one bad booking fails alone;</li>
 *   <li>each booker hands the next the stock as its changeset left it (the changeset returns the stock's new
 *       counts and ETag), so step 1 costs no round trip unless another process wrote the stock in between, which
 *       the ETag catches: that attempt fails with a conflict and the retry reads the stock afresh. "No stock left"
 *       is concluded only from a fresh read or under the stock's current ETag.</li>
 * </ul>
 *
 * <pre>{@code
 * BookingWorkflow booking = new BookingWorkflow(dv, RetryPolicy.defaults());
 * BookingWorkflow.Result r = booking.book(stockId, bookingId);
 * if (r.outcome() == BookingWorkflow.Outcome.CONFIRMED) { ... r.slot() ... }
 * }</pre>
 *
 * Tables: {@code new_stocks} ({@code new_availablecount}, {@code new_bookedcount}), {@code new_bookings}
 * ({@code new_status}: 100000001 Confirmed, 100000002 No stock left) and {@code new_bookingslots}
 * ({@code new_slotnumber}, lookups {@code new_StockId}, {@code new_BookingId}).
 */
public final class BookingWorkflow {
    static final String STOCKS = "new_stocks";
    static final String BOOKINGS = "new_bookings";
    static final String SLOTS = "new_bookingslots";
    static final String AVAILABLE = "new_availablecount";
    static final String BOOKED = "new_bookedcount";
    static final int CONFIRMED = 100000001;
    static final int NO_STOCK_LEFT = 100000002;
    /** How many stocks' last-written state one instance keeps for the next booker. */
    private static final int KNOWN_STOCKS = 1024;
    /** How many waiting bookings one changeset books at most (2 operations each, 1 for the stock). */
    static final int MAX_GROUP = 100;

    /** How a booking ended. */
    public enum Outcome {
        CONFIRMED, NO_STOCK_LEFT
    }

    /**
     * @param attempts how many attempts the booking took (1 when nobody interfered)
     * @param slot     the slot taken, for a confirmed booking
     */
    public record Result(Outcome outcome, int attempts, OptionalInt slot) {
    }

    private final DataverseClient dv;
    private final RetryPolicy policy;
    private final RowTurns turns;
    /** The stocks as this instance's last changesets left them, read and written only by the booker holding the turn. */
    private final Map<UUID, Row> lastWritten;
    /** The bookings waiting for their stock's turn; a stock is here only while someone waits. */
    private final ConcurrentHashMap<UUID, Deque<Waiting>> waiting = new ConcurrentHashMap<>();

    /**
     * {@code policy} paces the retries after a lost race; its {@code maxAttempts} bounds them. Calls of this
     * workflow for the same stock take turns within this process (see {@link #book}).
     */
    public BookingWorkflow(DataverseClient dv, RetryPolicy policy) {
        this(dv, policy, true);
    }

    /**
     * @param takeTurnsLocally whether calls of this instance for the same stock wait for each other before they
     *                         read it. With {@code false} every call races every other and only the ETag and the
     *                         backoff sort them out: correct, but on one hot stock most attempts are wasted.
     */
    public BookingWorkflow(DataverseClient dv, RetryPolicy policy, boolean takeTurnsLocally) {
        this.dv = Objects.requireNonNull(dv);
        this.policy = Objects.requireNonNull(policy);
        this.turns = takeTurnsLocally ? new RowTurns() : null;
        this.lastWritten = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Row> eldest) {
                return size() > KNOWN_STOCKS;
            }
        });
    }

    /**
     * Books one unit of the stock for the booking. Throws the last {@link VersionConflictException} or
     * {@link DuplicateRecordException} (with its attempt count) when every attempt lost a race, and
     * {@link NotFoundException} when the stock or the booking does not exist.
     */
    public Result book(UUID stockId, UUID bookingId) {
        Objects.requireNonNull(stockId);
        Objects.requireNonNull(bookingId);
        if (turns == null) {
            return attempt(stockId, List.of(bookingId)).get(0);
        }
        // Bookers in one process that all read the same version of a hot stock would all but one fail and retry:
        // they take turns instead, and the one whose turn it is books for everyone waiting (see the class comment).
        // Other processes are still kept out by the ETag and the slot key.
        Waiting me = new Waiting(bookingId);
        waiting.compute(stockId, (k, q) -> {
            Deque<Waiting> queue = q == null ? new ArrayDeque<>() : q;
            queue.add(me);
            return queue;
        });
        RowRef stockRef = RowRef.of(STOCKS, stockId);
        while (!me.answer.isDone()) {
            turns.take(stockRef, () -> {
                if (!me.answer.isDone()) {
                    bookWaiting(stockId);
                }
                return null;
            });
        }
        try {
            return me.answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** A booking waiting for its turn, and its answer once some booker has booked it. */
    private record Waiting(UUID bookingId, CompletableFuture<Result> answer) {
        Waiting(UUID bookingId) {
            this(bookingId, new CompletableFuture<>());
        }
    }

    /** Books up to {@link #MAX_GROUP} waiting bookings of the stock in one changeset; answers every one of them. */
    private void bookWaiting(UUID stockId) {
        List<Waiting> group = new ArrayList<>();
        waiting.compute(stockId, (k, q) -> {
            while (q != null && !q.isEmpty() && group.size() < MAX_GROUP) {
                group.add(q.poll());
            }
            return q == null || q.isEmpty() ? null : q;
        });
        try {
            List<Result> results = attempt(stockId, group.stream().map(Waiting::bookingId).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer().complete(results.get(i));
            }
        } catch (RuntimeException groupFailed) {
            // nothing of the group was written; one bad booking (say, one that does not exist) must not fail the
            // others, so each is booked on its own and gets its own answer
            for (Waiting w : group) {
                if (group.size() == 1) {
                    w.answer().completeExceptionally(groupFailed);
                    continue;
                }
                try {
                    w.answer().complete(attempt(stockId, List.of(w.bookingId())).get(0));
                } catch (RuntimeException e) {
                    w.answer().completeExceptionally(e);
                }
            }
        } finally {
            for (Waiting w : group) {
                w.answer().completeExceptionally(new IllegalStateException("the booking was not answered"));
            }
        }
    }

    /** Books the bookings, in order, as far as the stock goes: one changeset, retried as a whole after a lost race. */
    private List<Result> attempt(UUID stockId, List<UUID> bookingIds) {
        RowRef stockRef = RowRef.of(STOCKS, stockId);
        int[] attempts = {0};
        return Retry.onConflictOrDuplicate(policy, () -> {
            attempts[0]++;
            // the previous booker's result, if it is still current; a failed attempt leaves nothing behind
            Row stock = turns == null ? null : lastWritten.remove(stockId);
            if (stock == null || stock.integer(AVAILABLE).orElse(0) <= 0) {
                stock = dv.retrieve(stockRef, AVAILABLE, BOOKED)
                        .orElseThrow(() -> new NotFoundException(404, "0x80040217", "stock " + stockId + " does not exist"));
            }
            int available = stock.integer(AVAILABLE).orElse(0);
            int booked = stock.integer(BOOKED).orElse(0);
            int confirmed = Math.max(0, Math.min(available, bookingIds.size()));
            if (confirmed == 0 && bookingIds.size() == 1) {
                dv.update(RowRef.of(BOOKINGS, bookingIds.get(0)), RowValues.create().set("new_status", NO_STOCK_LEFT));
                return List.of(new Result(Outcome.NO_STOCK_LEFT, attempts[0], OptionalInt.empty()));
            }
            Changeset changeset = Changeset.create();
            if (confirmed > 0) {
                // the stock first: a booker that lost the race fails here, before it writes anything, and the
                // winner holds the stock's row lock for the rest of its changeset only
                changeset.update(stockRef, RowValues.create().set(AVAILABLE, available - confirmed).set(BOOKED, booked + confirmed),
                        stock.etag()).returning(AVAILABLE, BOOKED);
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < bookingIds.size(); i++) {
                RowRef bookingRef = RowRef.of(BOOKINGS, bookingIds.get(i));
                if (i < confirmed) {
                    int slot = booked + i + 1;
                    // a fresh id with If-None-Match: * makes a resent changeset fail instead of creating twice
                    changeset.upsert(RowRef.of(SLOTS, UUID.randomUUID()), RowValues.create()
                                    .set("new_name", "slot " + slot)
                                    .set("new_slotnumber", slot)
                                    .bind("new_StockId", stockRef)
                                    .bind("new_BookingId", bookingRef), UpsertMode.CREATE_ONLY)
                            .update(bookingRef, RowValues.create().set("new_status", CONFIRMED));
                    results.add(new Result(Outcome.CONFIRMED, attempts[0], OptionalInt.of(slot)));
                } else {
                    changeset.update(bookingRef, RowValues.create().set("new_status", NO_STOCK_LEFT));
                    results.add(new Result(Outcome.NO_STOCK_LEFT, attempts[0], OptionalInt.empty()));
                }
            }
            ChangesetResult written = dv.execute(changeset);
            if (turns != null && confirmed > 0) {
                written.get(0).row().ifPresent(row -> lastWritten.put(stockId, row));
            }
            return results;
        });
    }
}
