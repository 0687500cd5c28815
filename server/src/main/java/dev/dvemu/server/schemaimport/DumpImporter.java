package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dvemu.server.schemaimport.ImportReport.Outcome;
import dev.dvemu.server.schemaimport.ImportedTable.Column;
import dev.dvemu.server.schemaimport.ImportedTable.Facets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.dvemu.server.schemaimport.EntityDefinitionsDump.label;
import static dev.dvemu.server.schemaimport.EntityDefinitionsDump.text;

/**
 * Turns the chosen tables of an EntityDefinitions dump into table definitions: columns ({@link AttributeMapper}),
 * lookups (a Lookup, Customer or Owner attribute with the {@code ManyToOneRelationships} entry whose
 * {@code ReferencingAttribute} names it: target, navigation properties, delete behaviour), the primary name column
 * ({@code PrimaryNameAttribute}), alternate keys ({@code Keys}) and many-to-many relationships
 * ({@code ManyToManyRelationships}); names are checked by {@link TableRules}, as for a CSDL.
 */
final class DumpImporter {
    private final DumpSource source;
    private final ImportReport report;
    private final AttributeMapper attributes;
    private final TableRules rules;

    DumpImporter(DumpSource source, ImportReport report) {
        this.source = source;
        this.report = report;
        this.attributes = new AttributeMapper(report);
        this.rules = new TableRules(report);
    }

    /** {@code chosen}: table name to why it was chosen ({@link TableSelection}); the result in dump order. */
    List<ImportedTable> importTables(Map<String, String> chosen) {
        Map<String, ImportedTable> tables = new LinkedHashMap<>();
        for (String name : source.tableNames()) {
            if (chosen.containsKey(name)) {
                tables.put(name, table(source.entity(name).orElseThrow(), chosen));
            }
        }
        rules.checkRelationshipNames(tables);
        addManyToMany(tables);
        return List.copyOf(tables.values());
    }

    private ImportedTable table(EntityDefinitionsDump.Entity e, Map<String, String> chosen) {
        String name = e.logicalName();
        List<Column> cols = new ArrayList<>();
        Set<String> navigations = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (ObjectNode a : e.attributes()) {
            if (!seen.add(a.get("LogicalName").asText())) {
                report.column(Outcome.SKIPPED, name, a.get("LogicalName").asText(), AttributeMapper.typeOf(a),
                        "the table lists this attribute twice: the first is imported");
                continue;
            }
            Optional<Column> c = DumpSource.LOOKUP_TYPES.contains(AttributeMapper.typeOf(a))
                    ? lookup(e, a, chosen, navigations) : attributes.map(name, a);
            c.ifPresent(cols::add);
        }
        String primaryName = primaryName(e, cols);
        List<ImportedTable.Key> keys = alternateKeys(e, cols);
        String set = e.text("EntitySetName").orElseThrow();
        report.table(Outcome.MAPPED, name, "entity set " + set + ", primary name " + primaryName, chosen.get(name));
        ImportedTable.Labels labels = new ImportedTable.Labels(e.text("SchemaName").orElse(null),
                label(e.node(), "DisplayName").orElse(null), label(e.node(), "Description").orElse(null));
        return new ImportedTable(name, set, primaryName, cols, keys, new ArrayList<>(), labels);
    }

