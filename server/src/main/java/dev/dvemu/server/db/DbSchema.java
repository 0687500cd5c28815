package dev.dvemu.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The current schema as PostgreSQL's catalogs describe it: columns, unique indexes, single-column foreign keys and
 * sequences of every table. Read with one query per kind for the whole schema (not one per table), so start-up on
 * an org of hundreds of tables costs a handful of round trips.
 */
public final class DbSchema {
    /** A column as {@code information_schema.columns} describes it. */
    public record DbColumn(String dataType, Optional<Integer> maxLength, Optional<Integer> scale) {
        public String describe() {
            return dataType + maxLength.map(l -> "(" + l + ")").orElse("") + scale.filter(s -> dataType.equals("numeric")).map(s -> " with scale " + s).orElse("");
        }
    }

    /** A single-column foreign key: its name, column, referenced table and {@code pg_constraint.confdeltype}. */
    record DbForeignKey(String name, String column, String referencedTable, char deleteType) {
    }

    private final Map<String, Map<String, DbColumn>> columns;
    private final Map<String, List<Set<String>>> uniqueIndexes;
    private final Map<String, List<DbForeignKey>> foreignKeys;
    private final Set<String> sequences;

    private DbSchema(Map<String, Map<String, DbColumn>> columns, Map<String, List<Set<String>>> uniqueIndexes,
                     Map<String, List<DbForeignKey>> foreignKeys, Set<String> sequences) {
        this.columns = columns;
        this.uniqueIndexes = uniqueIndexes;
        this.foreignKeys = foreignKeys;
        this.sequences = sequences;
    }

    static DbSchema read(Connection c) throws SQLException {
        Map<String, Map<String, DbColumn>> columns = new HashMap<>();
        // what information_schema.columns says (data_type, character_maximum_length, numeric_scale), read from
        // pg_catalog: the view checks privileges and calls SQL functions row by row, seconds on an org's columns
        query(c, "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL), a.atttypmod "
                + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'f') AND a.attnum > 0 "
                + "AND NOT a.attisdropped", rs ->
                columns.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), column(rs.getString(3), rs.getInt(4))));
        Map<String, List<Set<String>>> unique = new HashMap<>();
        query(c, "SELECT t.relname::text, array_agg(a.attname::text) FROM pg_index i "
                + "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) "
                + "WHERE i.indisunique AND i.indpred IS NULL AND n.nspname = current_schema() "
                + "GROUP BY t.relname, i.indexrelid", rs ->
                unique.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new HashSet<>(List.of((String[]) rs.getArray(2).getArray()))));
        Map<String, List<DbForeignKey>> keys = new HashMap<>();
        query(c, "SELECT t.relname::text, con.conname::text, a.attname::text, ref.relname::text, con.confdeltype::text "
                + "FROM pg_constraint con "
                + "JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "JOIN pg_class ref ON ref.oid = con.confrelid "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = con.conkey[1] "
                + "WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND n.nspname = current_schema() "
                + "ORDER BY con.conname", rs ->
                keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new DbForeignKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5).charAt(0))));
        Set<String> sequences = new HashSet<>();
        query(c, "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind = 'S' AND n.nspname = current_schema()", rs -> sequences.add(rs.getString(1)));
        return new DbSchema(columns, unique, keys, sequences);
    }

    /**
     * A column from its type's name and {@code atttypmod} as information_schema decodes them: a text type's length is
     * the modifier less the 4 bytes of its header; a numeric's scale is the low 16 bits of that (-1: no modifier).
     */
    static DbColumn column(String dataType, int typmod) {
        Optional<Integer> modifier = typmod < 0 ? Optional.empty() : Optional.of(typmod - 4);
        return switch (dataType) {
            case "character varying", "character" -> new DbColumn(dataType, modifier, Optional.empty());
            case "numeric" -> new DbColumn(dataType, Optional.empty(), modifier.map(m -> m & 0xFFFF));
            default -> new DbColumn(dataType, Optional.empty(), Optional.empty());
        };
    }

    /** The table's columns by name; empty when there is no such table. */
    Map<String, DbColumn> columns(String table) {
        return columns.getOrDefault(table, Map.of());
    }

    Set<String> tables() {
        return columns.keySet();
    }

    List<Set<String>> uniqueIndexes(String table) {
        return uniqueIndexes.getOrDefault(table, List.of());
    }

    List<DbForeignKey> foreignKeys(String table) {
        return foreignKeys.getOrDefault(table, List.of());
    }

    boolean hasSequence(String name) {
        return sequences.contains(name);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }
}
