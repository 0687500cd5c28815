package dev.dvemu.server.db;

import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up schema check against a real PostgreSQL: a fresh database per test (on the shared embedded server),
 * built from the generated DDL, then damaged in one place.
 */
@DvemuTest(reset = Reset.NEVER)
class SchemaCheckTest {
    static Dvemu dvemu;

    private static final Pattern JDBC = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    /** V1__core_tables.sql as shipped (line endings normalised to LF). */
    private static final String V1_SHA256 = "a56ab53469c8c6e441829897eb2c12064b29e3766e48e5e2ea1d38ce166ced39";

    private final Catalog catalog = MetadataSource.builtIn().load();
    private String database;
    private PGSimpleDataSource ds;

    @BeforeEach
    void createDatabaseFromGeneratedDdl() throws SQLException {
        database = "schemacheck_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        ds = dataSource(database);
        execute(new DdlGenerator().generate(catalog, catalog.tables()));
        execute("CREATE SEQUENCE dvemu_versionnumber_seq");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void generatedSchemaPassesTheCheck() {
        assertDoesNotThrow(() -> new SchemaCheck().verify(ds, catalog));
    }

    @Test
    void missingColumnIsNamed() throws SQLException {
        execute("ALTER TABLE new_stock DROP COLUMN new_bookedcount");
        assertOnlyProblem("column new_stock.new_bookedcount (integer) is missing");
    }

    @Test
    void missingTableIsNamed() throws SQLException {
        execute("DROP TABLE new_bookingslot");
        assertOnlyProblem("table new_bookingslot is missing");
    }

    @Test
    void tooShortTextColumnIsNamed() throws SQLException {
        execute("ALTER TABLE new_stock ALTER COLUMN new_name TYPE varchar(50)");
        assertOnlyProblem("column new_stock.new_name is character varying(50) but metadata needs varchar(100)");
    }

    @Test
    void missingAlternateKeyIndexIsNamed() throws SQLException {
        execute("DROP INDEX account_accountnumber_key");
        assertOnlyProblem("alternate key account.accountnumber_key has no unique index on (accountnumber)");
    }

    @Test
    void nonUniqueIndexDoesNotCountAsAlternateKey() throws SQLException {
        execute("DROP INDEX new_bookingslot_new_stock_slot");
        execute("CREATE INDEX new_bookingslot_new_stock_slot ON new_bookingslot (new_stockid, new_slotnumber)");
        assertOnlyProblem("alternate key new_bookingslot.new_stock_slot has no unique index on (new_stockid, new_slotnumber)");
    }

    @Test
    void missingAutoNumberSequenceIsNamed() throws SQLException {
        execute("DROP SEQUENCE new_booking_new_bookingnumber_seq");
        assertOnlyProblem("sequence new_booking_new_bookingnumber_seq for autonumber column new_booking.new_bookingnumber is missing");
    }

    @Test
    void missingVersionSequenceIsNamed() throws SQLException {
        execute("DROP SEQUENCE dvemu_versionnumber_seq");
        assertOnlyProblem("sequence dvemu_versionnumber_seq is missing");
    }

    @Test
    void everyDifferenceIsListed() throws SQLException {
        execute("ALTER TABLE new_stock DROP COLUMN new_bookedcount");
        execute("DROP INDEX account_accountnumber_key");
        SchemaCheck.SchemaMismatchException e = assertThrows(SchemaCheck.SchemaMismatchException.class,
                () -> new SchemaCheck().verify(ds, catalog));
        assertEquals(2, problems(e.getMessage()).length, e.getMessage());
    }

    @Test
    void aForeignKeyWithAnotherDeleteActionIsNamedWithTheStatementThatFixesIt() throws SQLException {
        execute("ALTER TABLE new_booking DROP CONSTRAINT new_booking_new_stockid_fkey, ADD CONSTRAINT new_booking_new_stockid_fkey"
                + " FOREIGN KEY (new_stockid) REFERENCES new_stock (new_stockid) ON DELETE SET NULL");
        assertOnlyProblem("foreign key new_booking_new_stockid_fkey of lookup new_booking.new_stockid is ON DELETE SET NULL"
                + " but cascadeDelete Restrict needs ON DELETE RESTRICT; change it with: ALTER TABLE new_booking"
                + " DROP CONSTRAINT new_booking_new_stockid_fkey, ADD CONSTRAINT new_booking_new_stockid_fkey"
                + " FOREIGN KEY (new_stockid) REFERENCES new_stock (new_stockid) ON DELETE RESTRICT;");
    }

    @Test
    void aMissingForeignKeyIsNamedWithTheStatementThatAddsIt() throws SQLException {
        execute("ALTER TABLE contact DROP CONSTRAINT contact_parentcustomerid_fkey");
        assertOnlyProblem("foreign key of lookup contact.parentcustomerid to account is missing; add it with:"
                + " ALTER TABLE contact ADD CONSTRAINT contact_parentcustomerid_fkey FOREIGN KEY (parentcustomerid)"
                + " REFERENCES account (accountid) ON DELETE CASCADE;");
    }

    @Test
    void aForeignKeyToAnotherTableDoesNotCountAsTheLookups() throws SQLException {
        execute("ALTER TABLE new_bookingslot DROP CONSTRAINT new_bookingslot_new_bookingid_fkey");
        execute("ALTER TABLE new_bookingslot ADD CONSTRAINT new_bookingslot_new_bookingid_fkey"
                + " FOREIGN KEY (new_bookingid) REFERENCES account (accountid) ON DELETE SET NULL");
        assertOnlyProblem("foreign key of lookup new_bookingslot.new_bookingid to new_booking is missing; add it with:"
                + " ALTER TABLE new_bookingslot ADD CONSTRAINT new_bookingslot_new_bookingid_fkey FOREIGN KEY (new_bookingid)"
                + " REFERENCES new_booking (new_bookingid) ON DELETE SET NULL;");
    }

    @Test
    void noActionRefusesADeleteAsRestrictDoes() throws SQLException {
        // NO ACTION checks at the end of the statement, RESTRICT at once: both refuse the delete of a referenced row
        execute("ALTER TABLE new_booking DROP CONSTRAINT new_booking_new_stockid_fkey, ADD CONSTRAINT new_booking_new_stockid_fkey"
                + " FOREIGN KEY (new_stockid) REFERENCES new_stock (new_stockid)");
        assertDoesNotThrow(() -> new SchemaCheck().verify(ds, catalog));
    }

    @Test
    void aDatabaseWithOnlyTheFirstMigrationIsToldWhatTheSecondChanges() throws Exception {
        // a data directory from before delete behaviours, had V2 (and V3) not been applied: the check names each foreign key
        recreateDatabase();
        execute(migration("V1__core_tables.sql"));
        execute("CREATE SEQUENCE dvemu_versionnumber_seq");
        SchemaCheck.SchemaMismatchException e = assertThrows(SchemaCheck.SchemaMismatchException.class,
                () -> new SchemaCheck().verify(ds, catalog));
        String[] all = problems(e.getMessage());
        // and V3's intersect table is missing too
        assertEquals("intersect table new_booking_contact of relationship new_booking_contact is missing", all[all.length - 1]);
        String[] problems = java.util.Arrays.copyOf(all, all.length - 1);
        assertEquals(3, problems.length, e.getMessage());
        assertTrue(problems[0].startsWith("foreign key contact_parentcustomerid_fkey of lookup contact.parentcustomerid is ON DELETE SET NULL but cascadeDelete Cascade"), problems[0]);
        assertTrue(problems[1].startsWith("foreign key new_booking_new_stockid_fkey of lookup new_booking.new_stockid is ON DELETE SET NULL but cascadeDelete Restrict"), problems[1]);
        assertTrue(problems[2].startsWith("foreign key new_bookingslot_new_stockid_fkey of lookup new_bookingslot.new_stockid is ON DELETE SET NULL but cascadeDelete Cascade"), problems[2]);
        // what the check says to run is what V2 runs
        for (String problem : problems) {
            String statement = problem.substring(problem.indexOf("ALTER TABLE"));
            assertTrue(migration("V2__delete_behaviour.sql").contains(statement), statement);
        }
    }

    /**
     * Migrations are never edited once shipped (data directories have them applied, and Flyway checks their
     * checksums), so the DDL the generator writes for a fresh schema is pinned to what the committed migrations, all
     * of them in order, build: the same tables, columns, indexes, constraints (foreign keys with their delete actions)
     * and sequences, read back from PostgreSQL's catalogs.
     */
    @Test
    void theCommittedMigrationsBuildTheSchemaTheGeneratorWritesForTheShippedMetadata() throws Exception {
        String generated = schemaOf(ds);
        recreateDatabase();
        // as start-up migrates: the server's own migrations, then the built-in tables'
        Migrations.migrate(ds, List.of(new Migrations.Location(MetadataSource.builtIn().flywayLocation(), Migrations.METADATA_HISTORY)));
        assertEquals(generated, schemaOf(ds),
                "the committed migrations and 'java -jar dvemu-server.jar ddl' disagree: add a migration (never edit a shipped one)");
        assertDoesNotThrow(() -> new SchemaCheck().verify(ds, catalog));
    }

    @Test
    void theFirstMigrationIsAsShipped() throws IOException {
        // data directories have V1 applied: an edit fails their start-up on Flyway's checksum; change the schema in a new migration
        assertEquals(V1_SHA256, sha256(migration("V1__core_tables.sql").replace("\r\n", "\n")),
                "V1__core_tables.sql was edited; restore it and add a migration instead");
    }

    // ---------- helpers ----------

    private void assertOnlyProblem(String problem) {
        SchemaCheck.SchemaMismatchException e = assertThrows(SchemaCheck.SchemaMismatchException.class,
                () -> new SchemaCheck().verify(ds, catalog));
        String[] problems = problems(e.getMessage());
        assertEquals(1, problems.length, "expected exactly one problem: " + e.getMessage());
        assertEquals(problem, problems[0]);
    }

    /** The "  - ..." lines of the mismatch message. */
    private static String[] problems(String message) {
        return Arrays.stream(message.split("\n")).filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).toArray(String[]::new);
    }

