package dev.dvemu.server.schemaimport;

import dev.dvemu.server.schemaimport.ImportReport.Outcome;
import dev.dvemu.server.schemaimport.ImportedTable.Column;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlPropertyValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the chosen entity types into table definitions: columns ({@link ColumnMapper}), lookups (a {@code _x_value}
 * with the navigation property whose referential constraint names it), the primary name column, alternate keys (the
 * {@code OData.Community.Keys.V1.AlternateKeys} annotation) and many-to-many relationships (a collection navigation
 * property partnered with itself on the other table). Relationship names are checked the way the catalog checks them.
 */
final class TableImporter {
    private final OrgSchema schema;
    private final ImportReport report;
    private final ColumnMapper columns;
    private final TableRules rules;

    TableImporter(OrgSchema schema, ImportReport report) {
        this.schema = schema;
        this.report = report;
        this.columns = new ColumnMapper(report);
        this.rules = new TableRules(report);
    }

    /** {@code chosen}: table name to why it was chosen ({@link TableSelection}); the result in document order. */
    List<ImportedTable> importTables(Map<String, String> chosen) {
        Map<String, ImportedTable> tables = new LinkedHashMap<>();
        for (OrgSchema.EntityType t : schema.types()) {
            if (chosen.containsKey(t.name())) {
                tables.put(t.name(), table(t, chosen));
            }
        }
        rules.checkRelationshipNames(tables);
        addManyToMany(tables);
        return List.copyOf(tables.values());
    }

    private ImportedTable table(OrgSchema.EntityType t, Map<String, String> chosen) {
        List<Column> cols = new ArrayList<>();
        Set<String> navigations = new HashSet<>();
        for (CsdlProperty p : t.properties().values()) {
            Optional<String> lookup = Importability.lookupColumn(p.getName());
            Optional<Column> c = lookup.isPresent() && "Edm.Guid".equals(p.getType())
                    ? lookup(t, p.getName(), lookup.get(), chosen, navigations) : columns.map(t, p);
            c.ifPresent(cols::add);
        }
        reportPlainConstraints(t);
        String primaryName = primaryName(t, cols);
        List<ImportedTable.Key> keys = alternateKeys(t, cols);
        report.table(Outcome.MAPPED, t.name(), "entity set " + t.entitySet().orElseThrow() + ", primary name " + primaryName,
                chosen.get(t.name()));
        return new ImportedTable(t.name(), t.entitySet().orElseThrow(), primaryName, cols, keys, new ArrayList<>(),
                ImportedTable.Labels.NONE);
    }

    private Optional<Column> lookup(OrgSchema.EntityType t, String property, String name, Map<String, String> chosen,
                                    Set<String> navigations) {
        if (!ColumnMapper.IDENTIFIER.matcher(name).matches() || SqlKeywords.isReserved(name)) {
            report.column(Outcome.SKIPPED, t.name(), name, "lookup " + property, "not a valid dvemu column name");
            return Optional.empty();
        }
        List<OrgSchema.Navigation> navs = Importability.lookupNavigations(t, property);
        if (navs.isEmpty()) {
            report.column(Outcome.SKIPPED, t.name(), name, "lookup " + property,
                    "no single-valued navigation property names it in a referential constraint");
            return Optional.empty();
        }
        String targets = navs.stream().map(OrgSchema.Navigation::type).distinct().collect(Collectors.joining(", "));
        Optional<OrgSchema.Navigation> chosenNav = navs.stream().filter(n -> chosen.containsKey(n.type())).findFirst();
        if (chosenNav.isEmpty()) {
            report.column(Outcome.SKIPPED, t.name(), name, "lookup to " + targets, whyNotImported(navs));
            return Optional.empty();
        }
        OrgSchema.Navigation nav = chosenNav.get();
        if (!Importability.validName(nav.name()) || !navigations.add(nav.name())) {
            report.column(Outcome.SKIPPED, t.name(), name, "lookup to " + targets,
                    "navigation property '" + nav.name() + "' is not a valid name or is used twice");
            return Optional.empty();
        }
        String what = "Lookup to " + nav.type() + " (navigation property " + nav.name()
                + (nav.partner() == null ? "" : ", relationship " + nav.partner()) + ")";
        if (navs.size() > 1) {
            report.column(Outcome.ASSUMED, t.name(), name, what, "polymorphic lookup to " + targets
                    + "; a dvemu lookup has one target: the first one imported is kept");
        } else {
            report.column(Outcome.MAPPED, t.name(), name, what, "");
        }
        return Optional.of(new Column(name, "Lookup", null, null, nav.type(), nav.name(), nav.partner()));
    }

    private String whyNotImported(List<OrgSchema.Navigation> navs) {
        List<String> importable = navs.stream().map(OrgSchema.Navigation::type).distinct()
                .filter(n -> schema.type(n).map(x -> Importability.whyNot(x).isEmpty()).orElse(false)).toList();
        if (importable.isEmpty()) {
            String target = navs.get(0).type();
            return "dropped: its target is not imported and cannot be: " + schema.type(target).flatMap(Importability::whyNot)
                    .orElse("the CSDL has no entity type '" + target + "'");
        }
        return "dropped: its target (" + String.join(", ", importable) + ") is not imported; add it with --tables or --follow-lookups";
    }

