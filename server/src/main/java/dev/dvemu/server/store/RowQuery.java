package dev.dvemu.server.store;

import dev.dvemu.server.metadata.TableDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A collection read: filter, order, how many rows, and where the previous page ended.
 *
 * @param orderBy the client's $orderby; {@link #sortKeys()} adds the id so the order is total and paging stable
 * @param after   the sort values of the last row of the previous page (keyset paging)
 */
public record RowQuery(TableDef table, Optional<SqlFragment> filter, List<SortKey> orderBy, int limit,
                       Optional<List<Object>> after) {
    public RowQuery {
        orderBy = List.copyOf(orderBy);
    }

    public List<SortKey> sortKeys() {
        return sortKeys(table, orderBy);
    }

    /** The client's order plus the id, which makes the order total. */
    public static List<SortKey> sortKeys(TableDef table, List<SortKey> orderBy) {
        List<SortKey> keys = new ArrayList<>(orderBy);
        if (keys.stream().noneMatch(k -> k.column().equals(table.primaryId()))) {
            keys.add(new SortKey(table.primaryId(), false));
        }
        return keys;
    }
}
