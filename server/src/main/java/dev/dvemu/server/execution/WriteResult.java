package dev.dvemu.server.execution;

import dev.dvemu.server.store.Row;

import java.util.Optional;

/** What a write did: the row as it is now (none after a delete), and whether the write created it. */
public record WriteResult(Optional<Row> row, boolean created) {
    static final WriteResult DELETED = new WriteResult(Optional.empty(), false);
    /** An association or disassociation: a link, no row, written. */
    static final WriteResult LINKED = new WriteResult(Optional.empty(), false);

    static WriteResult of(Row row, boolean created) {
        return new WriteResult(Optional.of(row), created);
    }

    /** The row written; an {@link IllegalStateException} after a delete. */
    public Row requireRow() {
        return row.orElseThrow(() -> new IllegalStateException("a delete or an association leaves no row"));
    }
}
