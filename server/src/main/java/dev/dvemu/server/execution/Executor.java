package dev.dvemu.server.execution;

import dev.dvemu.plugin.Message;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.store.LinkRemoval;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.RowStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only caller of the store's writes. Every write — a request's, a changeset operation's, a plug-in's — arrives
 * here as a {@link WriteOperation} with its {@link UnitOfWork}. Without a step registered for it (or with the
 * bypass headers), the write is the store call alone, in the unit's transaction or in autocommit; with steps, an
 * {@link OperationRun} runs PreValidation, PreOperation, the write and PostOperation in one transaction. A delete
 * whose row RemoveLink relationships point at updates those rows first ({@link LinkRemoval}), in one transaction.
 */
public final class Executor {
    /** Dataverse's limit on the depth of operations plug-ins start (IExecutionContext.Depth). */
    static final int MAX_DEPTH = 8;

    private final Catalog catalog;
    private final RowStore store;
    private final StepRegistry steps;
    private final LinkRemoval linkRemoval;

    public Executor(Catalog catalog, RowStore store, StepRegistry steps) {
        this.catalog = catalog;
        this.store = store;
        this.steps = steps;
        this.linkRemoval = new LinkRemoval(catalog);
    }

    /** Runs a request's own write (depth 1). */
    public WriteResult execute(UnitOfWork unit, RequestOptions options, WriteOperation op) {
        return execute(unit, options, op, null);
    }

    /** Runs a write, started by a request ({@code parent} null) or by the plug-in running in {@code parent}. */
    WriteResult execute(UnitOfWork unit, RequestOptions options, WriteOperation op, ExecutionContext parent) {
        if (parent != null && parent.depth() >= MAX_DEPTH) {
            throw DataverseError.PLUGIN_DEPTH_EXCEEDED.exception();
        }
        if (options.bypassCustomSync() || !hasSteps(op)) {
            return perform(unit, op);
        }
        if (op instanceof WriteOperation.Link link) {
            return new AssociationRun(this, unit, options, link, parent).run();
        }
        return new OperationRun(this, unit, options, op, parent).run();
    }

    /**
     * Runs a request's call of a custom API (depth 1): its steps and its plug-in, in the unit's transaction or one of
     * its own. Returns the response properties, in declared order.
     */
    public Map<String, Object> call(UnitOfWork unit, RequestOptions options, CustomApiCall call) {
        return new CustomApiRun(this, unit, options, call, null).run();
    }

    /** Reads one row, in the unit's transaction if it has one; with {@code lock}, holds the row until the commit. */
    public Optional<Row> find(UnitOfWork unit, RowAddress address, boolean lock) {
        return unit.read(c -> lock ? store.findForUpdate(c, address) : store.find(c, address));
    }

    public List<Row> query(UnitOfWork unit, RowQuery query) {
        return unit.read(c -> store.query(c, query));
    }

    Catalog catalog() {
        return catalog;
    }

    StepRegistry steps() {
        return steps;
    }

    RowStore store() {
        return store;
    }

    private boolean hasSteps(WriteOperation op) {
        if (steps.size() == 0) {
            return false;
        }
        if (op instanceof WriteOperation.Create) {
            return steps.any(Message.CREATE, op.table());
        } else if (op instanceof WriteOperation.Patch p) {
            if (p.precondition() instanceof Precondition.None) {
                return steps.any(Message.CREATE, p.table()) || steps.any(Message.UPDATE, p.table());
            }
            return steps.any(p.precondition() instanceof Precondition.Absent ? Message.CREATE : Message.UPDATE, p.table());
        } else if (op instanceof WriteOperation.SetColumn) {
            return steps.any(Message.UPDATE, op.table());
        } else if (op instanceof WriteOperation.Associate) {
            return steps.any(Message.ASSOCIATE, StepRegistry.ANY_TABLE);
        } else if (op instanceof WriteOperation.Disassociate) {
            return steps.any(Message.DISASSOCIATE, StepRegistry.ANY_TABLE);
        }
        return steps.any(Message.DELETE, op.table());
    }

    /** The write itself: one store call, joining the unit's transaction or alone in autocommit. */
    WriteResult perform(UnitOfWork unit, WriteOperation op) {
        if (op instanceof WriteOperation.Create c) {
            return unit.write(conn -> WriteResult.of(
                    store.create(conn, c.table(), c.payload().id(), c.payload().resolve(conn, store)), true));
        } else if (op instanceof WriteOperation.Patch p) {
            return unit.write(conn -> {
                RowStore.WriteOutcome outcome = store.write(conn, p.address(), p.payload().resolve(conn, store), p.precondition());
                return WriteResult.of(outcome.row(), outcome.created());
            });
        } else if (op instanceof WriteOperation.SetColumn s) {
            return unit.write(conn -> WriteResult.of(store.setColumn(conn, s.address(), s.column(), s.value()), false));
        } else if (op instanceof WriteOperation.Associate a) {
            return unit.write(conn -> {
                store.link(conn, a.side(), a.owner(), a.related());
                return WriteResult.LINKED;
            });
        } else if (op instanceof WriteOperation.Disassociate d) {
            return unit.write(conn -> {
                store.unlink(conn, d.side(), d.owner(), d.related());
                return WriteResult.LINKED;
            });
        }
        WriteOperation.Delete d = (WriteOperation.Delete) op;
        if (!linkRemoval.needed(d.table())) {
            // Cascade and Restrict are the foreign keys' own: the delete stays one statement
            return unit.write(conn -> {
                store.delete(conn, d.address(), d.precondition());
                return WriteResult.DELETED;
            });
        }
        // RemoveLink: every child whose lookup the delete clears is updated first, atomically with the delete
        return unit.inTransaction(() -> unit.write(conn -> {
            linkRemoval.clearLinks(conn, d.address());
            store.delete(conn, d.address(), d.precondition());
            return WriteResult.DELETED;
        }));
    }
}
