package dev.dvemu.client;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

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
 * Calls in one process for the same stock take turns ({@link RowTurns}) before step 1, so threads of one
 * application never waste attempts racing each other; racing other processes is what the ETag, the unique slot and
 * the jittered retries are for.
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

    /** How a booking ended. */
    public enum Outcome {
        CONFIRMED, NO_STOCK_LEFT
    }

    /**
     * @param attempts how many times the stock was read (1 when nobody interfered)
     * @param slot     the slot taken, for a confirmed booking
     */
    public record Result(Outcome outcome, int attempts, OptionalInt slot) {
    }

    private final DataverseClient dv;
    private final RetryPolicy policy;
    private final RowTurns turns;

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
    }

    /**
     * Books one unit of the stock for the booking. Throws the last {@link VersionConflictException} or
     * {@link DuplicateRecordException} (with its attempt count) when every attempt lost a race, and
     * {@link NotFoundException} when the stock does not exist.
     */
    public Result book(UUID stockId, UUID bookingId) {
        if (turns == null) {
            return attempt(stockId, bookingId);
        }
        // Bookers in one process that all read the same version of a hot stock would all but one fail and retry:
        // taking turns here wastes no attempt. Other processes are still kept out by the ETag and the slot key.
        return turns.take(RowRef.of(STOCKS, stockId), () -> attempt(stockId, bookingId));
    }

    private Result attempt(UUID stockId, UUID bookingId) {
        RowRef stockRef = RowRef.of(STOCKS, stockId);
        RowRef bookingRef = RowRef.of(BOOKINGS, bookingId);
        int[] attempts = {0};
        return Retry.onConflictOrDuplicate(policy, () -> {
            attempts[0]++;
            Row stock = dv.retrieve(stockRef, AVAILABLE, BOOKED)
                    .orElseThrow(() -> new NotFoundException(404, "0x80040217", "stock " + stockId + " does not exist"));
            int available = stock.integer(AVAILABLE).orElse(0);
            int booked = stock.integer(BOOKED).orElse(0);
            if (available <= 0) {
                dv.update(bookingRef, RowValues.create().set("new_status", NO_STOCK_LEFT));
                return new Result(Outcome.NO_STOCK_LEFT, attempts[0], OptionalInt.empty());
            }
            int slot = booked + 1;
            dv.execute(Changeset.create()
                    // the stock first: a booker that lost the race fails here, before it writes anything, and the
                    // winner holds the stock's row lock for the rest of its changeset only
                    .update(stockRef, RowValues.create().set(AVAILABLE, available - 1).set(BOOKED, slot), stock.etag())
                    // a fresh id with If-None-Match: * makes a resent changeset fail instead of creating twice
                    .upsert(RowRef.of(SLOTS, UUID.randomUUID()), RowValues.create()
                            .set("new_name", "slot " + slot)
                            .set("new_slotnumber", slot)
                            .bind("new_StockId", stockRef)
                            .bind("new_BookingId", bookingRef), UpsertMode.CREATE_ONLY)
                    .update(bookingRef, RowValues.create().set("new_status", CONFIRMED)));
            return new Result(Outcome.CONFIRMED, attempts[0], OptionalInt.of(slot));
        });
    }
}