    private Optional<Column> lookup(EntityDefinitionsDump.Entity e, ObjectNode a, Map<String, String> chosen,
                                    Set<String> navigations) {
        String table = e.logicalName();
        String name = a.get("LogicalName").asText();
        String type = AttributeMapper.typeOf(a);
        Optional<String> whyNot = attributes.whyNotAColumn(table, a);
        if (whyNot.isPresent()) {
            report.column(Outcome.SKIPPED, table, name, type, whyNot.get());
            return Optional.empty();
        }
        List<JsonNode> rels = DumpSource.relationships(e, a);
        if (rels.isEmpty()) {
            report.column(Outcome.SKIPPED, table, name, type, "no ManyToOneRelationships entry has ReferencingAttribute '"
                    + name + "', so its navigation property is unknown (expand ManyToOneRelationships in the dump)");
            return Optional.empty();
        }
        String targets = rels.stream().map(r -> r.get("ReferencedEntity").asText()).distinct().collect(Collectors.joining(", "));
        Optional<JsonNode> chosenRel = rels.stream().filter(r -> chosen.containsKey(r.get("ReferencedEntity").asText())).findFirst();
        if (chosenRel.isEmpty()) {
            report.column(Outcome.SKIPPED, table, name, type + " to " + targets, whyNotImported(rels));
            return Optional.empty();
        }
        JsonNode r = chosenRel.get();
        String target = r.get("ReferencedEntity").asText();
        String nav = text(r, "ReferencingEntityNavigationPropertyName").orElse("");
        if (!Importability.validName(nav) || !navigations.add(nav)) {
            report.column(Outcome.SKIPPED, table, name, type + " to " + targets,
                    "navigation property '" + nav + "' is not a valid name or is used twice");
            return Optional.empty();
        }
        List<String> notes = new ArrayList<>();
        if (rels.size() > 1) {
            notes.add("polymorphic lookup to " + targets + "; a dvemu lookup has one target: the first one imported is kept");
        }
        // dvemu names the target's collection after the relationship; Dataverse states it as its own property
        Optional<String> schemaName = text(r, "SchemaName");
        String relationship = text(r, "ReferencedEntityNavigationPropertyName").or(() -> schemaName).orElse(null);
        String cascade = cascadeDelete(r, notes);
        Column c = new Column(name, "Lookup", null, null, target, nav, relationship);
        c = c.withFacets(attributes.withCommon(new Facets(null, null, List.of(), null, false, cascade,
                ImportedTable.Labels.NONE), a, type, false, notes));
        report.column(notes.isEmpty() ? Outcome.MAPPED : Outcome.ASSUMED, table, name, type + " -> Lookup to " + target
                + " (navigation property " + nav + (relationship == null ? "" : ", relationship " + relationship)
                + ", delete " + cascade + ")", String.join("; ", notes));
        return Optional.of(c);
    }

    /**
     * {@code CascadeConfiguration.Delete} (CascadeType: Cascade, Active, UserOwned, RemoveLink, Restrict, NoCascade)
     * as dvemu's {@code cascadeDelete}: the three dvemu has are kept; Active and UserOwned (cascade to some related
     * rows) become Cascade, anything else RemoveLink, Dataverse's default for custom relationships (listed).
     */
    private static String cascadeDelete(JsonNode r, List<String> notes) {
        String delete = text(r.path("CascadeConfiguration"), "Delete").orElse("");
        switch (delete) {
            case "Cascade", "RemoveLink", "Restrict" -> {
                return delete;
            }
            case "Active", "UserOwned" -> {
                notes.add("delete " + delete + ": dvemu cascades to every referencing row (Cascade)");
                return "Cascade";
            }
            default -> {
                notes.add(delete.isEmpty() ? "no CascadeConfiguration.Delete in the dump: RemoveLink assumed"
                        : "delete " + delete + " has no dvemu counterpart: RemoveLink");
                return "RemoveLink";
            }
        }
    }

    private String whyNotImported(List<JsonNode> rels) {
        List<String> targets = rels.stream().map(r -> r.get("ReferencedEntity").asText()).distinct().toList();
        List<String> importable = targets.stream().filter(t -> source.whyNot(t).isEmpty()).toList();
        if (importable.isEmpty()) {
            return "dropped: its target is not imported and cannot be: " + source.whyNot(targets.get(0)).orElseThrow();
        }
        return "dropped: its target (" + String.join(", ", importable) + ") is not imported; add it with --tables or --follow-lookups";
    }

