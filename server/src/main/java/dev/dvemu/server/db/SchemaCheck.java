package dev.dvemu.server.db;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.CascadeDelete;
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
import java.util.Optional;
import java.util.Set;

/**
 * Compares metadata with the database after migrations: every table, column (with a compatible type), unique key,
 * sequence and lookup foreign key (with the delete action of the lookup's {@code cascadeDelete}) metadata needs must
 * exist. The server refuses to start on any difference, naming each one.
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

    /** A single-column foreign key: its name, column, referenced table and {@code pg_constraint.confdeltype}. */
    private record DbForeignKey(String name, String column, String referencedTable, char deleteType) {
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
                List<DbForeignKey> foreignKeys = foreignKeys(c, t.logicalName());
                for (ColumnDef lookup : t.lookups()) {
                    if (columns.containsKey(lookup.name())) {
                        foreignKeyProblem(catalog, t, lookup, foreignKeys).ifPresent(problems::add);
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

    /**
     * What is wrong with the foreign key behind {@code lookup}, with the statement that puts it right: it is missing,
     * or its ON DELETE action is not the one the lookup's delete behaviour needs.
     */
    private static Optional<String> foreignKeyProblem(Catalog catalog, TableDef t, ColumnDef lookup,
                                                    List<DbForeignKey> foreignKeys) {
        CascadeDelete declared = lookup.deleteBehaviour().orElse(CascadeDelete.DEFAULT);
        String where = "lookup " + t.logicalName() + "." + lookup.name();
        List<DbForeignKey> toTarget = foreignKeys.stream()
                .filter(fk -> fk.column().equals(lookup.name()) && fk.referencedTable().equals(lookup.lookupTarget())).toList();
        if (toTarget.isEmpty()) {
            return Optional.of("foreign key of " + where + " to " + lookup.lookupTarget() + " is missing; add it with: ALTER TABLE "
                    + t.logicalName() + " ADD " + DdlGenerator.foreignKey(catalog, t, lookup) + ";");
        }
        for (DbForeignKey fk : toTarget) {
            if (!declared.matchesDeleteType(fk.deleteType())) {
                return Optional.of("foreign key " + fk.name() + " of " + where + " is ON DELETE " + action(fk.deleteType())
                        + " but cascadeDelete " + declared.metadataName() + " needs ON DELETE " + declared.sqlAction()
                        + "; change it with: ALTER TABLE " + t.logicalName() + " DROP CONSTRAINT " + fk.name() + ", ADD "
                        + DdlGenerator.foreignKey(catalog, t, lookup) + ";");
            }
        }
        return Optional.empty();
    }

    /** A {@code confdeltype} as written after ON DELETE. */
    private static String action(char deleteType) {
        return switch (deleteType) {
            case 'a' -> "NO ACTION";
            case 'r' -> "RESTRICT";
            case 'c' -> "CASCADE";
            case 'n' -> "SET NULL";
            case 'd' -> "SET DEFAULT";
            default -> "'" + deleteType + "'";
        };
    }

    private static List<DbForeignKey> foreignKeys(Connection c, String table) throws SQLException {
        List<DbForeignKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT con.conname::text, a.attname::text, ref.relname::text, "
                + "con.confdeltype::text FROM pg_constraint con "
                + "JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "JOIN pg_class ref ON ref.oid = con.confrelid "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = con.conkey[1] "
                + "WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND t.relname = ? AND n.nspname = current_schema() "
                + "ORDER BY con.conname")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DbForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0)));
                }
            }
        }
        return out;
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
