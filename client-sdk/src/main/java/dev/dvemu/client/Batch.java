package dev.dvemu.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several changesets and standalone operations in one {@code $batch} request. Each standalone operation commits on
 * its own; each changeset is all-or-nothing. Without {@link #continueOnError()} the service stops at the first
 * failure; with it, every part runs.
 *
 * <pre>{@code
 * BatchResult r = dv.execute(Batch.create()
 *         .changeset(bookingChangeset)
 *         .get(RowRef.of("new_stocks", stockId))
 *         .continueOnError());
 * }</pre>
 */
public final class Batch {
    /** A changeset or a single operation. */
    record Part(Changeset changeset, Operation operation) {
    }

    private final List<Part> parts = new ArrayList<>();
    private boolean continueOnError;

    private Batch() {
    }

    public static Batch create() {
        return new Batch();
    }

    public Batch changeset(Changeset changeset) {
        if (changeset.size() == 0) {
            throw new IllegalArgumentException("an empty changeset");
        }
        parts.add(new Part(changeset, null));
        return this;
    }

    public Batch create(String entitySet, RowValues values) {
        return single(Operation.create(entitySet, values));
    }

    public Batch update(RowRef ref, RowValues values) {
        return single(Operation.update(ref, values, Optional.empty()));
    }

    public Batch update(RowRef ref, RowValues values, ETag etag) {
        return single(Operation.update(ref, values, Optional.of(etag)));
    }

    public Batch upsert(RowRef ref, RowValues values, UpsertMode mode) {
        return single(Operation.upsert(ref, values, mode));
    }

    public Batch delete(RowRef ref) {
        return single(Operation.delete(ref, Optional.empty()));
    }

    public Batch delete(RowRef ref, ETag etag) {
        return single(Operation.delete(ref, Optional.of(etag)));
    }

    /** Reads one row (its answer carries the row). */
    public Batch get(RowRef ref, String... columns) {
        return single(Operation.get(ref, columns.length == 0 ? null : "$select=" + String.join(",", columns)));
    }

    /** Reads the first page of a query. */
    public Batch query(Query query) {
        return single(Operation.query(query));
    }

    /** Runs every part even after a failure ({@code Prefer: odata.continue-on-error}). */
    public Batch continueOnError() {
        this.continueOnError = true;
        return this;
    }

    private Batch single(Operation op) {
        if (op.target() != null && op.target().operationName().isPresent()) {
            throw new IllegalArgumentException("operation references work only inside a changeset");
        }
        parts.add(new Part(null, op));
        return this;
    }

    List<Part> parts() {
        return List.copyOf(parts);
    }

    boolean isContinueOnError() {
        return continueOnError;
    }

    boolean guarded() {
        return parts.stream().allMatch(p -> p.changeset() != null ? p.changeset().guarded() : p.operation().guarded());
    }

    /** Only reads: sending the batch again changes nothing. */
    boolean readsOnly() {
        return parts.stream().allMatch(p -> p.changeset() == null && p.operation().method().equals("GET"));
    }

    int operationCount() {
        return parts.stream().mapToInt(p -> p.changeset() != null ? p.changeset().size() : 1).sum();
    }
}