    /** {@code PrimaryNameAttribute} when it was imported as a String; otherwise the rules' choice (listed). */
    private String primaryName(EntityDefinitionsDump.Entity e, List<Column> cols) {
        Optional<String> stated = e.text("PrimaryNameAttribute");
        if (stated.isPresent() && cols.stream().anyMatch(c -> c.name().equals(stated.get()) && c.type().equals("String"))) {
            return stated.get();
        }
        String chosen = rules.primaryName(e.logicalName(), cols);
        report.table(Outcome.ASSUMED, e.logicalName(), "primary name " + chosen, stated
                .map(s -> "PrimaryNameAttribute '" + s + "' is not an imported String column")
                .orElse("the dump has no PrimaryNameAttribute"));
        return chosen;
    }

    /** {@code Keys}: each {@code EntityKeyMetadata}'s {@code KeyAttributes}, named by its {@code LogicalName}. */
    private List<ImportedTable.Key> alternateKeys(EntityDefinitionsDump.Entity e, List<Column> cols) {
        List<ImportedTable.Key> keys = new ArrayList<>();
        for (JsonNode k : e.keys()) {
            List<String> names = new ArrayList<>();
            k.path("KeyAttributes").forEach(n -> names.add(n.asText()));
            String keyName = text(k, "LogicalName").or(() -> text(k, "SchemaName")).map(s -> s.toLowerCase(Locale.ROOT))
                    .filter(s -> ColumnMapper.IDENTIFIER.matcher(s).matches()).orElse("ak" + (keys.size() + 1));
            String subject = e.logicalName() + " key " + keyName + " (" + String.join(", ", names) + ")";
            Optional<String> problem = TableRules.keyProblem(names, cols, Column::name);
            if (problem.isEmpty() && keys.stream().anyMatch(x -> x.name().equals(keyName))) {
                problem = Optional.of("another key has the name " + keyName);
            }
            if (problem.isPresent()) {
                report.relationship(Outcome.SKIPPED, subject, "alternate key", problem.get());
            } else {
                keys.add(new ImportedTable.Key(keyName, names));
                report.relationship(Outcome.MAPPED, subject, "alternate key " + keyName, "");
            }
        }
        return keys;
    }

    /**
     * {@code ManyToManyRelationships}: each relationship once, declared on its {@code Entity1LogicalName}; dvemu
     * names both navigation properties after the schema name, as Dataverse does by default (another name is listed).
     */
    private void addManyToMany(Map<String, ImportedTable> tables) {
        Set<String> seen = new HashSet<>();
        for (ImportedTable table : tables.values()) {
            for (JsonNode r : source.entity(table.logicalName()).orElseThrow().manyToMany()) {
                Optional<String> schemaName = text(r, "SchemaName");
                Optional<String> e1 = text(r, "Entity1LogicalName");
                Optional<String> e2 = text(r, "Entity2LogicalName");
                if (schemaName.isEmpty() || e1.isEmpty() || e2.isEmpty()) {
                    report.relationship(Outcome.SKIPPED, "many-to-many of " + table.logicalName(), "relationship",
                            "SchemaName, Entity1LogicalName or Entity2LogicalName missing");
                    continue;
                }
                if (!seen.add(schemaName.get().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                List<String> notes = new ArrayList<>();
                for (String nav : List.of("Entity1NavigationPropertyName", "Entity2NavigationPropertyName")) {
                    text(r, nav).filter(n -> !n.equals(schemaName.get())).ifPresent(n -> notes.add(nav + " '" + n
                            + "': dvemu names the navigation property '" + schemaName.get() + "'"));
                }
                String intersect = text(r, "IntersectEntityName").orElse(schemaName.get()).toLowerCase(Locale.ROOT);
                rules.addManyToMany(tables, schemaName.get(), e1.get(), e2.get(), intersect, String.join("; ", notes));
            }
        }
    }
}
