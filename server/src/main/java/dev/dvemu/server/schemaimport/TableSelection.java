package dev.dvemu.server.schemaimport;

import dev.dvemu.server.schemaimport.ImportReport.Outcome;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The tables an import takes: all that can be imported, or those named ({@code --tables}) and those of a solution
 * prefix ({@code --prefix}), and with {@code --follow-lookups} the tables their lookups target, transitively.
 */
final class TableSelection {
    private TableSelection() {
    }

    /** The chosen tables, each with why it was chosen; the entity types that cannot be imported are reported. */
    static Map<String, String> select(OrgSchema schema, ImportOptions options, ImportReport report) throws ImportOptions.UsageException {
        Map<String, String> chosen = new LinkedHashMap<>();
        Map<String, String> intersects = intersectEntities(schema);
        if (options.tables().isEmpty() && options.prefixes().isEmpty()) {
            for (OrgSchema.EntityType t : schema.types()) {
                Optional<String> why = whyNot(t, intersects);
                if (why.isPresent()) {
                    report.table(Outcome.SKIPPED, t.name(), "entity type", why.get());
                } else {
                    chosen.put(t.name(), "");
                }
            }
        }
        for (String name : options.tables()) {
            OrgSchema.EntityType t = schema.type(name).orElseThrow(() -> new ImportOptions.UsageException(
                    "--tables: the CSDL has no entity type '" + name + "'"));
            Optional<String> why = whyNot(t, intersects);
            if (why.isPresent()) {
                throw new ImportOptions.UsageException("--tables: '" + name + "' cannot be imported: " + why.get());
            }
            chosen.putIfAbsent(name, "--tables");
        }
        for (String prefix : options.prefixes()) {
            boolean any = false;
            for (OrgSchema.EntityType t : schema.types()) {
                if (t.name().startsWith(prefix)) {
                    any = true;

                    Optional<String> why = whyNot(t, intersects);
                    if (why.isPresent()) {
                        report.table(Outcome.SKIPPED, t.name(), "entity type of prefix " + prefix, why.get());
                    } else {
                        chosen.putIfAbsent(t.name(), "--prefix " + prefix);
                    }
                }
            }
            if (!any) {
                throw new ImportOptions.UsageException("--prefix: no entity type of the CSDL starts with '" + prefix + "'");
            }
        }
        if (options.followLookups()) {
            follow(schema, chosen, report);
        }
        return chosen;
    }

    private static Optional<String> whyNot(OrgSchema.EntityType t, Map<String, String> intersects) {
        if (intersects.containsKey(t.name())) {
            return Optional.of("the intersect entity of the many-to-many relationship " + intersects.get(t.name())
                    + "; dvemu keeps its links in the relationship's own intersect table");
        }
        return Importability.whyNot(t);
    }

    /**
     * Dataverse declares each many-to-many relationship's intersect entity as an entity type named like the
     * relationship (lower case); such a type is the relationship's link table, not a table of its own.
     */
    private static Map<String, String> intersectEntities(OrgSchema schema) {
        Map<String, String> intersects = new LinkedHashMap<>();
        for (OrgSchema.EntityType t : schema.types()) {
            for (OrgSchema.Navigation n : t.navigations()) {
                String name = n.name().toLowerCase(java.util.Locale.ROOT);
                if (n.collection() && n.name().equals(n.partner()) && schema.type(name).isPresent()) {
                    intersects.putIfAbsent(name, n.name());
                }
            }
        }
        return intersects;
    }

    /** Adds each lookup's target that is not chosen yet (for a polymorphic lookup: its first importable target). */
    private static void follow(OrgSchema schema, Map<String, String> chosen, ImportReport report) {
        Deque<String> work = new ArrayDeque<>(chosen.keySet());
        while (!work.isEmpty()) {
            OrgSchema.EntityType t = schema.type(work.poll()).orElseThrow();
            for (String property : t.properties().keySet()) {
                if (Importability.lookupColumn(property).isEmpty()) {
                    continue;
                }
                List<String> targets = Importability.lookupNavigations(t, property).stream().map(OrgSchema.Navigation::type)
                        .filter(n -> schema.type(n).map(x -> Importability.whyNot(x).isEmpty()).orElse(false))
                        .toList();
                if (targets.isEmpty() || targets.stream().anyMatch(chosen::containsKey)) {
                    continue;
                }
                String target = targets.get(0);
                chosen.put(target, "--follow-lookups: the target of " + t.name() + "." + property);
                work.add(target);
            }
        }
    }
}