    /** A referential constraint on a plain property ({@code stageid}): the property stays a Uniqueidentifier. */
    private void reportPlainConstraints(OrgSchema.EntityType t) {
        for (OrgSchema.Navigation n : t.navigations()) {
            if (n.collection()) {
                continue;
            }
            for (String constrained : n.constrained()) {
                if (Importability.lookupColumn(constrained).isEmpty()) {
                    report.relationship(Outcome.SKIPPED, t.name() + "." + n.name(), "navigation property to " + n.type(),
                            "its referential constraint names '" + constrained
                                    + "', not a lookup value _x_value; that property is imported as it is declared");
                }
            }
        }
    }

    /** The plain {@code $metadata} does not name the primary name column (EntityDefinitions' PrimaryNameAttribute does). */
    private String primaryName(OrgSchema.EntityType t, List<Column> cols) {
        return rules.primaryName(t.name(), cols);
    }

    /** {@code OData.Community.Keys.V1.AlternateKeys}: a collection of records whose {@code Key} lists property paths. */
    private List<ImportedTable.Key> alternateKeys(OrgSchema.EntityType t, List<Column> cols) {
        List<ImportedTable.Key> keys = new ArrayList<>();
        for (CsdlAnnotation a : t.annotations()) {
            if (a.getTerm() == null || !a.getTerm().endsWith("Keys.V1.AlternateKeys") && !a.getTerm().equals("Keys.AlternateKeys")) {
                continue;
            }
            if (!isCollection(a.getExpression())) {
                report.relationship(Outcome.SKIPPED, t.name(), "alternate keys", "the annotation is not a collection");
                continue;
            }
            for (CsdlExpression item : a.getExpression().asDynamic().asCollection().getItems()) {
                List<String> paths = keyPaths(item);
                String name = "ak" + (keys.size() + 1);
                Optional<String> problem = paths.isEmpty() ? Optional.of("no property paths")
                        : TableRules.keyProblem(paths, cols, Column::propertyName);
                String subject = t.name() + " key (" + String.join(", ", paths) + ")";
                if (problem.isPresent()) {
                    report.relationship(Outcome.SKIPPED, subject, "alternate key", problem.get());
                } else {
                    List<String> names = paths.stream().map(p -> Importability.lookupColumn(p).orElse(p)).toList();
                    keys.add(new ImportedTable.Key(name, names));
                    report.relationship(Outcome.MAPPED, subject, "alternate key " + name, "");
                }
            }
        }
        return keys;
    }

    private static List<String> keyPaths(CsdlExpression item) {
        List<String> paths = new ArrayList<>();
        if (!item.isDynamic() || !item.asDynamic().isRecord()) {
            return paths;
        }
        for (CsdlPropertyValue v : item.asDynamic().asRecord().getPropertyValues()) {
            if (!"Key".equals(v.getProperty()) || !isCollection(v.getValue())) {
                continue;
            }
            for (CsdlExpression ref : v.getValue().asDynamic().asCollection().getItems()) {
                if (!ref.isDynamic() || !ref.asDynamic().isRecord()) {
                    continue;
                }
                for (CsdlPropertyValue x : ref.asDynamic().asRecord().getPropertyValues()) {
                    if ("Name".equals(x.getProperty()) && x.getValue() != null && x.getValue().isDynamic()
                            && x.getValue().asDynamic().isPropertyPath()) {
                        paths.add(x.getValue().asDynamic().asPropertyPath().getValue());
                    }
                }
            }
        }
        return paths;
    }

    private static boolean isCollection(CsdlExpression e) {
        return e != null && e.isDynamic() && e.asDynamic().isCollection();
    }

    /** A collection navigation property partnered with itself, on both tables: Dataverse's many-to-many shape. */
    private void addManyToMany(Map<String, ImportedTable> tables) {
        Set<String> seen = new HashSet<>();
        for (ImportedTable table : tables.values()) {
            OrgSchema.EntityType t = schema.type(table.logicalName()).orElseThrow();
            for (OrgSchema.Navigation n : t.navigations()) {
                if (!n.collection() || !n.name().equals(n.partner()) || !seen.add(n.name())
                        || schema.type(n.type()).flatMap(r -> r.navigation(n.name())).filter(r -> !r.collection()).isPresent()) {
                    // not many-to-many: a one-to-many whose other side is a lookup of the same name (reported with it)
                    continue;
                }
                if (tables.containsKey(n.type()) && !n.type().equals(t.name())
                        && schema.type(n.type()).flatMap(r -> r.navigation(n.name())).filter(OrgSchema.Navigation::collection).isEmpty()) {
                    report.relationship(Outcome.SKIPPED, "many-to-many " + n.name(), t.name() + " <-> " + n.type(),
                            n.type() + " has no collection navigation property " + n.name());
                    continue;
                }
                rules.addManyToMany(tables, n.name(), t.name(), n.type(), n.name().toLowerCase(Locale.ROOT), "");
            }
        }
    }
}
