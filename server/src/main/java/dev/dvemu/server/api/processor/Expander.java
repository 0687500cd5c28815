package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.api.query.Expansions;
import dev.dvemu.server.api.query.SkipTokens;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.store.SortKey;
import dev.dvemu.server.store.SqlFragment;
import org.apache.olingo.server.api.ODataRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads what {@code $expand} adds to a page of rows: one statement per expanded navigation property, batched by the
 * page's keys ({@code = ANY(?)}), never one per row (architecture: "no N+1"). A lookup's rows are read by the ids the
 * page's lookups hold; a relationship's rows by the page's ids in their lookup, in the expansion's order, cut to its
 * {@code $top} per parent row.
 */
final class Expander {
    /** Dataverse returns at most this many related rows per parent row of a single-level collection expansion. */
    private static final int MAX_RELATED = 5000;

    private Expander() {
    }

    /**
     * How expanded collections are paged (§b): single-level expansions not at all, each parent's rows followed by a
     * link without paging information; once any expansion is nested, with {@code Prefer: odata.maxpagesize=N}, every
     * expanded collection is cut to N per parent row, with a {@code $skiptoken} link to the rest.
     */
    record Paging(boolean nestedMode, OptionalInt pageSize) {
        static Paging of(Expansions expansions, Integer maxPageSize) {
            boolean nested = expansions.hasNested();
            return new Paging(nested, nested && maxPageSize != null && maxPageSize > 0
                    ? OptionalInt.of(Math.min(maxPageSize, MAX_RELATED)) : OptionalInt.empty());
        }
    }

    /** The expansions of {@code rows}, and of their related rows level by level: one statement per property and level. */
    static RowJson.Expansions read(Api api, UnitOfWork unit, ODataRequest request, Expansions expansions, List<Row> rows,
                                   Paging paging) {
        if (expansions.isEmpty() || rows.isEmpty()) {
            return RowJson.Expansions.NONE;
        }
        Map<UUID, List<RowJson.Expanded>> byRow = new HashMap<>();
        for (Expansions.Item item : expansions.items()) {
            if (item instanceof Expansions.LookupReference ref) {
                for (Row row : rows) {
                    UUID target = (UUID) row.get(ref.lookup());
                    byRow.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(new RowJson.ExpandedReference(ref.navigation(),
                            target == null ? null : Requests.rowUrl(request, RowAddress.byId(ref.target(), target))));
                }
            } else if (item instanceof Expansions.SingleValued one) {
                Map<UUID, Row> targets = lookupRows(api, unit, one, rows);
                // the next level: one statement for the related rows of the whole level, again
                RowJson.Expansions nested = read(api, unit, request, one.nested(), List.copyOf(targets.values()), paging);
                for (Row row : rows) {
                    UUID target = (UUID) row.get(one.lookup());
                    byRow.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(new RowJson.ExpandedRow(one.navigation(),
                            target == null ? null : targets.get(target), one.columns(), nested));
                }
            } else {
                Expansions.CollectionValued many = (Expansions.CollectionValued) item;
                int perParent = many.top().map(t -> Math.min(t, MAX_RELATED)).orElse(MAX_RELATED);
                if (paging.pageSize().isPresent()) {
                    perParent = paging.pageSize().getAsInt() + 1; // one more tells whether there is a next page
                }
                Map<UUID, List<Row>> related = relatedRows(api, unit, many, rows, perParent);
                Map<UUID, String> links = new HashMap<>();
                for (Row row : rows) {
                    String base = Requests.rowUrl(request, row) + "/" + many.navigation();
                    List<Row> mine = related.getOrDefault(row.id(), List.of());
                    if (paging.pageSize().isPresent()) {
                        int size = paging.pageSize().getAsInt();
                        if (mine.size() > size) {
                            mine = mine.subList(0, size);
                            related.put(row.id(), mine);
                            String query = many.linkQuery();
                            links.put(row.id(), base + "?" + (query.isEmpty() ? "" : query + "&") + "$skiptoken="
                                    + SkipTokens.encode(sortValues(many, mine.get(size - 1))));
                        }
                    } else if (!paging.nestedMode()) {
                        links.put(row.id(), base + (many.linkQuery().isEmpty() ? "" : "?" + many.linkQuery()));
                    }
                }
                List<Row> level = new ArrayList<>();
                related.values().forEach(level::addAll);
                RowJson.Expansions nested = read(api, unit, request, many.nested(), level, paging);
                for (Row row : rows) {
                    byRow.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(new RowJson.ExpandedRows(many.navigation(),
                            related.getOrDefault(row.id(), List.of()), many.columns(), links.get(row.id()), nested));
                }
            }
        }
        return row -> byRow.getOrDefault(row.id(), List.of());
    }

    private static Map<UUID, Row> lookupRows(Api api, UnitOfWork unit, Expansions.SingleValued one, List<Row> rows) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (Row row : rows) {
            Object id = row.get(one.lookup());
            if (id != null) {
                ids.add((UUID) id);
            }
        }
        Map<UUID, Row> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        SqlFragment.Builder where = new SqlFragment.Builder().anyOf(one.target().primaryId(), ids);
        one.filter().ifPresent(f -> where.append(" AND (").append(f).append(")"));
        List<Row> found = unit.read(c -> api.store().query(c, new RowQuery(one.target(), Optional.of(where.build()), List.of(),
                ids.size(), Optional.empty())));
        for (Row r : found) {
            out.put(r.id(), r);
        }
        return out;
    }

    /** The values of the expansion's sort keys in {@code row}: where the next page of a paged expansion starts. */
    private static List<Object> sortValues(Expansions.CollectionValued many, Row row) {
        List<Object> values = new ArrayList<>();
        for (SortKey k : RowQuery.sortKeys(many.relationship().related(), many.orderBy())) {
            values.add(row.get(k.column()));
        }
        return values;
    }

    private static Map<UUID, List<Row>> relatedRows(Api api, UnitOfWork unit, Expansions.CollectionValued many, List<Row> rows,
                                                    int perParent) {
        Set<UUID> parents = new LinkedHashSet<>();
        for (Row row : rows) {
            parents.add(row.id());
        }
        Map<UUID, List<Row>> out = new HashMap<>();
        if (many.relationship() instanceof ManyToMany.Side side) {
            RowQuery query = new RowQuery(side.related(), many.filter(), many.orderBy(), perParent, Optional.empty());
            for (RowStore.Linked linked : unit.read(c -> api.store().queryLinked(c, query, side, parents, perParent))) {
                out.computeIfAbsent(linked.owner(), id -> new ArrayList<>()).add(linked.row());
            }
            return out;
        }
        ColumnDef lookup = ((OneToMany) many.relationship()).lookup();
        SqlFragment.Builder where = new SqlFragment.Builder().anyOf(lookup, parents);
        many.filter().ifPresent(f -> where.append(" AND (").append(f).append(")"));
        RowQuery query = new RowQuery(many.relationship().related(), Optional.of(where.build()), many.orderBy(),
                perParent, Optional.empty());
        List<Row> found = unit.read(c -> api.store().queryPerKey(c, query, lookup, perParent));
        for (Row r : found) {
            out.computeIfAbsent((UUID) r.get(lookup), id -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
