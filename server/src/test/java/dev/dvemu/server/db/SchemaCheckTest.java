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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    void committedMigrationIsWhatTheGeneratorProducesForTheShippedMetadata() throws IOException {
        // migration and metadata must not drift: regenerate with 'java -jar dvemu-server.jar ddl' when metadata changes
        String committed;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("metadata/migrations/V1__core_tables.sql")) {
            assertNotNull(in, "metadata/migrations/V1__core_tables.sql is not on the class path");
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String generated = new DdlGenerator().generate(catalog, catalog.tables());
        assertEquals(withoutComments(generated), withoutComments(committed));
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

    private static String withoutComments(String sql) {
        return sql.replace("\r\n", "\n").lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n")).strip();
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
