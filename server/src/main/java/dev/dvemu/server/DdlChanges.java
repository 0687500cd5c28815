package dev.dvemu.server;

import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.ChangeDdl;
import dev.dvemu.server.db.DataSources;
import dev.dvemu.server.db.Migrations;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.db.SchemaDifference;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.server.metadata.TableDef;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code ddl --changes [TABLE...]}: opens the database the server would use with the same options, compares it with
 * the table definitions and prints the migration that makes it match ({@link ChangeDdl}). It reads the database and
 * changes nothing in it: the output is typically redirected into the next migration file, which the shell creates
 * (empty) before this runs, so migrating here would apply that empty file. A throwaway ({@code --ephemeral}) database
 * is the exception: it is migrated first, as the server would, else it would be compared empty.
 */
final class DdlChanges {
    /** The flag that turns {@code ddl} into this. */
    static final String FLAG = "--changes";

    private DdlChanges() {
    }

    static int run(ServerConfig config, List<String> tableNames, PrintStream out, PrintStream err) {
        MetadataSources sources = MetadataSources.of(config.metadata());
        Catalog catalog = sources.load();
        List<TableDef> tables = tableNames.stream().map(catalog::require).toList();
        List<SchemaDifference> differences;
        List<Migrations.Location> locations = sources.sources().stream()
                .map(m -> new Migrations.Location(m.flywayLocation(), sources.historyTable(m))).toList();
        try (DataSources ds = DataSources.open(config)) {
            if (config.ephemeral()) {
                Migrations.migrate(ds.dataSource(), locations);
            } else {
                Optional<String> unapplied = unapplied(Migrations.pending(ds.dataSource(), locations));
                if (unapplied.isPresent()) {
                    err.println("dvemu: ddl --changes: " + unapplied.get());
                    return 1;
                }
            }
            differences = new SchemaCheck().differences(ds.dataSource(), catalog);
        } catch (SchemaCheck.SchemaMismatchException e) {
            throw e;
        } catch (RuntimeException e) {
            err.println("dvemu: ddl --changes: cannot open the database: " + StartupFailure.describe(e, config));
            return 1;
        }
        if (!tables.isEmpty()) {
            differences = ChangeDdl.of(differences, tables);
        }
        out.print(ChangeDdl.generate(catalog, differences, sources.description()));
        out.flush();
        return 0;
    }

    /**
     * Why the database cannot be compared yet: migrations with statements that it has not applied (compared without
     * them, their statements would be printed again). Empty pending files — this command's own redirect target — do
     * not count, but are named when something else stops the command.
     */
    static Optional<String> unapplied(List<Migrations.Pending> pending) {
        List<String> waiting = pending.stream().filter(p -> !p.empty()).map(Migrations.Pending::script).toList();
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("migrations not applied yet: ").append(String.join(", ", waiting))
                .append(". The database would be compared without them and their statements printed again:"
                        + " start dvemu once (it applies them), then run this again.");
        pending.stream().filter(Migrations.Pending::empty).forEach(p -> sb.append(' ').append(p.script())
                .append(" is empty: delete it first, or dvemu applies it as an empty migration."));
        return Optional.of(sb.toString());
    }

    /** {@code args} without {@link #FLAG}, which the server's option parser does not know. */
    static String[] withoutFlag(String[] args) {
        return java.util.Arrays.stream(args).filter(a -> !a.equals(FLAG)).toArray(String[]::new);
    }

    static boolean hasFlag(String[] args) {
        return java.util.Arrays.asList(args).contains(FLAG);
    }
}
