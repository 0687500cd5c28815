package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates a row with the rows nested in its body (deep insert, §3), in one transaction — the unit's own, or the
 * changeset's — so that any failure, at any level, leaves nothing of the request. Every row is a Create (every bound
 * row an Update of its lookup) through the {@link Executor}, so each runs its own plug-in steps. Order: a row's
 * lookup targets first, then the row, then its related rows, depth first, in the order of the body.
 */
public final class DeepInsert {
    private final Executor executor;
    private final UnitOfWork unit;
    private final RequestOptions options;

    private DeepInsert(Executor executor, UnitOfWork unit, RequestOptions options) {
        this.executor = executor;
        this.unit = unit;
        this.options = options;
    }

    /** Creates {@code row} and everything nested in it; returns the top row as it is once all of it is written. */
    public static Row create(Executor executor, UnitOfWork unit, RequestOptions options, NewRow row) {
        DeepInsert insert = new DeepInsert(executor, unit, options);
        return unit.inTransaction(() -> {
            RowAddress top = RowAddress.byId(row.table(), insert.create(row, Map.of()));
            // read again: the steps of a nested create may have changed the top row since it was written
            return executor.find(unit, top, false).orElseThrow(() -> RowStore.notFound(top));
        });
    }

    /** Creates {@code row} with {@code links} (its lookup to the row it is nested in) set; returns its id. */
    private UUID create(NewRow row, Map<ColumnDef, Object> links) {
        Payload payload = row.payload();
        Map<ColumnDef, Object> values = new LinkedHashMap<>(payload.values());
        for (Map.Entry<ColumnDef, NewRow> target : row.referenced().entrySet()) {
            values.put(target.getKey(), create(target.getValue(), Map.of()));
        }
        values.putAll(links);
        Payload complete = new Payload(row.table(), payload.id(), values, payload.keyBinds());
        UUID id = executor.execute(unit, options, new WriteOperation.Create(row.table(), complete)).requireRow().id();
        for (RelatedRows related : row.related()) {
            relate(id, related);
        }
        return id;
    }

    /**
     * Relates the new row {@code id} to the rows of one collection-valued navigation property: the one place where
     * what relating means is decided. For a one-to-many relationship the related row's lookup points at the new row
     * (part of its Create, or an Update of a bound row); for a many-to-many one each row is linked (Associate).
     */
    private void relate(UUID id, RelatedRows related) {
        if (related.relationship() instanceof ManyToMany.Side side) {
            for (NewRow created : related.created()) {
                associate(side, id, create(created, Map.of()));
            }
            for (RowAddress bound : related.bound()) {
                associate(side, id, executor.find(unit, bound, false).orElseThrow(() -> RowStore.notFound(bound)).id());
            }
            return;
        }
        OneToMany relationship = (OneToMany) related.relationship();
        Map<ColumnDef, Object> link = Map.of(relationship.lookup(), id);
        for (NewRow created : related.created()) {
            create(created, link);
        }
        for (RowAddress bound : related.bound()) {
            Payload payload = new Payload(relationship.referencing(), Optional.empty(), link, Map.of());
            executor.execute(unit, options, new WriteOperation.Patch(bound, payload, Precondition.EXISTS));
        }
    }

    private void associate(ManyToMany.Side side, UUID owner, UUID related) {
        executor.execute(unit, options, new WriteOperation.Associate(side, owner, related));
    }
}
