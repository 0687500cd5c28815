package dev.dvemu.server.db;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.List;

/**
 * Flyway owns the physical schema. The server's own objects (the global version sequence) and the tables of a
 * metadata directory are migrated separately, each with its own history table, so a metadata directory numbers
 * its migrations from V1 without colliding with the server's (and, with several metadata sources, with each other's).
 */
public final class Migrations {
    public static final String SERVER_HISTORY = "dvemu_server_schema_history";
    public static final String METADATA_HISTORY = dev.dvemu.server.metadata.MetadataSources.HISTORY;

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

    private static void run(DataSource ds, String location, String historyTable) {
        Flyway.configure()
                .dataSource(ds)
                .locations(location)
                .table(historyTable)
                // the other history table (or a user's own objects) make the schema non-empty; start from zero anyway
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
