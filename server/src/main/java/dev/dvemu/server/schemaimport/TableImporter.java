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
    private static final List<String> NAME_COLUMNS = List.of("name", "fullname", "subject", "title");

    private final OrgSchema schema;
    private final ImportReport report;
    private final ColumnMapper columns;
    /** The relationship names taken so far, lower case: Dataverse's schema names are unique ignoring case. */
    private final Set<String> relationshipNames = new HashSet<>();

    TableImporter(OrgSchema schema, ImportReport report) {
        this.schema = schema;
        this.report = report;
        this.columns = new ColumnMapper(report);
    }

    /** {@code chosen}: table name to why it was chosen ({@link TableSelection}); the result in document order. */
    List<ImportedTable> importTables(Map<String, String> chosen) {
        Map<String, ImportedTable> tables = new LinkedHashMap<>();
        for (OrgSchema.EntityType t : schema.types()) {
            if (chosen.containsKey(t.name())) {
                tables.put(t.name(), table(t, chosen));
            }
        }
        checkRelationshipNames(tables);
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
        return new ImportedTable(t.name(), t.entitySet().orElseThrow(), primaryName, cols, keys, new ArrayList<>());
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

    /**
     * The plain {@code $metadata} does not say which column is the primary name (Dataverse's
     * {@code PrimaryNameAttribute} is in EntityDefinitions only), so: the first String column among {@code name},
     * {@code <prefix>_name} ({@code ggw_name}), {@code fullname}, {@code subject}, {@code title}, then the first whose
     * name ends in {@code name}, then the first String column; a table without one gets a {@code name} column.
     */
    private String primaryName(OrgSchema.EntityType t, List<Column> cols) {
        List<String> strings = cols.stream().filter(c -> c.type().equals("String")).map(Column::name).toList();
        List<String> preferred = new ArrayList<>();
        preferred.add("name");
        if (t.name().contains("_")) {
            preferred.add(t.name().substring(0, t.name().indexOf('_')) + "_name");
        }
        preferred.addAll(NAME_COLUMNS.subList(1, NAME_COLUMNS.size()));
        Optional<String> found = preferred.stream().filter(strings::contains).findFirst()
                .or(() -> strings.stream().filter(s -> s.endsWith("name") && !s.contains("yomi")).findFirst())
                .or(() -> strings.stream().findFirst());
        if (found.isPresent()) {
            return found.get();
        }
        String name = cols.stream().anyMatch(c -> c.name().equals("name")) ? t.name() + "_dvemuname" : "name";
        cols.add(new Column(name, "String", 100, null, null, null, null));
        report.column(Outcome.ASSUMED, t.name(), name, "added String(100)",
                "the table has no String column, and dvemu needs one as the primary name");
        return name;
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
                        : paths.size() > 16 ? Optional.of("more than 16 columns") : keyProblem(paths, cols);
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

    private static Optional<String> keyProblem(List<String> paths, List<Column> cols) {
        Set<String> keyTypes = Set.of("String", "Integer", "BigInt", "Decimal", "DateTime", "Lookup", "Choice");
        for (String p : paths) {
            Optional<Column> c = cols.stream().filter(x -> x.propertyName().equals(p)).findFirst();
            if (c.isEmpty()) {
                return Optional.of("its column '" + p + "' is not imported");
            }
            if (!keyTypes.contains(c.get().type())) {
                return Optional.of("its column '" + p + "' is a " + c.get().type() + ", which cannot be part of a dvemu key");
            }
        }
        return Optional.empty();
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

    /**
     * A lookup's relationship becomes a collection-valued navigation property of its target: its name must be unique
     * across all relationships (ignoring case) and not a property of the target; otherwise the lookup keeps only its
     * single-valued side.
     */
    private void checkRelationshipNames(Map<String, ImportedTable> tables) {
        Set<String> used = new HashSet<>();
        for (ImportedTable t : tables.values()) {
            List<Column> cols = t.columns();
            for (int i = 0; i < cols.size(); i++) {
                Column c = cols.get(i);
                if (!c.isLookup() || c.relationship() == null) {
                    continue;
                }
                String why = relationshipProblem(c.relationship(), List.of(tables.get(c.target())), used);
                String subject = t.logicalName() + "." + c.name();
                if (why != null) {
                    cols.set(i, c.withRelationship(null));
                    report.relationship(Outcome.SKIPPED, subject + " -> " + c.target(), "one-to-many " + c.relationship(), why
                            + "; the lookup keeps its single-valued side only");
                } else {
                    used.add(c.relationship().toLowerCase(Locale.ROOT));
                    report.relationship(Outcome.MAPPED, subject + " -> " + c.target(), "one-to-many " + c.relationship(), "");
                }
            }
        }
        relationshipNames.addAll(used);
    }

    private static String relationshipProblem(String name, List<ImportedTable> owners, Set<String> used) {
        if (!Importability.validName(name)) {
            return "'" + name + "' is not a valid name";
        }
        if (used.contains(name.toLowerCase(Locale.ROOT))) {
            return "the name is used by another relationship";
        }
        for (ImportedTable owner : owners) {
            if (owner.columns().stream().anyMatch(c -> c.propertyName().equals(name) || name.equals(c.navigationProperty()))) {
                return "'" + name + "' is already a property of " + owner.logicalName();
            }
        }
        return null;
    }

    /** A collection navigation property partnered with itself, on both tables: Dataverse's many-to-many shape. */
    private void addManyToMany(Map<String, ImportedTable> tables) {
        Set<String> seen = new HashSet<>();
        Set<String> usedIntersects = new HashSet<>();
        for (ImportedTable table : tables.values()) {
            OrgSchema.EntityType t = schema.type(table.logicalName()).orElseThrow();
            for (OrgSchema.Navigation n : t.navigations()) {
                if (!n.collection() || !n.name().equals(n.partner()) || !seen.add(n.name())
                        || schema.type(n.type()).flatMap(r -> r.navigation(n.name())).filter(r -> !r.collection()).isPresent()) {
                    // not many-to-many: a one-to-many whose other side is a lookup of the same name (reported with it)
                    continue;
                }
                String subject = "many-to-many " + n.name();
                String what = t.name() + " <-> " + n.type();
                ImportedTable related = tables.get(n.type());
                String intersect = n.name().toLowerCase(Locale.ROOT);
                String why;
                if (n.type().equals(t.name())) {
                    why = "a relationship of a table with itself is not supported";
                } else if (related == null) {
                    why = "the related table " + n.type() + " is not imported";
                } else if (schema.type(n.type()).flatMap(r -> r.navigation(n.name())).filter(OrgSchema.Navigation::collection).isEmpty()) {
                    why = n.type() + " has no collection navigation property " + n.name();
                } else if (!ColumnMapper.IDENTIFIER.matcher(intersect).matches() || SqlKeywords.isReserved(intersect)
                        || tables.containsKey(intersect)
                        || !usedIntersects.add(intersect)) {
                    why = "its intersect table name '" + intersect + "' is not a valid, unused table name";
                } else {
                    why = relationshipProblem(n.name(), List.of(table, related), relationshipNames);
                }
                if (why != null) {
                    report.relationship(Outcome.SKIPPED, subject, what, why);
                    continue;
                }
                relationshipNames.add(n.name().toLowerCase(Locale.ROOT));
                table.manyToMany().add(new ImportedTable.ManyToMany(n.name(), related.logicalName(), intersect));
                report.relationship(Outcome.MAPPED, subject, what + " (intersect table " + intersect + ")", "");
            }
        }
    }
}
