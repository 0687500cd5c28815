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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares metadata with the database after migrations: every table, column (with a compatible type), unique key,
 * sequence and lookup foreign key (with the delete action of the lookup's {@code cascadeDelete}) metadata needs must
 * exist. The server refuses to start on any difference, naming each one; {@link ChangeDdl} turns the same
 * differences into the migration that puts them right.
 */
public final class SchemaCheck {
    /** What the message ends with when the caller has no better advice. */
    public static final String GENERIC_HINT =
            "Add a migration for them; 'java -jar dvemu-server.jar ddl --changes' prints the statements that make the database match.";

    /** Metadata and database disagree; the message lists every difference. */
    public static final class SchemaMismatchException extends RuntimeException {
        public SchemaMismatchException(String message) {
            super(message);
        }
    }

    public void verify(DataSource ds, Catalog catalog) {
        verify(ds, catalog, d -> GENERIC_HINT);
    }

    /** Refuses a database that differs; the message lists every difference, then {@code hint} of them (what to run). */
    public void verify(DataSource ds, Catalog catalog, Function<List<SchemaDifference>, String> hint) {
        List<SchemaDifference> blocking = differences(ds, catalog).stream().filter(SchemaDifference::blocksStartup).toList();
        if (!blocking.isEmpty()) {
            throw new SchemaMismatchException("the database does not match the table definitions (metadata):\n  - "
                    + String.join("\n  - ", blocking.stream().map(SchemaDifference::problem).toList())
                    + "\n" + hint.apply(blocking));
        }
    }

    /** Every difference between the definitions and the database, those that do not stop start-up included. */
    public List<SchemaDifference> differences(DataSource ds, Catalog catalog) {
        try (Connection c = ds.getConnection()) {
            return differences(DbSchema.read(c), catalog);
        } catch (SQLException e) {
            throw new SchemaMismatchException("cannot read the database schema: " + e.getMessage());
        }
    }

    static List<SchemaDifference> differences(DbSchema db, Catalog catalog) {
        List<SchemaDifference> out = new ArrayList<>();
        if (!db.hasSequence(RowStore.VERSION_SEQUENCE)) {
            out.add(new SchemaDifference.MissingVersionSequence());
        }
        for (TableDef t : catalog.tables()) {
            Map<String, DbSchema.DbColumn> columns = db.columns(t.logicalName());
            if (columns.isEmpty()) {
                out.add(new SchemaDifference.MissingTable(t));
                continue;
            }
            for (ColumnDef col : t.columns()) {
                DbSchema.DbColumn actual = columns.get(col.name());
                if (actual == null) {
                    out.add(new SchemaDifference.MissingColumn(t, col));
                } else if (!compatible(col, actual)) {
                    out.add(new SchemaDifference.ColumnTypeDiffers(t, col, actual));
                }
            }
            List<Set<String>> unique = db.uniqueIndexes(t.logicalName());
            if (!unique.contains(Set.of(t.primaryId().name()))) {
                out.add(new SchemaDifference.MissingPrimaryKey(t));
            }
            for (AlternateKey k : t.alternateKeys()) {
                Set<String> cols = new HashSet<>();
                k.columns().forEach(col -> cols.add(col.name()));
                if (!unique.contains(cols)) {
                    out.add(new SchemaDifference.MissingAlternateKey(t, k));
                }
            }
            for (ColumnDef lookup : t.lookups()) {
                foreignKey(catalog, t, lookup, db.foreignKeys(t.logicalName()), out);
            }
            for (ColumnDef col : t.columns()) {
                if (col.autoNumberFormat().isPresent() && !db.hasSequence(col.sequenceName(t))) {
                    out.add(new SchemaDifference.MissingSequence(t, col));
                }
            }
            Set<String> dropped = new TreeSet<>(columns.keySet());
            t.columns().forEach(col -> dropped.remove(col.name()));
            dropped.forEach(name -> out.add(new SchemaDifference.ExtraColumn(t, name)));
        }
        Set<String> known = new HashSet<>();
        catalog.tables().forEach(t -> known.add(t.logicalName()));
        for (ManyToMany r : catalog.manyToMany()) {
            known.add(r.intersectTable());
            Map<String, DbSchema.DbColumn> columns = db.columns(r.intersectTable());
            List<String> ids = List.of(r.entity1().primaryId().name(), r.entity2().primaryId().name());
            if (columns.isEmpty()) {
                out.add(new SchemaDifference.MissingIntersectTable(r));
            } else if (!columns.keySet().containsAll(ids)) {
                out.add(new SchemaDifference.IntersectTableDiffers(r, true));
            } else if (!db.uniqueIndexes(r.intersectTable()).contains(Set.copyOf(ids))) {
                out.add(new SchemaDifference.IntersectTableDiffers(r, false));
            }
        }
        for (String table : new TreeSet<>(db.tables())) {
            // Flyway's history tables are the migrations' own
            if (!known.contains(table) && !table.contains("schema_history")) {
                out.add(new SchemaDifference.ExtraTable(table));
            }
        }
        return out;
    }

    /**
     * The foreign key behind {@code lookup}: missing (the lookup's column too, or only the key), or with an ON DELETE
     * action other than the one the lookup's delete behaviour needs.
     */
    private static void foreignKey(Catalog catalog, TableDef t, ColumnDef lookup, List<DbSchema.DbForeignKey> foreignKeys,
                                   List<SchemaDifference> out) {
        CascadeDelete declared = lookup.deleteBehaviour().orElse(CascadeDelete.DEFAULT);
        String constraint = DdlGenerator.foreignKey(catalog, t, lookup);
        List<DbSchema.DbForeignKey> toTarget = foreignKeys.stream()
                .filter(fk -> fk.column().equals(lookup.name()) && fk.referencedTable().equals(lookup.lookupTarget())).toList();
        if (toTarget.isEmpty()) {
            out.add(new SchemaDifference.MissingForeignKey(t, lookup, constraint));
            return;
        }
        for (DbSchema.DbForeignKey fk : toTarget) {
            if (!declared.matchesDeleteType(fk.deleteType())) {
                out.add(new SchemaDifference.ForeignKeyAction(t, lookup, fk.name(), action(fk.deleteType()), constraint));
                return;
            }
        }
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

    private static boolean compatible(ColumnDef col, DbSchema.DbColumn db) {
        if (!col.type().informationSchemaType().equals(db.dataType())) {
            return false;
        }
        if (col.type() == ColumnType.STRING) {
            return db.maxLength().map(l -> l >= col.maxLength()).orElse(true);
        }
        if (col.type() == ColumnType.DECIMAL || col.type() == ColumnType.MONEY) {
            return db.scale().map(s -> s >= col.precision()).orElse(true);
        }
        return true;
    }
}
