package dev.dvemu.server.store;

import dev.dvemu.server.metadata.ColumnDef;

/** One {@code $orderby} item. */
public record SortKey(ColumnDef column, boolean descending) {
}
