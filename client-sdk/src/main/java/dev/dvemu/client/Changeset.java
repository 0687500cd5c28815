package dev.dvemu.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes that commit together or not at all (a {@code $batch} changeset: one database transaction on the service).
 * Built fluently; {@link #as(String)} names the last operation so later ones can refer to the row it created or
 * changed with {@link RowRef#operation(String)} (a Content-ID reference, {@code $n} on the wire).
 *
 * <pre>{@code
 * ChangesetResult r = dv.execute(Changeset.create()
 *         .create("new_bookings", RowValues.create().set("new_name", "B-1")).as("booking")
 *         .create("new_bookingslots", RowValues.create().set("new_slotnumber", 6)
 *                 .bind("new_BookingId", RowRef.operation("booking")))
 *         .update(RowRef.of("new_stocks", stockId), newCounts, stockEtag));
 * UUID bookingId = r.get("booking").id().orElseThrow();
 * }</pre>
 */
public final class Changeset {
    /** Dataverse's limit on the operations of one changeset. */
    public static final int MAX_OPERATIONS = 1000;

    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();

    private Changeset() {
    }

    public static Changeset create() {
        return new Changeset();
    }

    /** Creates a row (POST); the service chooses the id. */
    public Changeset create(String entitySet, RowValues values) {
        return add(Operation.create(entitySet, values));
    }

    /** Updates an existing row whatever its version ({@code If-Match: *}); a missing row fails the changeset. */
    public Changeset update(RowRef ref, RowValues values) {
        return add(Operation.update(ref, values, Optional.empty()));
    }

    /** Updates the row only if it is still at {@code etag}; otherwise the whole changeset fails with a conflict. */
    public Changeset update(RowRef ref, RowValues values, ETag etag) {
        return add(Operation.update(ref, values, Optional.of(etag)));
    }

    public Changeset upsert(RowRef ref, RowValues values) {
        return add(Operation.upsert(ref, values, UpsertMode.CREATE_OR_UPDATE));
    }

    public Changeset upsert(RowRef ref, RowValues values, UpsertMode mode) {
        return add(Operation.upsert(ref, values, mode));
    }

    public Changeset delete(RowRef ref) {
        return add(Operation.delete(ref, Optional.empty()));
    }

    public Changeset delete(RowRef ref, ETag etag) {
        return add(Operation.delete(ref, Optional.of(etag)));
    }

    /**
     * Relates {@code related} to {@code row} through a collection-valued navigation property
     * ({@code POST row/collectionNavigation/$ref}); either may be an earlier operation's row.
     *
     * <pre>{@code
     * Changeset.create()
     *         .create("contacts", RowValues.create().set("fullname", "Ada")).as("ada")
     *         .associate(RowRef.of("accounts", accountId), "contact_customer_accounts", RowRef.operation("ada"));
     * }</pre>
     */
    public Changeset associate(RowRef row, String collectionNavigation, RowRef related) {
        return add(Operation.associate(row, collectionNavigation, related));
    }

    /**
     * Removes {@code related} from {@code row}'s collection ({@code DELETE row/collectionNavigation(<id>)/$ref}, or
     * {@code $ref?$id=...} for a row named by alternate key or by an earlier operation); a row that is not related
     * to {@code row} stays as it is.
     *
     * <pre>{@code
     * changeset.disassociate(RowRef.of("accounts", accountId), "contact_customer_accounts", RowRef.of("contacts", contactId));
     * }</pre>
     */
    public Changeset disassociate(RowRef row, String collectionNavigation, RowRef related) {
        return add(Operation.disassociate(row, collectionNavigation, related));
    }

    /**
     * Points {@code row}'s single-valued navigation property at {@code target} ({@code PUT row/singleNavigation/$ref}).
     *
     * <pre>{@code
     * changeset.setReference(RowRef.operation("ada"), "parentcustomerid_account", RowRef.of("accounts", accountId));
     * }</pre>
     */
    public Changeset setReference(RowRef row, String singleNavigation, RowRef target) {
        return add(Operation.setReference(row, singleNavigation, target));
    }

    /**
     * Points {@code row}'s single-valued navigation property nowhere ({@code DELETE row/singleNavigation/$ref}).
     *
     * <pre>{@code
     * changeset.clearReference(RowRef.of("contacts", contactId), "parentcustomerid_account");
     * }</pre>
     */
    public Changeset clearReference(RowRef row, String singleNavigation) {
        return add(Operation.clearReference(row, singleNavigation));
    }

    /** Names the last operation added, for {@link RowRef#operation(String)} and {@link ChangesetResult#get(String)}. */
    public Changeset as(String name) {
        if (operations.isEmpty()) {
            throw new IllegalStateException("add an operation before naming it");
        }
        if (names.putIfAbsent(name, operations.size() - 1) != null) {
            throw new IllegalArgumentException("the name '" + name + "' is already used in this changeset");
        }
        return this;
    }

    /**
     * Asks for the last operation's row as stored ({@code Prefer: return=representation}), with only the id and
     * {@code columns} when any are named. It comes back in {@link OperationResult#row()} with its new ETag, so a
     * next write can be guarded by that ETag without reading the row again.
     */
    public Changeset returning(String... columns) {
        if (operations.isEmpty()) {
            throw new IllegalStateException("add an operation before asking for its row");
        }
        Operation last = operations.get(operations.size() - 1);
        if (last.isReference() || (!last.method().equals("POST") && !last.method().equals("PATCH"))) {
            throw new IllegalStateException("only a create, update or upsert returns its row");
        }
        for (String c : columns) {
            if (!COLUMN.matcher(c).matches()) {
                throw new IllegalArgumentException("not a column name: '" + c + "'");
            }
        }
        Operation op = last.withHeader("Prefer", "return=representation");
        if (columns.length > 0) {
            op = op.withQuery("$select=" + String.join(",", columns));
        }
        operations.set(operations.size() - 1, op);
        return this;
    }

    public int size() {
        return operations.size();
    }

    private Changeset add(Operation op) {
        if (operations.size() >= MAX_OPERATIONS) {
            throw new IllegalStateException("a changeset holds at most " + MAX_OPERATIONS + " operations");
        }
        checkReferences(op);
        operations.add(op);
        return this;
    }

    private void checkReferences(Operation op) {
        if (op.target() != null && op.target().operationName().isPresent()) {
            requireName(op.target().operationName().get());
        }
        if (op.related() != null && op.related().operationName().isPresent()) {
            requireName(op.related().operationName().get());
        }
        if (op.body() != null) {
            for (Object v : op.body().entries().values()) {
                if (v instanceof RowValues.Binding b && b.target() != null && b.target().operationName().isPresent()) {
                    requireName(b.target().operationName().get());
                }
            }
        }
    }

    private void requireName(String name) {
        if (!names.containsKey(name)) {
            throw new IllegalArgumentException("no earlier operation is named '" + name + "'");
        }
    }

    List<Operation> operations() {
        return List.copyOf(operations);
    }

    /** Position (from 0) of the named operation. */
    int indexOf(String name) {
        Integer i = names.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no operation is named '" + name + "'");
        }
        return i;
    }

    Map<String, Integer> names() {
        return Map.copyOf(names);
    }

    boolean guarded() {
        return operations.stream().allMatch(Operation::guarded);
    }
}
