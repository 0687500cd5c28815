package dev.dvemu.server.store;

import dev.dvemu.server.metadata.ColumnDef;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A piece of SQL with its bind parameters. Identifiers in {@link #sql()} come from metadata only; every value
 * a client sent is a parameter.
 */
public record SqlFragment(String sql, List<Param> params) {
    /** A bound value; {@code column} (when known) decides how it is bound. */
    public record Param(Object value, ColumnDef column) {
    }

    public SqlFragment {
        params = List.copyOf(params);
    }

    public static SqlFragment of(String sql) {
        return new SqlFragment(sql, List.of());
    }

    int bind(PreparedStatement ps, int index) throws SQLException {
        for (Param p : params) {
            if (p.value() instanceof UUID[] ids) {
                ps.setArray(index++, ps.getConnection().createArrayOf("uuid", ids));
            } else if (p.column() != null) {
                SqlValues.bind(ps, index++, p.column(), p.value());
            } else {
                ps.setObject(index++, p.value());
            }
        }
        return index;
    }

    /** Builds a fragment piece by piece. */
    public static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<Param> params = new ArrayList<>();

        public Builder append(String s) {
            sql.append(s);
            return this;
        }

        public Builder append(SqlFragment f) {
            sql.append(f.sql());
            params.addAll(f.params());
            return this;
        }

        public Builder param(Object value, ColumnDef column) {
            sql.append('?');
            params.add(new Param(value, column));
            return this;
        }

        /** {@code column = ANY(?)}: one statement for many ids (an expansion batched by parent keys). */
        public Builder anyOf(ColumnDef column, java.util.Collection<UUID> ids) {
            sql.append(column.name()).append(" = ANY(?)");
            params.add(new Param(ids.toArray(UUID[]::new), null));
            return this;
        }

        public SqlFragment build() {
            return new SqlFragment(sql.toString(), params);
        }
    }
}
