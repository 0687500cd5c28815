package dev.dvemu.server.store;

import dev.dvemu.server.metadata.ColumnDef;

import java.util.List;

/**
 * Keyset paging: the next page is "the rows that sort after the last row of this one", so a page boundary never
 * moves when rows are inserted or deleted meanwhile. Order follows SQL Server (what Dataverse runs on):
 * NULLs first ascending, last descending.
 */
final class Keyset {
    private Keyset() {
    }

    /** The condition "sorts after {@code last}" for the query's total order. */
    static SqlFragment after(List<SortKey> keys, List<Object> last) {
        SqlFragment.Builder b = new SqlFragment.Builder();
        appendAfter(b, keys, last, 0);
        return b.build();
    }

    /** after(i) = strictlyAfter(k_i) OR (equal(k_i) AND after(i+1)) */
    private static void appendAfter(SqlFragment.Builder b, List<SortKey> keys, List<Object> last, int i) {
        SortKey k = keys.get(i);
        Object v = last.get(i);
        b.append("(");
        appendStrictlyAfter(b, k, v);
        if (i + 1 < keys.size()) {
            b.append(" OR (");
            appendEqual(b, k.column(), v);
            b.append(" AND ");
            appendAfter(b, keys, last, i + 1);
            b.append(")");
        }
        b.append(")");
    }

    private static void appendStrictlyAfter(SqlFragment.Builder b, SortKey k, Object v) {
        String col = k.column().name();
        if (!k.descending()) {
            if (v == null) {
                b.append(col).append(" IS NOT NULL");
            } else {
                b.append(col).append(" > ").param(v, k.column());
            }
        } else {
            if (v == null) {
                b.append("FALSE");
            } else {
                b.append("(").append(col).append(" < ").param(v, k.column()).append(" OR ").append(col).append(" IS NULL)");
            }
        }
    }

    private static void appendEqual(SqlFragment.Builder b, ColumnDef column, Object v) {
        if (v == null) {
            b.append(column.name()).append(" IS NULL");
        } else {
            b.append(column.name()).append(" = ").param(v, column);
        }
    }
}
