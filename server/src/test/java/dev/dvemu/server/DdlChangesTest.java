package dev.dvemu.server;

import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.Migrations;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ddl --changes}: a metadata directory migrated with its first definitions, then changed (a new column, a
 * longer text column, a new table, a new alternate key, another delete behaviour, a dropped column); the start-up
 * check refuses it naming the command to run, and that command's output, saved as the next migration, makes start-up
 * pass. Each test has a database of its own on the shared embedded PostgreSQL.
 */
@DvemuTest(reset = Reset.NEVER)
class DdlChangesTest {
    static Dvemu dvemu;

    private static final Pattern JDBC = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private static final String GADGET_V1 = """
            {"logicalName": "new_gadget", "entitySetName": "new_gadgets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String", "maxLength": 50},
                         {"name": "new_code", "type": "String", "maxLength": 20},
                         {"name": "new_legacy", "type": "Integer"},
                         {"name": "new_accountid", "type": "Lookup", "target": "account", "navigationProperty": "new_AccountId",
                          "cascadeDelete": "RemoveLink"}]}""";

    private static final String GADGET_V2 = """
            {"logicalName": "new_gadget", "entitySetName": "new_gadgets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String", "maxLength": 200},
                         {"name": "new_code", "type": "String", "maxLength": 20},
                         {"name": "new_price", "type": "Money"},
                         {"name": "new_accountid", "type": "Lookup", "target": "account", "navigationProperty": "new_AccountId",
                          "cascadeDelete": "Cascade"}],
             "alternateKeys": [{"name": "new_code_key", "columns": ["new_code"]}]}""";

    private static final String PART = """
            {"logicalName": "new_part", "entitySetName": "new_parts", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String"},
                         {"name": "new_number", "type": "String", "autoNumberFormat": "P-{SEQNUM:4}"},
                         {"name": "new_gadgetid", "type": "Lookup", "target": "new_gadget", "navigationProperty": "new_GadgetId",
                          "cascadeDelete": "Restrict"}],
             "alternateKeys": [{"name": "new_number_key", "columns": ["new_number"]}],
             "manyToMany": [{"schemaName": "new_part_contact", "relatedTable": "contact", "intersectTable": "new_part_contact"}]}""";

    private String database;
    private String url;
    private Path dir;

