package dev.dvemu.server.metadata;

import java.util.List;

/**
 * An alternate key: a set of columns whose values are unique per row, enforced by a unique index in PostgreSQL.
 * Rows can be addressed by it in URLs ({@code accounts(accountnumber='A-1')}).
 */
public record AlternateKey(String name, List<ColumnDef> columns) {
    public AlternateKey {
        columns = List.copyOf(columns);
    }

    /** The name of the unique index that enforces this key. */
    public String indexName(TableDef table) {
        return table.logicalName() + "_" + name;
    }
}
