package dev.dvemu.server.db;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.CascadeDelete;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowStore;

import java.util.List;
import java.util.Optional;

/**
 * One way the database differs from the table definitions, as {@link SchemaCheck} finds it: the start-up check
 * words it ({@link #problem()}) and {@link ChangeDdl} writes the statement that puts it right, so both work from the
 * same comparison. Objects the definitions no longer have (a column or table dropped from them) are differences too,
 * but never stop start-up: the server does not use them.
 */
public sealed interface SchemaDifference {
    /** How the start-up check names the difference. */
    String problem();

    /** Whether the server cannot run with it (false for objects the definitions no longer have). */
    default boolean blocksStartup() {
        return true;
    }

    /** The table whose definition this difference belongs to (an intersect table's: its first entity's); empty for the server's own objects. */
    Optional<String> table();

    record MissingVersionSequence() implements SchemaDifference {
        public String problem() {
            return "sequence " + RowStore.VERSION_SEQUENCE + " is missing";
        }

        public Optional<String> table() {
            return Optional.empty();
        }
    }

    record MissingTable(TableDef def) implements SchemaDifference {
        public String problem() {
            return "table " + def.logicalName() + " is missing";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    record MissingColumn(TableDef def, ColumnDef column) implements SchemaDifference {
        public String problem() {
            return "column " + def.logicalName() + "." + column.name() + " (" + column.sqlTypeDeclaration() + ") is missing";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    /** The column's type cannot hold what the definition allows (shorter text, fewer decimals, another type). */
    record ColumnTypeDiffers(TableDef def, ColumnDef column, DbSchema.DbColumn actual) implements SchemaDifference {
        public String problem() {
            return "column " + def.logicalName() + "." + column.name() + " is " + actual.describe()
                    + " but metadata needs " + column.sqlTypeDeclaration();
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    record MissingPrimaryKey(TableDef def) implements SchemaDifference {
        public String problem() {
            return "table " + def.logicalName() + " has no primary key or unique index on " + def.primaryId().name();
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    record MissingAlternateKey(TableDef def, AlternateKey key) implements SchemaDifference {
        public String problem() {
            return "alternate key " + def.logicalName() + "." + key.name() + " has no unique index on ("
                    + String.join(", ", key.columns().stream().map(ColumnDef::name).toList()) + ")";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    /** @param constraint the constraint as {@code ALTER TABLE ... ADD} takes it ({@link DdlGenerator#foreignKey}) */
    record MissingForeignKey(TableDef def, ColumnDef lookup, String constraint) implements SchemaDifference {
        public String problem() {
            return "foreign key of lookup " + def.logicalName() + "." + lookup.name() + " to " + lookup.lookupTarget()
                    + " is missing; add it with: " + statement();
        }

        public String statement() {
            return "ALTER TABLE " + def.logicalName() + " ADD " + constraint + ";";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    /** The lookup's foreign key {@code existing} has an ON DELETE action other than its cascadeDelete's. */
    record ForeignKeyAction(TableDef def, ColumnDef lookup, String existing, String existingAction, String constraint)
            implements SchemaDifference {
        public String problem() {
            CascadeDelete declared = lookup.deleteBehaviour().orElse(CascadeDelete.DEFAULT);
            return "foreign key " + existing + " of lookup " + def.logicalName() + "." + lookup.name() + " is ON DELETE "
                    + existingAction + " but cascadeDelete " + declared.metadataName() + " needs ON DELETE "
                    + declared.sqlAction() + "; change it with: " + statement();
        }

        public String statement() {
            return "ALTER TABLE " + def.logicalName() + " DROP CONSTRAINT " + existing + ", ADD " + constraint + ";";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    record MissingSequence(TableDef def, ColumnDef column) implements SchemaDifference {
        public String problem() {
            return "sequence " + column.sequenceName(def) + " for autonumber column " + def.logicalName() + "."
                    + column.name() + " is missing";
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    record MissingIntersectTable(ManyToMany relationship) implements SchemaDifference {
        public String problem() {
            return "intersect table " + relationship.intersectTable() + " of relationship " + relationship.schemaName() + " is missing";
        }

        public Optional<String> table() {
            return Optional.of(relationship.entity1().logicalName());
        }
    }

    /** The intersect table exists but lacks the two id columns, or the key on them. */
    record IntersectTableDiffers(ManyToMany relationship, boolean columnsMissing) implements SchemaDifference {
        public String problem() {
            List<String> ids = List.of(relationship.entity1().primaryId().name(), relationship.entity2().primaryId().name());
            return columnsMissing
                    ? "intersect table " + relationship.intersectTable() + " needs the uuid columns " + String.join(", ", ids)
                    : "intersect table " + relationship.intersectTable() + " has no primary key or unique index on ("
                    + String.join(", ", ids) + ")";
        }

        public Optional<String> table() {
            return Optional.of(relationship.entity1().logicalName());
        }
    }

    /** A column of a defined table that its definition no longer has. */
    record ExtraColumn(TableDef def, String column) implements SchemaDifference {
        public String problem() {
            return "column " + def.logicalName() + "." + column + " is not in the table definition";
        }

        public boolean blocksStartup() {
            return false;
        }

        public Optional<String> table() {
            return Optional.of(def.logicalName());
        }
    }

    /** A table of the schema that no definition (nor relationship) has. */
    record ExtraTable(String name) implements SchemaDifference {
        public String problem() {
            return "table " + name + " is not in the table definitions";
        }

        public boolean blocksStartup() {
            return false;
        }

        public Optional<String> table() {
            return Optional.empty();
        }
    }
}
