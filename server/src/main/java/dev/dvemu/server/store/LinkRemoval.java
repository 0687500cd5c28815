package dev.dvemu.server.store;

import dev.dvemu.server.metadata.CascadeDelete;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ReferencingLookup;
import dev.dvemu.server.metadata.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RemoveLink as Dataverse does it: deleting a row clears the lookups that point at it, and each cleared row is
 * <em>updated</em> — a new versionnumber and modifiedon, so an ETag a client holds for it no longer matches. The
 * lookup's foreign key ({@code ON DELETE SET NULL}) alone would clear the value without either, so before the delete,
 * in its transaction, this runs {@code UPDATE <child> SET <lookup> = NULL, versionnumber = nextval(..), modifiedon =
 * now} for every RemoveLink lookup that points at the row — or at a row that a Cascade relationship deletes with it
 * (account → its contacts → the accounts whose primary contact they are).
 *
 * <p>Concurrency: the row and the rows its cascades reach are locked first ({@code FOR UPDATE}), which waits for and
 * then blocks every insert or update that would make a new child point at them (such a write takes
 * {@code FOR KEY SHARE} on the row it points at). Every child therefore exists when the UPDATE runs (and gets its new
 * version) or fails afterwards on the foreign key, as if the delete had come first.
 *
 * <p>The statements are text derived from metadata only, built once per table (at its first delete). Cascade paths visit each table once: the deeper
 * levels of a table's cascade onto itself (a hierarchy) are left to the foreign key, without new versions.
 */
public final class LinkRemoval {
    /**
     * The rows a delete reaches: {@code ids} is a sub-select of their ids given the deleted row's id as its one
     * parameter ({@code ?} itself for the deleted row).
     */
    private record Reached(TableDef table, String ids, int depth) {
    }

    /** One statement of a plan; each of its {@code params} parameters is the deleted row's id. */
    private record Statement(String sql, int params) {
    }

    private record Plan(List<Statement> locks, List<Statement> updates) {
        boolean isEmpty() {
            return updates.isEmpty();
        }
    }

    private final Catalog catalog;
    /**
     * Each table's plan, made at its first delete: an org has hundreds of tables, most never deleted from in a run,
     * and walking every table's cascades at start-up would cost seconds.
     */
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    public LinkRemoval(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Whether deleting a row of {@code table} updates other rows first (and so needs a transaction). */
    public boolean needed(TableDef table) {
        return !plan(table).isEmpty();
    }

    private Plan plan(TableDef table) {
        return plans.computeIfAbsent(table.logicalName(), name -> plan(catalog, table));
    }

    /**
     * Locks the row at {@code address} and the rows its cascades reach, and clears, as updates, the RemoveLink
     * lookups that point at them. Does nothing when the row does not exist (the delete then answers 404). Must run in
     * the delete's transaction, before the delete.
     */
    public void clearLinks(Connection c, RowAddress address) throws SQLException {
        Plan plan = plan(address.table());
        if (plan.isEmpty()) {
            return;
        }
        Optional<UUID> id = lockRow(c, address);
        if (id.isEmpty()) {
            return;
        }
        for (Statement s : plan.locks()) {
            run(c, s, id.get(), true);
        }
        for (Statement s : plan.updates()) {
            run(c, s, id.get(), false);
        }
    }

    private static Optional<UUID> lockRow(Connection c, RowAddress address) throws SQLException {
        TableDef t = address.table();
        StringBuilder sql = new StringBuilder("SELECT ").append(t.primaryId().name()).append(" FROM ").append(t.logicalName())
                .append(" WHERE ");
        int i = 0;
        for (var col : address.values().keySet()) {
            sql.append(i++ == 0 ? "" : " AND ").append(col.name()).append(" = ?");
        }
        sql.append(" FOR UPDATE");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int index = 1;
            for (var e : address.values().entrySet()) {
                SqlValues.bind(ps, index++, e.getKey(), e.getValue());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static void run(Connection c, Statement s, UUID id, boolean query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            for (int i = 1; i <= s.params(); i++) {
                ps.setObject(i, id);
            }
            if (query) {
                ps.executeQuery().close();
            } else {
                ps.executeUpdate();
            }
        }
    }

    /** The locks and updates for a delete of a {@code root} row, or an empty plan when no RemoveLink is reached. */
    private static Plan plan(Catalog catalog, TableDef root) {
        List<Statement> locks = new ArrayList<>();
        List<Statement> updates = new ArrayList<>();
        walk(catalog, new Reached(root, "?", 0), new HashSet<>(Set.of(root.logicalName())), root, locks, updates);
        return new Plan(locks, updates);
    }

    /**
     * Adds the updates for the RemoveLink lookups pointing at {@code reached}, and goes on along its Cascade
     * relationships; returns whether anything was added, so that only the rows on the way to an update are locked.
     */
    private static boolean walk(Catalog catalog, Reached reached, Set<String> onPath, TableDef root,
                                List<Statement> locks, List<Statement> updates) {
        boolean any = false;
        List<Statement> below = new ArrayList<>();
        for (ReferencingLookup ref : catalog.lookupsTargeting(reached.table())) {
            TableDef child = ref.referencing();
            String lookup = ref.lookup().name();
            String condition = reached.depth() == 0 ? lookup + " = ?" : lookup + " IN (" + reached.ids() + ")";
            if (ref.behaviour() == CascadeDelete.REMOVE_LINK) {
                StringBuilder sql = new StringBuilder("UPDATE ").append(child.logicalName()).append(" SET ")
                        .append(lookup).append(" = NULL, ").append(TableDef.VERSION_NUMBER).append(" = ")
                        .append(RowStore.NEXT_VERSION).append(", ").append(TableDef.MODIFIED_ON).append(" = ")
                        .append(RowStore.NOW).append(" WHERE ").append(condition);
                int params = 1;
                if (child.logicalName().equals(root.logicalName())) {
                    // the deleted row itself is not updated: its If-Match must still hold at the delete
                    sql.append(" AND ").append(child.primaryId().name()).append(" <> ?");
                    params++;
                }
                below.add(new Statement(sql.toString(), params));
                any = true;
            } else if (ref.behaviour() == CascadeDelete.CASCADE && !onPath.contains(child.logicalName())) {
                String ids = "SELECT " + child.primaryId().name() + " FROM " + child.logicalName() + " WHERE " + condition;
                onPath.add(child.logicalName());
                List<Statement> childLocks = new ArrayList<>();
                List<Statement> childUpdates = new ArrayList<>();
                if (walk(catalog, new Reached(child, ids, reached.depth() + 1), onPath, root, childLocks, childUpdates)) {
                    locks.add(new Statement(ids + " FOR UPDATE", 1));
                    locks.addAll(childLocks);
                    below.addAll(childUpdates);
                    any = true;
                }
                onPath.remove(child.logicalName());
            }
        }
        updates.addAll(below);
        return any;
    }
}