    private String migration(String file) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("metadata/migrations/" + file)) {
            assertNotNull(in, "metadata/migrations/" + file + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the test's database and creates it again, empty. */
    private void recreateDatabase() throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    /**
     * The schema as PostgreSQL describes it, one line per column, index, constraint and sequence, in a stable order;
     * Flyway's history tables and the server's own version sequence (its own migration's) left out.
     */
    private static String schemaOf(PGSimpleDataSource ds) throws SQLException {
        String notHistory = " NOT LIKE '%schema_history%'";
        List<String> lines = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            lines.addAll(rows(s, "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '"
                    + " || coalesce(character_maximum_length::text, '') || ' ' || coalesce(numeric_precision::text, '') || ','"
                    + " || coalesce(numeric_scale::text, '') || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '')"
                    + " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name" + notHistory + " ORDER BY 1"));
            lines.addAll(rows(s, "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename" + notHistory + " ORDER BY 1"));
            lines.addAll(rows(s, "SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                    + " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text" + notHistory
                    + " ORDER BY 1"));
            lines.addAll(rows(s, "SELECT 'sequence ' || sequence_name || ' start ' || start_value FROM information_schema.sequences"
                    + " WHERE sequence_schema = current_schema() AND sequence_name <> 'dvemu_versionnumber_seq' ORDER BY 1"));
        }
        return String.join("\n", lines);
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
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
