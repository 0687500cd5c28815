package dev.dvemu.server.execution;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Stage;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One write with its steps, as Dataverse's event pipeline runs it (§f): PreValidation outside the transaction for
 * a request's own operation outside a changeset (inside it otherwise), then in one transaction PreOperation, the
 * write with the Target as the steps left it, and PostOperation. Anything a step throws rolls all of it back — and,
 * in a changeset, the changeset.
 */
final class OperationRun extends PipelineRun {
    private final WriteOperation op;
    private final TableDef table;

    OperationRun(Executor executor, UnitOfWork unit, RequestOptions options, WriteOperation op, ExecutionContext parent) {
        super(executor, unit, options, parent, messageOf(executor, unit, op));
        this.op = op;
        this.table = op.table();
    }

    WriteResult run() {
        Object target = target();
        input.put("Target", target);
        boolean preValidationOutside = !unit().inTransaction();
        if (preValidationOutside) {
            readImageRow(false);
            stage(Stage.PRE_VALIDATION, false);
        }
        return unit().inTransaction(() -> {
            // inside the transaction the image is read (again), locked: it stays true until the write
            readImageRow(true);
            if (!preValidationOutside) {
                stage(Stage.PRE_VALIDATION, true);
            }
            stage(Stage.PRE_OPERATION, true);
            WriteResult result = executor().perform(unit(), effective(input.get("Target")));
            if (result.row().isPresent()) {
                after = result.row().get();
                primaryId = after.id();
            }
            if (message.equals(Message.CREATE)) {
                output.put("id", primaryId);
            }
            stage(Stage.POST_OPERATION, true);
            return result;
        });
    }

    TableDef table() {
        return table;
    }

    @Override
    String primaryEntityName() {
        return table.logicalName();
    }

    /** Create or Update (an upsert is whichever it does, decided by whether the row exists now), or Delete. */
    private static String messageOf(Executor executor, UnitOfWork unit, WriteOperation op) {
        if (op instanceof WriteOperation.Create) {
            return Message.CREATE;
        } else if (op instanceof WriteOperation.Patch p) {
            if (p.precondition() instanceof Precondition.Absent) {
                return Message.CREATE;
            }
            if (p.precondition() instanceof Precondition.None) {
                return executor.find(unit, p.address(), false).isPresent() ? Message.UPDATE : Message.CREATE;
            }
            return Message.UPDATE;
        } else if (op instanceof WriteOperation.SetColumn) {
            return Message.UPDATE;
        }
        return Message.DELETE;
    }

    /** {@code Target}: the values to write (Create, Update), or the row's reference (Delete). */
    private Object target() {
        if (op instanceof WriteOperation.Delete d) {
            primaryId = existingId(d.address());
            return new EntityReference(table.logicalName(), primaryId);
        }
        Map<ColumnDef, Object> values;
        Optional<UUID> id;
        if (op instanceof WriteOperation.Create c) {
            values = unit().read(conn -> c.payload().resolve(conn, executor().store()));
            id = c.payload().id();
        } else if (op instanceof WriteOperation.Patch p) {
            values = new LinkedHashMap<>(unit().read(conn -> p.payload().resolve(conn, executor().store())));
            id = p.address().id().or(() -> p.payload().id());
            if (message.equals(Message.UPDATE)) {
                id = Optional.of(existingId(p.address()));
            } else {
                // a create by alternate key: the key's values are the new row's
                p.address().values().forEach(values::putIfAbsent);
                values.remove(table.primaryId());
            }
        } else {
            WriteOperation.SetColumn s = (WriteOperation.SetColumn) op;
            Map<ColumnDef, Object> one = new LinkedHashMap<>();
            one.put(s.column(), s.value());
            values = one;
            id = Optional.of(existingId(s.address()));
        }
        id.ifPresent(v -> primaryId = v);
        return EntityValues.toEntity(table, id, values);
    }

    private UUID existingId(RowAddress address) {
        if (address.id().isPresent()) {
            return address.id().get();
        }
        return executor().find(unit(), address, false).map(Row::id).orElseThrow(() -> RowStore.notFound(address));
    }

    /** Reads the row as it is before the write, when a step of this operation declares a pre-image. */
    private void readImageRow(boolean lock) {
        if (message.equals(Message.CREATE) || !anyPreImage()) {
            return;
        }
        RowAddress address = RowAddress.byId(table, primaryId);
        before = executor().find(unit(), address, lock).orElseThrow(() -> RowStore.notFound(address));
    }

    private boolean anyPreImage() {
        for (Stage stage : Stage.values()) {
            for (StepRegistry.Registered r : steps(stage)) {
                if (!r.preImages().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The write to perform: the operation as the steps left its Target. */
    private WriteOperation effective(Object target) {
        if (op instanceof WriteOperation.Delete) {
            return op;
        }
        if (!(target instanceof Entity entity) || !entity.logicalName().equals(table.logicalName())) {
            throw new IllegalStateException("a step replaced the Target of " + message + " with " + target);
        }
        Map<ColumnDef, Object> values = EntityValues.fromEntity(table, entity);
        Optional<UUID> id = entity.id();
        Payload payload = new Payload(table, id, values, Map.of());
        if (op instanceof WriteOperation.Create) {
            return new WriteOperation.Create(table, payload);
        }
        if (message.equals(Message.CREATE)) {
            // an upsert that creates, or If-None-Match: *
            WriteOperation.Patch p = (WriteOperation.Patch) op;
            if (p.address().alternateKey().isPresent()) {
                return new WriteOperation.Create(table, payload);
            }
            return new WriteOperation.Patch(p.address(), payload, Precondition.ABSENT);
        }
        RowAddress address = RowAddress.byId(table, primaryId);
        // an upsert that updates must find the row it decided on; a client's If-Match stays as it was
        Precondition precondition = op instanceof WriteOperation.Patch p && !(p.precondition() instanceof Precondition.None)
                ? p.precondition() : Precondition.EXISTS;
        return new WriteOperation.Patch(address, payload, precondition);
    }
}
