package dev.dvemu.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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
 * <b>Never twice.</b> A changeset can commit while its answer is lost (a dropped connection, a timeout, a 503
 * whose commit outcome the service lost). The client sends the changeset again, and that resend fails on the
 * stock's ETag, moved by the first send itself; the client does not pass this off as a conflict but throws a
 * {@link TransientException} with {@link TransientException#outcomeUnknown()} (see {@link DataverseClient}), as it
 * does when it gives up without an answer. The workflow takes that as "may have committed": from then on, before
 * each attempt for these bookings, it reads the stock afresh, then the bookings' status (one query) and the slots of
 * those already Confirmed (one more), and settles those with the slot they hold, and those already "No stock left"
 * as such; only the others are booked. The stock is read before the bookings so that a changeset of ours still on
 * its way, committing after the read, moves the stock's ETag and fails the attempt; the next attempt then finds
 * it. The common path costs nothing more: the extra reads happen only after an unknown outcome.
 *
 * Calls in one process for the same stock take turns ({@link RowTurns}), so threads of one application never
 * waste attempts racing each other; racing other processes is what the ETag, the unique slot and the jittered
 * retries are for. Two things make the turns cheap:
 * <ul>
 *   <li>whoever's turn it is books every booking then waiting for the stock (up to {@value #MAX_GROUP}) in the
 *       same changeset: one stock update for all of them, a slot and a confirmation each, in arrival order, and
 *       "No stock left" for those beyond what is available. If the changeset fails for any reason but a lost race
 *       or an unknown outcome, each booking of it is tried on its own (settled first, if the group's outcome was
 *       ever unknown), so one bad booking fails alone;</li>
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
    static final String BOOKING_ID = "new_bookingid";
    static final String STATUS = "new_status";
    static final String SLOT_NUMBER = "new_slotnumber";
    static final String SLOT_BOOKING = "_new_bookingid_value";
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
     * {@code policy} paces the retries after a lost race or an unknown outcome; its {@code maxAttempts} bounds
     * them. Calls of this workflow for the same stock take turns within this process (see {@link #book}).
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
     * {@link DuplicateRecordException} (with its attempt count) when every attempt lost a race,
     * {@link NotFoundException} when the stock or the booking does not exist, and a {@link TransientException}
     * the client gave up on (when its outcome is unknown and attempts ran out, the booking may be Confirmed: calling
     * again books it anew, so read the booking first).
     */
    public Result book(UUID stockId, UUID bookingId) {
        Objects.requireNonNull(stockId);
        Objects.requireNonNull(bookingId);
        if (turns == null) {
            return attempt(stockId, List.of(bookingId), new Doubt()).get(0);
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
        Doubt doubt = new Doubt();
        try {
            List<Result> results = attempt(stockId, group.stream().map(Waiting::bookingId).toList(), doubt);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer().complete(results.get(i));
            }
        } catch (RuntimeException groupFailed) {
            // the group's changeset did not commit (or, if the doubt says so, maybe did: each attempt below then
            // looks first); one bad booking (say, one that does not exist) must not fail the others, so each is
            // booked on its own and gets its own answer
            for (Waiting w : group) {
                if (group.size() == 1) {
                    w.answer().completeExceptionally(groupFailed);
                    continue;
                }
                try {
                    w.answer().complete(attempt(stockId, List.of(w.bookingId()), doubt).get(0));
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

    /**
     * Whether a write sent for these bookings may have committed unseen: its outcome was unknown (see the class
     * comment). Once set it stays set, because such a changeset may still commit after any later read.
     */
    private static final class Doubt {
        private boolean unseenCommit;

        /** Runs one of the workflow's writes, noting when its outcome is unknown. */
        <T> T write(Supplier<T> write) {
            try {
                return write.get();
            } catch (TransientException e) {
                unseenCommit |= e.outcomeUnknown();
                throw e;
            }
        }

        /**
         * Whether to try again after {@code e}: a lost race, or, once a write's outcome was unknown, any unknown
         * outcome (the next attempt looks before it books). Before that a transient failure leaves, as it always did.
         */
        boolean retries(DataverseException e) {
            return Retry.lostRace(e) || (unseenCommit && e instanceof TransientException t && t.outcomeUnknown());
        }
    }

    /**
     * Books the bookings, in order, as far as the stock goes: one changeset, retried as a whole after a lost race
     * or an unknown outcome.
     */
    private List<Result> attempt(UUID stockId, List<UUID> bookingIds, Doubt doubt) {
        int[] attempts = {0};
        return Retry.loop(policy, () -> attemptOnce(stockId, bookingIds, ++attempts[0], doubt), doubt::retries);
    }

    private List<Result> attemptOnce(UUID stockId, List<UUID> bookingIds, int attempt, Doubt doubt) {
        RowRef stockRef = RowRef.of(STOCKS, stockId);
        // the previous booker's result, if it is still current; a failed attempt leaves nothing behind
        Row stock = turns == null ? null : lastWritten.remove(stockId);
        if (doubt.unseenCommit || stock == null || stock.integer(AVAILABLE).orElse(0) <= 0) {
            // after an unknown outcome, the stock before the bookings: a changeset of ours that commits after this
            // read has moved the stock's ETag, so this attempt's changeset fails on it and the next attempt finds
            // the bookings settled
            stock = readStock(stockRef);
        }
        Map<UUID, Result> settled = doubt.unseenCommit ? settledEarlier(bookingIds, attempt) : Map.of();
        List<UUID> open = bookingIds.stream().filter(id -> !settled.containsKey(id)).toList();
        List<Result> booked = open.isEmpty() ? List.of() : book(stockId, stock, open, attempt, doubt);
        if (settled.isEmpty()) {
            return booked;
        }
        List<Result> results = new ArrayList<>();
        Iterator<Result> next = booked.iterator();
        for (UUID id : bookingIds) {
            results.add(settled.containsKey(id) ? settled.get(id) : next.next());
        }
        return results;
    }

    private Row readStock(RowRef stockRef) {
        return dv.retrieve(stockRef, AVAILABLE, BOOKED)
                .orElseThrow(() -> new NotFoundException(404, "0x80040217", "stock " + stockRef + " does not exist"));
    }

    /**
     * Books the bookings, in order, as far as the stock (as read, with its ETag) goes, in one changeset: a slot and
     * a confirmation each, "No stock left" beyond what is available.
     */
    private List<Result> book(UUID stockId, Row stock, List<UUID> bookingIds, int attempt, Doubt doubt) {
        RowRef stockRef = RowRef.of(STOCKS, stockId);
        int available = stock.integer(AVAILABLE).orElse(0);
        int booked = stock.integer(BOOKED).orElse(0);
        int confirmed = Math.max(0, Math.min(available, bookingIds.size()));
        if (confirmed == 0 && bookingIds.size() == 1) {
            doubt.write(() -> {
                dv.update(RowRef.of(BOOKINGS, bookingIds.get(0)), RowValues.create().set(STATUS, NO_STOCK_LEFT));
                return null;
            });
            return List.of(new Result(Outcome.NO_STOCK_LEFT, attempt, OptionalInt.empty()));
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
                                .set(SLOT_NUMBER, slot)
                                .bind("new_StockId", stockRef)
                                .bind("new_BookingId", bookingRef), UpsertMode.CREATE_ONLY)
                        .update(bookingRef, RowValues.create().set(STATUS, CONFIRMED));
                results.add(new Result(Outcome.CONFIRMED, attempt, OptionalInt.of(slot)));
            } else {
                changeset.update(bookingRef, RowValues.create().set(STATUS, NO_STOCK_LEFT));
                results.add(new Result(Outcome.NO_STOCK_LEFT, attempt, OptionalInt.empty()));
            }
        }
        ChangesetResult written = doubt.write(() -> dv.execute(changeset));
        if (turns != null && confirmed > 0) {
            written.get(0).row().ifPresent(row -> lastWritten.put(stockId, row));
        }
        return results;
    }

    /**
     * The bookings an earlier changeset of this call settled unseen: a Confirmed one with the slot it holds (slot
     * and confirmation commit together), a "No stock left" one as such. One query for the bookings' status, and
     * one for the slots of the confirmed ones.
     */
    private Map<UUID, Result> settledEarlier(List<UUID> bookingIds, int attempt) {
        Map<UUID, Result> settled = new HashMap<>();
        List<UUID> confirmed = new ArrayList<>();
        dv.stream(Query.from(BOOKINGS).select(STATUS).filter(anyOf(BOOKING_ID, bookingIds))).forEach(booking -> {
            UUID id = booking.guid(BOOKING_ID).orElseThrow();
            int status = booking.integer(STATUS).orElse(0);
            if (status == CONFIRMED) {
                confirmed.add(id);
            } else if (status == NO_STOCK_LEFT) {
                settled.put(id, new Result(Outcome.NO_STOCK_LEFT, attempt, OptionalInt.empty()));
            }
        });
        if (!confirmed.isEmpty()) {
            // a Confirmed booking without a slot was not confirmed by this workflow: it stays open and gets one
            dv.stream(Query.from(SLOTS).select(SLOT_NUMBER, SLOT_BOOKING).filter(anyOf(SLOT_BOOKING, confirmed)))
                    .forEach(slot -> settled.merge(slot.guid(SLOT_BOOKING).orElseThrow(),
                            new Result(Outcome.CONFIRMED, attempt, OptionalInt.of(slot.integer(SLOT_NUMBER).orElse(0))),
                            (a, b) -> a.slot().getAsInt() <= b.slot().getAsInt() ? a : b));
        }
        return settled;
    }

    private static Filter anyOf(String column, List<UUID> ids) {
        return Filter.anyOf(ids.stream().map(id -> Filter.eq(column, id)).toArray(Filter[]::new));
    }
}
