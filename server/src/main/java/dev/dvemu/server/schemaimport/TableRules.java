package dev.dvemu.server.schemaimport;

import dev.dvemu.server.schemaimport.ImportReport.Outcome;
import dev.dvemu.server.schemaimport.ImportedTable.Column;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks every import makes of the tables it builds, whichever document they come from: the primary name column
 * a table without a usable one gets, which alternate keys dvemu can enforce, and relationship names that the catalog
 * would refuse (unique across all relationships ignoring case, not a property of a table they name), so that one
 * such name drops a relationship (listed) instead of failing the import.
 */
final class TableRules {
    private static final List<String> NAME_COLUMNS = List.of("name", "fullname", "subject", "title");
    private static final Set<String> KEY_TYPES = Set.of("String", "Integer", "BigInt", "Decimal", "DateTime", "Lookup", "Choice");

    private final ImportReport report;
    /** The relationship names taken so far, lower case: Dataverse's schema names are unique ignoring case. */
    private final Set<String> relationshipNames = new HashSet<>();
    private final Set<String> intersectTables = new HashSet<>();

    TableRules(ImportReport report) {
        this.report = report;
    }

    /**
     * A primary name column when the document names none that was imported as a String: the first String column among
     * {@code name}, {@code <prefix>_name} ({@code ggw_name}), {@code fullname}, {@code subject}, {@code title}, then
     * the first whose name ends in {@code name}, then the first String column; a table without one gets a {@code name}
     * column (added to {@code cols}, listed).
     */
    String primaryName(String table, List<Column> cols) {
        List<String> strings = cols.stream().filter(c -> c.type().equals("String")).map(Column::name).toList();
        List<String> preferred = new ArrayList<>();
        preferred.add("name");
        if (table.contains("_")) {
            preferred.add(table.substring(0, table.indexOf('_')) + "_name");
        }
        preferred.addAll(NAME_COLUMNS.subList(1, NAME_COLUMNS.size()));
        Optional<String> found = preferred.stream().filter(strings::contains).findFirst()
                .or(() -> strings.stream().filter(s -> s.endsWith("name") && !s.contains("yomi")).findFirst())
                .or(() -> strings.stream().findFirst());
        if (found.isPresent()) {
            return found.get();
        }
        String name = cols.stream().anyMatch(c -> c.name().equals("name")) ? table + "_dvemuname" : "name";
        cols.add(new Column(name, "String", 100, null, null, null, null));
        report.column(Outcome.ASSUMED, table, name, "added String(100)",
                "the table has no String column, and dvemu needs one as the primary name");
        return name;
    }

    /**
     * Why an alternate key of these columns cannot be a dvemu key; empty when it can. {@code nameOf} is how the
     * document names a column ({@code _x_value} in a CSDL, the logical name in EntityDefinitions).
     */
    static Optional<String> keyProblem(List<String> names, List<Column> cols, Function<Column, String> nameOf) {
        if (names.isEmpty()) {
            return Optional.of("no columns");
        }
        if (names.size() > 16) {
            return Optional.of("more than 16 columns");
        }
        for (String p : names) {
            Optional<Column> c = cols.stream().filter(x -> nameOf.apply(x).equals(p)).findFirst();
            if (c.isEmpty()) {
                return Optional.of("its column '" + p + "' is not imported");
            }
            if (!KEY_TYPES.contains(c.get().type())) {
                return Optional.of("its column '" + p + "' is a " + c.get().type() + ", which cannot be part of a dvemu key");
            }
        }
        return Optional.empty();
    }

    /**
     * A lookup's relationship becomes a collection-valued navigation property of its target: its name must be unique
     * across all relationships (ignoring case) and not a property of the target; otherwise the lookup keeps only its
     * single-valued side. Call once, with every table, before {@link #addManyToMany}.
     */
    void checkRelationshipNames(Map<String, ImportedTable> tables) {
        for (ImportedTable t : tables.values()) {
            List<Column> cols = t.columns();
            for (int i = 0; i < cols.size(); i++) {
                Column c = cols.get(i);
                if (!c.isLookup() || c.relationship() == null) {
                    continue;
                }
                String why = relationshipProblem(c.relationship(), List.of(tables.get(c.target())));
                String subject = t.logicalName() + "." + c.name();
                if (why != null) {
                    cols.set(i, c.withRelationship(null));
                    report.relationship(Outcome.SKIPPED, subject + " -> " + c.target(), "one-to-many " + c.relationship(), why
                            + "; the lookup keeps its single-valued side only");
                } else {
                    relationshipNames.add(c.relationship().toLowerCase(Locale.ROOT));
                    report.relationship(Outcome.MAPPED, subject + " -> " + c.target(), "one-to-many " + c.relationship(), "");
                }
            }
        }
    }

    /**
     * Declares the many-to-many relationship {@code schemaName} of {@code table} and {@code related} (linked in
     * {@code intersect}) on {@code table}, when both are imported and the names are free; otherwise lists why not.
     * {@code note} (may be empty) is added to the report line of an imported relationship.
     */
    void addManyToMany(Map<String, ImportedTable> tables, String schemaName, String table, String related, String intersect,
                       String note) {
        String subject = "many-to-many " + schemaName;
        String what = table + " <-> " + related;
        ImportedTable owner = tables.get(table);
        ImportedTable other = tables.get(related);
        String why;
        if (related.equals(table)) {
            why = "a relationship of a table with itself is not supported";
        } else if (owner == null || other == null) {
            why = "the related table " + (owner == null ? table : related) + " is not imported";
        } else if (!ColumnMapper.IDENTIFIER.matcher(intersect).matches() || SqlKeywords.isReserved(intersect)
                || tables.containsKey(intersect) || intersectTables.contains(intersect)) {
            why = "its intersect table name '" + intersect + "' is not a valid, unused table name";
        } else {
            why = relationshipProblem(schemaName, List.of(owner, other));
        }
        if (why != null) {
            report.relationship(Outcome.SKIPPED, subject, what, why);
            return;
        }
        intersectTables.add(intersect);
        relationshipNames.add(schemaName.toLowerCase(Locale.ROOT));
        owner.manyToMany().add(new ImportedTable.ManyToMany(schemaName, related, intersect));
        report.relationship(note.isEmpty() ? Outcome.MAPPED : Outcome.ASSUMED, subject,
                what + " (intersect table " + intersect + ")", note);
    }

    private String relationshipProblem(String name, List<ImportedTable> owners) {
        if (!Importability.validName(name)) {
            return "'" + name + "' is not a valid name";
        }
        if (relationshipNames.contains(name.toLowerCase(Locale.ROOT))) {
            return "the name is used by another relationship";
        }
        for (ImportedTable owner : owners) {
            if (owner.columns().stream().anyMatch(c -> c.propertyName().equals(name) || name.equals(c.navigationProperty()))) {
                return "'" + name + "' is already a property of " + owner.logicalName();
            }
        }
        return null;
    }
}
