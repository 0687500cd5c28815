package dev.dvemu.server.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flyway owns the physical schema. The server's own objects (the global version sequence) and the tables of a
 * metadata directory are migrated separately, each with its own history table, so a metadata directory numbers
 * its migrations from V1 without colliding with the server's (and, with several metadata sources, with each other's).
 */
public final class Migrations {
    public static final String SERVER_HISTORY = "dvemu_server_schema_history";
    public static final String METADATA_HISTORY = dev.dvemu.server.metadata.MetadataSources.HISTORY;
    private static final String FILESYSTEM = "filesystem:";

    private Migrations() {
    }

    /** Where one metadata source's migrations are, and the history table Flyway keeps for them. */
    public record Location(String location, String historyTable) {
    }

    /** The server's own migrations, then each metadata source's, in order, each with its own history table. */
    public static void migrate(DataSource ds, List<Location> metadata) {
        run(ds, "classpath:db/dvemu", SERVER_HISTORY);
        for (Location l : metadata) {
            run(ds, l.location(), l.historyTable());
        }
    }

    /** A migration not applied yet; {@code empty} when its file has no statements (a shell redirect's target, say). */
    public record Pending(String script, boolean empty) {
    }

    /** The metadata sources' migrations that {@link #migrate} would apply, in order. Reads; changes nothing. */
    public static List<Pending> pending(DataSource ds, List<Location> metadata) {
        List<Pending> pending = new ArrayList<>();
        for (Location l : metadata) {
            for (MigrationInfo m : flyway(ds, l.location(), l.historyTable()).info().pending()) {
                pending.add(new Pending(m.getScript(), isEmpty(l.location(), m.getScript())));
            }
        }
        return pending;
    }

    private static boolean isEmpty(String location, String script) {
        if (!location.startsWith(FILESYSTEM)) {
            return false;
        }
        try {
            return Files.readString(Path.of(location.substring(FILESYSTEM.length())).resolve(script)).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(DataSource ds, String location, String historyTable) {
        flyway(ds, location, historyTable).migrate();
    }

    private static Flyway flyway(DataSource ds, String location, String historyTable) {
        return Flyway.configure()
                .dataSource(ds)
                .locations(location)
                .table(historyTable)
                // the other history table (or a user's own objects) make the schema non-empty; start from zero anyway
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load();
    }
}
