package dev.dvemu.server.schemaimport;

import dev.dvemu.server.schemaimport.ImportReport.Outcome;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables an import takes: all that can be imported, or those named ({@code --tables}) and those of a solution
 * prefix ({@code --prefix}), and with {@code --follow-lookups} the tables their lookups target, transitively.
 */
final class TableSelection {
    private TableSelection() {
    }

    /** The chosen tables, each with why it was chosen; the entity types that cannot be imported are reported. */
    static Map<String, String> select(SchemaSource schema, ImportOptions options, ImportReport report) throws ImportOptions.UsageException {
        Map<String, String> chosen = new LinkedHashMap<>();
        if (options.tables().isEmpty() && options.prefixes().isEmpty()) {
            for (String t : schema.tableNames()) {
                Optional<String> why = schema.whyNot(t);
                if (why.isPresent()) {
                    report.table(Outcome.SKIPPED, t, "entity type", why.get());
                } else {
                    chosen.put(t, "");
                }
            }
        }
        for (String name : options.tables()) {
            if (!schema.has(name)) {
                throw new ImportOptions.UsageException("--tables: " + schema.document() + " has no entity type '" + name + "'");
            }
            Optional<String> why = schema.whyNot(name);
            if (why.isPresent()) {
                throw new ImportOptions.UsageException("--tables: '" + name + "' cannot be imported: " + why.get());
            }
            chosen.putIfAbsent(name, "--tables");
        }
        for (String prefix : options.prefixes()) {
            boolean any = false;
            for (String t : schema.tableNames()) {
                if (t.startsWith(prefix)) {
                    any = true;
                    Optional<String> why = schema.whyNot(t);
                    if (why.isPresent()) {
                        report.table(Outcome.SKIPPED, t, "entity type of prefix " + prefix, why.get());
                    } else {
                        chosen.putIfAbsent(t, "--prefix " + prefix);
                    }
                }
            }
            if (!any) {
                throw new ImportOptions.UsageException("--prefix: no entity type of " + schema.document() + " starts with '" + prefix + "'");
            }
        }
        if (options.followLookups()) {
            follow(schema, chosen);
        }
        return chosen;
    }

    /** Adds each lookup's target that is not chosen yet (for a polymorphic lookup: its first importable target). */
    private static void follow(SchemaSource schema, Map<String, String> chosen) {
        Deque<String> work = new ArrayDeque<>(chosen.keySet());
        while (!work.isEmpty()) {
            String t = work.poll();
            for (SchemaSource.LookupTargets lookup : schema.lookupTargets(t)) {
                List<String> targets = lookup.targets();
                if (targets.isEmpty() || targets.stream().anyMatch(chosen::containsKey)) {
                    continue;
                }
                String target = targets.get(0);
                chosen.put(target, "--follow-lookups: the target of " + t + "." + lookup.property());
                work.add(target);
            }
        }
    }
}
