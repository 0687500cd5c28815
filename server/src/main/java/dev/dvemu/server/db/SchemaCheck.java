package dev.dvemu.server.db;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares metadata with the database after migrations: every table, column (with a compatible type), unique key
 * and sequence metadata needs must exist. The server refuses to start on any difference, naming each one.
 */
public final class SchemaCheck {
    /** Metadata and database disagree; the message lists every difference. */
    public static final class SchemaMismatchException extends RuntimeException {
        public SchemaMismatchException(String message) {
            super(message);
        }
    }

    private record DbColumn(String dataType, Integer maxLength, Integer scale) {
    }

    public void verify(DataSource ds, Catalog catalog) {
        List<String> problems = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            Set<String> sequences = sequences(c);
            if (!sequences.contains(RowStore.VERSION_SEQUENCE)) {
                problems.add("sequence " + RowStore.VERSION_SEQUENCE + " is missing");
            }
            for (TableDef t : catalog.tables()) {
                Map<String, DbColumn> columns = columns(c, t.logicalName());
                if (columns.isEmpty()) {
                    problems.add("table " + t.logicalName() + " is missing");
                    continue;
                }
                for (ColumnDef col : t.columns()) {
                    DbColumn db = columns.get(col.name());
                    if (db == null) {
                        problems.add("column " + t.logicalName() + "." + col.name() + " (" + col.sqlTypeDeclaration() + ") is missing");
                    } else if (!compatible(col, db)) {
                        problems.add("column " + t.logicalName() + "." + col.name() + " is " + describe(db)
                                + " but metadata needs " + col.sqlTypeDeclaration());
                    }
                }
                List<Set<String>> unique = uniqueIndexes(c, t.logicalName());
                if (!unique.contains(Set.of(t.primaryId().name()))) {
                    problems.add("table " + t.logicalName() + " has no primary key or unique index on " + t.primaryId().name());
                }
                for (AlternateKey k : t.alternateKeys()) {
                    Set<String> cols = new HashSet<>();
                    k.columns().forEach(col -> cols.add(col.name()));
                    if (!unique.contains(cols)) {
                        problems.add("alternate key " + t.logicalName() + "." + k.name() + " has no unique index on ("
                                + String.join(", ", k.columns().stream().map(ColumnDef::name).toList()) + ")");
                    }
                }
                for (ColumnDef col : t.columns()) {
                    if (col.autoNumberFormat().isPresent() && !sequences.contains(col.sequenceName(t))) {
                        problems.add("sequence " + col.sequenceName(t) + " for autonumber column "
                                + t.logicalName() + "." + col.name() + " is missing");
                    }
                }
            }
            for (ManyToMany r : catalog.manyToMany()) {
                Map<String, DbColumn> columns = columns(c, r.intersectTable());
                List<String> ids = List.of(r.entity1().primaryId().name(), r.entity2().primaryId().name());
                if (columns.isEmpty()) {
                    problems.add("intersect table " + r.intersectTable() + " of relationship " + r.schemaName() + " is missing");
                } else if (!columns.keySet().containsAll(ids)) {
                    problems.add("intersect table " + r.intersectTable() + " needs the uuid columns " + String.join(", ", ids));
                } else if (!uniqueIndexes(c, r.intersectTable()).contains(Set.copyOf(ids))) {
                    problems.add("intersect table " + r.intersectTable() + " has no primary key or unique index on ("
                            + String.join(", ", ids) + ")");
                }
            }
        } catch (SQLException e) {
            throw new SchemaMismatchException("cannot read the database schema: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException("the database does not match the table definitions (metadata):\n  - "
                    + String.join("\n  - ", problems)
                    + "\nAdd a migration for them; 'java -jar dvemu-server.jar ddl' prints the DDL metadata needs.");
        }
    }

    private static boolean compatible(ColumnDef col, DbColumn db) {
        if (!col.type().informationSchemaType().equals(db.dataType())) {
            return false;
        }
        if (col.type() == ColumnType.STRING) {
            return db.maxLength() == null || db.maxLength() >= col.maxLength();
        }
        if (col.type() == ColumnType.DECIMAL || col.type() == ColumnType.MONEY) {
            return db.scale() == null || db.scale() >= col.precision();
        }
        return true;
    }

    private static String describe(DbColumn db) {
        return db.dataType() + (db.maxLength() != null ? "(" + db.maxLength() + ")" : "")
                + (db.scale() != null ? " with scale " + db.scale() : "");
    }

    private static Map<String, DbColumn> columns(Connection c, String table) throws SQLException {
        Map<String, DbColumn> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, character_maximum_length, numeric_scale "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new DbColumn(rs.getString(2), (Integer) rs.getObject(3), (Integer) rs.getObject(4)));
                }
            }
        }
        return out;
    }

    private static List<Set<String>> uniqueIndexes(Connection c, String table) throws SQLException {
        List<Set<String>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT array_agg(a.attname::text) FROM pg_index i "
                + "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) "
                + "WHERE i.indisunique AND i.indpred IS NULL AND t.relname = ? AND n.nspname = current_schema() "
                + "GROUP BY i.indexrelid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HashSet<>(List.of((String[]) rs.getArray(1).getArray())));
                }
            }
        }
        return out;
    }

    private static Set<String> sequences(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
