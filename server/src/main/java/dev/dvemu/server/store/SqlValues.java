package dev.dvemu.server.store;

import dev.dvemu.server.metadata.ColumnDef;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Binds column values to statements and reads them back, by column type. */
final class SqlValues {
    private SqlValues() {
    }

    static void bind(PreparedStatement ps, int index, ColumnDef column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType(column));
            return;
        }
        switch (column.type()) {
            case INTEGER, CHOICE -> ps.setInt(index, (Integer) value);
            case BIGINT -> ps.setLong(index, (Long) value);
            case STRING, MEMO -> ps.setString(index, (String) value);
            default -> ps.setObject(index, value);
        }
    }

    static int sqlType(ColumnDef column) {
        return switch (column.type()) {
            case STRING, MEMO -> Types.VARCHAR;
            case INTEGER, CHOICE -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case DECIMAL, MONEY -> Types.NUMERIC;
            case BOOLEAN -> Types.BOOLEAN;
            case DATETIME -> Types.TIMESTAMP_WITH_TIMEZONE;
            case UNIQUEIDENTIFIER, LOOKUP -> Types.OTHER;
        };
    }

    static Object read(ResultSet rs, int index, ColumnDef column) throws SQLException {
        Object v = switch (column.type()) {
            case STRING, MEMO -> rs.getString(index);
            case INTEGER, CHOICE -> {
                int i = rs.getInt(index);
                yield rs.wasNull() ? null : i;
            }
            case BIGINT -> {
                long l = rs.getLong(index);
                yield rs.wasNull() ? null : l;
            }
            case DECIMAL, MONEY -> rs.getBigDecimal(index);
            case BOOLEAN -> {
                boolean b = rs.getBoolean(index);
                yield rs.wasNull() ? null : b;
            }
            // Dataverse date-times have whole seconds
            case DATETIME -> {
                OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
                yield t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
            }
            case UNIQUEIDENTIFIER, LOOKUP -> rs.getObject(index, UUID.class);
        };
        return v;
    }
}