    @BeforeEach
    void migrateTheFirstDefinitions() throws Exception {
        database = "ddlchanges_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        Matcher m = JDBC.matcher(dvemu.jdbcUrl());
        assertTrue(m.matches(), dvemu.jdbcUrl());
        url = m.group(1) + database + m.group(3);
        dir = Files.createTempDirectory("dvemu-changes-");
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("tables/new_gadget.json"), GADGET_V1);
        Files.writeString(dir.resolve("migrations/V1__gadget.sql"), run("ddl", "--metadata", "builtin," + dir).out());
        migrate();
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement()) {
            // a row that must survive the migration
            s.execute("INSERT INTO new_gadget (new_gadgetid, new_name, new_code, new_legacy, versionnumber, createdon, modifiedon)"
                    + " VALUES (gen_random_uuid(), 'kept', 'G-1', 7, 1, now(), now())");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void theChangesMigrationMakesTheDatabaseMatchTheChangedDefinitions() throws Exception {
        changeTheDefinitions();
        Result changes = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        assertEquals(0, changes.status(), changes.err());
        String sql = changes.out();
        assertTrue(sql.contains("ALTER TABLE new_gadget ADD COLUMN new_price numeric(38,4);"), sql);
        assertTrue(sql.contains("ALTER TABLE new_gadget ALTER COLUMN new_name TYPE varchar(200);"), sql);
        assertTrue(sql.contains("CREATE TABLE new_part ("), sql);
        assertTrue(sql.contains("CREATE UNIQUE INDEX new_gadget_new_code_key ON new_gadget (new_code);"), sql);
        assertTrue(sql.contains("ALTER TABLE new_gadget DROP CONSTRAINT new_gadget_new_accountid_fkey, ADD CONSTRAINT"
                + " new_gadget_new_accountid_fkey FOREIGN KEY (new_accountid) REFERENCES account (accountid) ON DELETE CASCADE;"), sql);
        assertTrue(sql.contains("CREATE SEQUENCE new_part_new_number_seq START WITH 1000;"), sql);
        assertTrue(sql.contains("CREATE TABLE new_part_contact ("), sql);
        // the dropped column is left alone, with the statement commented out
        assertTrue(sql.contains("-- ALTER TABLE new_gadget DROP COLUMN new_legacy;"), sql);
        assertFalse(sql.lines().anyMatch(l -> l.startsWith("ALTER TABLE new_gadget DROP COLUMN")), sql);

        Files.writeString(dir.resolve("migrations/V2__changes.sql"), sql);
        migrate();
        assertDoesNotThrow(() -> new SchemaCheck().verify(dataSource(database), MetadataSources.of(List.of("builtin", dir.toString())).load()));
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT new_name, new_legacy FROM new_gadget")) {
            assertTrue(rs.next());
            assertEquals("kept", rs.getString(1));
            assertEquals(7, rs.getInt(2));
        }
        Result again = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        assertTrue(again.out().contains("-- WARNING: column new_gadget.new_legacy is not in the table definition"), again.out());
        assertFalse(again.out().lines().anyMatch(l -> !l.isEmpty() && !l.startsWith("--")), again.out());
    }

    @Test
    void migrationsWrittenButNotAppliedAreNamedInsteadOfPrintedAgain() throws Exception {
        changeTheDefinitions();
        Result first = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        Files.writeString(dir.resolve("migrations/V2__changes.sql"), first.out());
        // the next run's output redirected by the shell: the file exists, empty, before the command runs
        Files.writeString(dir.resolve("migrations/V3__changes.sql"), "");

        Result again = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        assertEquals(1, again.status(), again.out());
        assertEquals("", again.out());
        assertTrue(again.err().contains("not applied yet: V2__changes.sql"), again.err());
        assertTrue(again.err().contains("V3__changes.sql is empty"), again.err());
        assertFalse(again.err().contains("not applied yet: V2__changes.sql, V3__changes.sql"), again.err());

        migrate();
        Files.delete(dir.resolve("migrations/V3__changes.sql"));
        Result after = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        assertEquals(0, after.status(), after.err());
        assertFalse(after.out().lines().anyMatch(l -> !l.isEmpty() && !l.startsWith("--")), after.out());
    }

    @Test
    void startUpNamesTheCommandThatWritesTheNextMigration() throws Exception {
        changeTheDefinitions();
        ServerConfig config = ConfigParser.parse(new String[] {"--port", "0", "--metadata", "builtin," + dir, "--db-url",
                url + (url.contains("?") ? "&" : "?") + "password=secret", "--db-user", "postgres"}, Map.of()).config();
        SchemaCheck.SchemaMismatchException e = assertThrows(SchemaCheck.SchemaMismatchException.class, () -> DvemuServer.start(config));
        assertTrue(e.getMessage().contains("\n  java -jar dvemu-server.jar ddl --changes --metadata builtin," + dir
                + " --db-url " + (url.contains("?") ? "'" + url + "'" : url) + " --db-user postgres > " + dir.resolve("migrations/V2__changes.sql")), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void anUnsafeTypeChangeIsCommentedOutWithAWarning() throws Exception {
        Files.writeString(dir.resolve("tables/new_gadget.json"), GADGET_V1.replace(
                "{\"name\": \"new_legacy\", \"type\": \"Integer\"}", "{\"name\": \"new_legacy\", \"type\": \"Boolean\"}"));
        Result changes = run("ddl", "--changes", "--metadata", "builtin," + dir, "--db-url", url, "--db-user", "postgres");
        assertTrue(changes.out().contains("-- WARNING: column new_gadget.new_legacy is integer but metadata needs boolean: not a widening"),
                changes.out());
        assertTrue(changes.out().contains("\n-- ALTER TABLE new_gadget ALTER COLUMN new_legacy TYPE boolean;\n"), changes.out());
    }

    // ---------- helpers ----------

    private void changeTheDefinitions() throws Exception {
        Files.writeString(dir.resolve("tables/new_gadget.json"), GADGET_V2);
        Files.writeString(dir.resolve("tables/new_part.json"), PART);
    }

    private void migrate() {
        MetadataSources sources = MetadataSources.of(List.of("builtin", dir.toString()));
        Migrations.migrate(dataSource(database), sources.sources().stream()
                .map(s -> new Migrations.Location(s.flywayLocation(), sources.historyTable(s))).toList());
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PGSimpleDataSource dataSource(String databaseName) {
        Matcher m = JDBC.matcher(dvemu.jdbcUrl());
        assertTrue(m.matches(), "unexpected JDBC URL " + dvemu.jdbcUrl());
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(m.group(1) + databaseName + m.group(3));
        ds.setUser("postgres");
        return ds;
    }
}
