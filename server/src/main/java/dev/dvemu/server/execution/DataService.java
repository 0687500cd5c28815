package dev.dvemu.server.execution;

import dev.dvemu.plugin.ConcurrencyBehavior;
import dev.dvemu.plugin.DataverseFault;
import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.OrganizationService;
import dev.dvemu.plugin.QueryByAttribute;
import dev.dvemu.plugin.Relationship;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.store.SortKey;
import dev.dvemu.server.store.SqlFragment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@link OrganizationService} a step gets: reads and writes in its operation's unit of work — the same
 * transaction — through the one {@link Executor}, so a write runs its own steps, one level deeper.
 */
final class DataService implements OrganizationService {
    /** Dataverse's largest page: a query without a top count reads at most this many rows. */
    private static final int MAX_ROWS = 5000;

    /** A failed call: the plug-in sees the Dataverse code; uncaught, the operation fails with the call's own error. */
    static final class ServiceFault extends DataverseFault {
        private final transient DataverseException error;

        ServiceFault(DataverseException error) {
            super(error.code(), error.status(), error.getMessage());
            this.error = error;
        }

        DataverseException error() {
            return error;
        }
    }

    private final ExecutionContext caller;
    private final Executor executor;
    private final UnitOfWork unit;

    DataService(ExecutionContext caller) {
        this.caller = caller;
        this.executor = caller.run().executor();
        this.unit = caller.run().unit();
    }

    @Override
    public UUID create(Entity entity) {
        return call(() -> {
            TableDef table = table(entity.logicalName());
            Payload payload = new Payload(table, entity.id(), EntityValues.fromEntity(table, entity), Map.of());
            return write(new WriteOperation.Create(table, payload)).requireRow().id();
        });
    }

    @Override
    public Entity retrieve(String logicalName, UUID id, String... columns) {
        return call(() -> {
            TableDef table = table(logicalName);
            List<ColumnDef> chosen = columns(table, List.of(columns));
            RowAddress address = RowAddress.byId(table, id);
            Row row = executor.find(unit, address, false).orElseThrow(() -> RowStore.notFound(address));
            return EntityValues.toEntity(row, chosen);
        });
    }

    @Override
    public List<Entity> retrieveMultiple(QueryByAttribute query) {
        return call(() -> {
            TableDef table = table(query.logicalName());
            List<ColumnDef> chosen = columns(table, query.columns());
            SqlFragment.Builder filter = new SqlFragment.Builder();
            boolean first = true;
            for (Map.Entry<String, Object> condition : query.conditions().entrySet()) {
                ColumnDef column = column(table, condition.getKey());
                Object value = condition.getValue() instanceof EntityReference r ? r.id()
                        : condition.getValue() == null ? null : EntityValues.fromPlugin(table, column, condition.getValue());
                filter.append(first ? "" : " AND ").append(column.name());
                if (value == null) {
                    filter.append(" IS NULL");
                } else {
                    filter.append(" = ").param(value, column);
                }
                first = false;
            }
            List<SortKey> order = new ArrayList<>();
            for (String name : query.orderBy()) {
                boolean descending = name.startsWith("-");
                order.add(new SortKey(column(table, descending ? name.substring(1) : name), descending));
            }
            RowQuery rowQuery = new RowQuery(table, first ? Optional.empty() : Optional.of(filter.build()), order,
                    Math.min(query.top().orElse(MAX_ROWS), MAX_ROWS), Optional.empty());
            List<Entity> out = new ArrayList<>();
            for (Row row : executor.query(unit, rowQuery)) {
                out.add(EntityValues.toEntity(row, chosen));
            }
            return out;
        });
    }

    @Override
    public void update(Entity entity) {
        update(entity, ConcurrencyBehavior.DEFAULT);
    }

    @Override
    public void update(Entity entity, ConcurrencyBehavior behavior) {
        call(() -> {
            TableDef table = table(entity.logicalName());
            UUID id = entity.id().orElseThrow(() -> DataverseError.BAD_REQUEST.exception(
                    "An update needs the id of the " + table.logicalName() + " row to update."));
            Precondition precondition = Precondition.EXISTS;
            if (behavior == ConcurrencyBehavior.IF_ROW_VERSION_MATCHES) {
                if (entity.version().isEmpty()) {
                    throw DataverseError.BAD_REQUEST.exception("An update with IfRowVersionMatches needs the row's version.");
                }
                precondition = new Precondition.VersionEquals(entity.version().getAsLong());
            }
            Payload payload = new Payload(table, Optional.of(id), EntityValues.fromEntity(table, entity), Map.of());
            return write(new WriteOperation.Patch(RowAddress.byId(table, id), payload, precondition));
        });
    }

    @Override
    public void delete(String logicalName, UUID id) {
        call(() -> write(new WriteOperation.Delete(RowAddress.byId(table(logicalName), id), Precondition.NONE)));
    }

    @Override
    public void associate(String logicalName, UUID id, Relationship relationship, List<EntityReference> relatedEntities) {
        relate(logicalName, id, relationship, relatedEntities, true);
    }

    @Override
    public void disassociate(String logicalName, UUID id, Relationship relationship, List<EntityReference> relatedEntities) {
        relate(logicalName, id, relationship, relatedEntities, false);
    }

    private void relate(String logicalName, UUID id, Relationship relationship, List<EntityReference> relatedEntities,
                        boolean associate) {
        call(() -> {
            TableDef table = table(logicalName);
            CollectionNavigation r = executor.catalog().collectionNavigation(table, relationship.schemaName())
                    .orElseThrow(() -> DataverseError.BAD_REQUEST.exception("The relationship '" + relationship.schemaName()
                            + "' does not relate " + table.logicalName() + " rows to others: name a many-to-many relationship"
                            + " of the table, or a one-to-many relationship whose lookup points at it."));
            RowAddress owner = RowAddress.byId(table, id);
            executor.find(unit, owner, false).orElseThrow(() -> RowStore.notFound(owner));
            Links links = new Links(executor, unit, this::write);
            for (EntityReference related : relatedEntities) {
                if (!related.logicalName().equals(r.related().logicalName())) {
                    throw DataverseError.BAD_REQUEST.exception("The relationship '" + relationship.schemaName() + "' relates "
                            + r.related().logicalName() + " rows, not " + related.logicalName() + " rows.");
                }
                if (associate) {
                    RowAddress address = RowAddress.byId(r.related(), related.id());
                    executor.find(unit, address, false).orElseThrow(() -> RowStore.notFound(address));
                    links.associate(r, id, related.id());
                } else {
                    links.disassociate(r, id, related.id());
                }
            }
            return null;
        });
    }

    private WriteResult write(WriteOperation op) {
        return executor.execute(unit, caller.run().options(), op, caller);
    }

    private TableDef table(String logicalName) {
        return executor.catalog().byLogicalName(logicalName).orElseThrow(() ->
                DataverseError.NO_SUCH_ENTITY.exception(logicalName));
    }

    private static List<ColumnDef> columns(TableDef table, List<String> names) {
        List<ColumnDef> out = new ArrayList<>();
        for (String name : names) {
            out.add(column(table, name));
        }
        return out;
    }

    private static ColumnDef column(TableDef table, String name) {
        return table.column(name).orElseThrow(() -> DataverseError.NO_SUCH_ATTRIBUTE.exception(table.logicalName(), name));
    }

    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataverseException e) {
            throw new ServiceFault(e);
        }
    }
}
