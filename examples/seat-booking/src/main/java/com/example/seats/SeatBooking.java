package com.example.seats;

import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.Retry;
import dev.dvemu.client.RetryPolicy;
import dev.dvemu.client.Row;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;

import java.util.UUID;

/**
 * The code under test: books one seat of a course. Two people booking the last seat at the same time must not
 * both get it, so the update carries the ETag of the row it read ({@code If-Match}); the loser gets 412 and reads
 * again. Throttling (429) and transient failures are retried by the client's retry policy.
 */
public final class SeatBooking {
    public enum Outcome { BOOKED, SOLD_OUT }

    private final DataverseClient dataverse;
    private final RetryPolicy policy;

    public SeatBooking(DataverseClient dataverse, RetryPolicy policy) {
        this.dataverse = dataverse;
        this.policy = policy;
    }

    public Outcome book(UUID course) {
        RowRef ref = RowRef.of("new_courses", course);
        return Retry.onConflict(policy, () -> {
            Row row = dataverse.retrieve(ref, "new_seatsleft").orElseThrow();
            int left = row.integer("new_seatsleft").orElse(0);
            if (left <= 0) {
                return Outcome.SOLD_OUT;
            }
            dataverse.update(ref, RowValues.create().set("new_seatsleft", left - 1), row.etag());
            return Outcome.BOOKED;
        });
    }
}
