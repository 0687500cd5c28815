package dev.dvemu.server.schemaimport;

import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.MetadataLoader;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.Tables;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code import --csdl FILE --out DIR}: a real org's {@code $metadata} (Dynamics 365 v9.1, 300 entity types) becomes a
 * metadata directory the loader accepts, whose migration applies and whose tables serve rows.
 */
class SchemaImportCommandTest {
    static final Path FIXTURE = Path.of(System.getProperty("dvemu.project", ".."))
            .resolve("../shared/fixtures/csdl/odata-client-dynamics-v9.1/microsoft-dynamics-metadata.xml").normalize();

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ImportCommand.run(java.util.List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path fixture() {
        Path p = FIXTURE;
        if (!Files.exists(p)) {
            p = Path.of("/work/shared/fixtures/csdl/odata-client-dynamics-v9.1/microsoft-dynamics-metadata.xml");
        }
        return p;
    }

    @Test
    void accountAndContactWithTheirLookupsServeRowsOnTheImportedSchemaAlone() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        Result r = run("--csdl", fixture().toString(), "--out", out.toString(), "--tables", "account,contact", "--follow-lookups");
        assertEquals(0, r.exit(), r.err());
        Catalog catalog = new MetadataLoader().load(out.resolve("tables"));
        TableDef contact = catalog.require("contact");
        ColumnDef parent = contact.column("parentcustomerid").orElseThrow();
        assertEquals(ColumnType.LOOKUP, parent.type());
        assertEquals("account", parent.lookupTarget());
        assertEquals("parentcustomerid_account", parent.navigationProperty());
        assertEquals("contact_customer_accounts", contact.relationshipOf(parent).orElseThrow());
        assertTrue(catalog.byLogicalName("systemuser").isPresent(), "createdby's target is followed");
        assertTrue(Files.readString(out.resolve("migrations/V1__import.sql")).contains("CREATE TABLE account ("));

        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().metadata(out).tables(Tables.REPLACE).build())) {
            String entityId = Api.given(dvemu).contentType("application/json")
                    .body("{\"name\":\"Contoso\",\"revenue\":1000.5,\"numberofemployees\":12}")
                    .post("accounts").then().statusCode(204).extract().header("OData-EntityId");
            String id = entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
            Api.given(dvemu).contentType("application/json")
                    .body("{\"fullname\":\"Ann\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + id + ")\"}")
                    .post("contacts").then().statusCode(204);
            Api.given(dvemu).get("accounts(" + id + ")?$select=name,numberofemployees").then().statusCode(200)
                    .body("name", equalTo("Contoso")).body("numberofemployees", equalTo(12));
            Api.given(dvemu).get("accounts(" + id + ")/contact_customer_accounts?$select=fullname").then().statusCode(200)
                    .body("value[0].fullname", equalTo("Ann"));
        }
    }

    @Test
    void theWholeOrgImportsAndItsMigrationApplies() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        Result r = run("--csdl", fixture().toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Catalog catalog = new MetadataLoader().load(out.resolve("tables"));
        assertTrue(catalog.tables().size() > 200, "tables: " + catalog.tables().size());
        String report = Files.readString(out.resolve("import-report.txt"));
        assertTrue(report.contains("account.entityimage"), "an image column is listed as skipped");
        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().metadata(out).tables(Tables.REPLACE).build())) {
            String entityId = Api.given(dvemu).contentType("application/json").body("{\"name\":\"Fabrikam\"}")
                    .post("accounts").then().statusCode(204).extract().header("OData-EntityId");
            Api.given(dvemu).get(entityId.substring(entityId.indexOf("accounts("))).then().statusCode(200)
                    .body("name", equalTo("Fabrikam"));
        }
    }

    @Test
    void unsupportedColumnsAreListedWithTheirReason() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        Result r = run("--csdl", fixture().toString(), "--out", out.toString(), "--tables", "account");
        assertEquals(0, r.exit(), r.err());
        String report = Files.readString(out.resolve("import-report.txt"));
        assertTrue(report.contains("account.entityimage") && report.contains("Edm.Binary"), report);
        assertTrue(report.lines().anyMatch(l -> l.contains("account.address1_latitude") && l.contains("Edm.Double")), report);
        assertTrue(report.lines().anyMatch(l -> l.contains("account.primarycontactid") && l.contains("not imported")), report);
        assertTrue(report.lines().anyMatch(l -> l.contains("account.revenue") && l.contains("Money")), report);
        assertTrue(report.lines().anyMatch(l -> l.contains("account.industrycode") && l.contains("Integer")), report);
        assertTrue(r.out().contains("account.entityimage"), "the report is printed too");
        TableDef account = new MetadataLoader().load(out.resolve("tables")).require("account");
        assertFalse(account.column("primarycontactid").isPresent(), "a lookup to a table not imported is dropped");
        assertEquals("name", account.primaryNameColumn());
    }

    @Test
    void aSolutionPrefixTakesItsTablesWithTheirManyToManyRelationship() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        Result r = run("--csdl", fixture().toString(), "--out", out.toString(), "--prefix", "ggw_");
        assertEquals(0, r.exit(), r.err());
        Catalog catalog = new MetadataLoader().load(out.resolve("tables"));
        assertTrue(catalog.tables().stream().allMatch(t -> t.logicalName().startsWith("ggw_")), catalog.tables().toString());
        TableDef crew = catalog.require("ggw_crew");
        assertEquals("ggw_name", crew.primaryNameColumn());
        assertEquals(1, catalog.manyToMany().size(), "ggw_crew <-> ggw_team");
        assertEquals("ggw_ggw_crew_ggw_team", catalog.manyToMany().get(0).schemaName());
        assertFalse(catalog.byLogicalName("ggw_ggw_crew_ggw_team").isPresent(), "the intersect entity is the relationship's, not a table");
        String report = Files.readString(out.resolve("import-report.txt"));
        assertTrue(report.contains("the intersect entity of the many-to-many relationship ggw_ggw_crew_ggw_team"), report);
    }

    @Test
    void aPolymorphicLookupKeepsOneTargetAndSaysSo() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        assertEquals(0, run("--csdl", fixture().toString(), "--out", out.toString(), "--tables", "contact,account").exit());
        String report = Files.readString(out.resolve("import-report.txt"));
        assertTrue(report.lines().anyMatch(l -> l.startsWith("assumed") && l.contains("contact.parentcustomerid")
                && l.contains("polymorphic lookup to account, contact")), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("skipped") && l.contains("contact.ownerid")
                && l.contains("principal")), "owner's target is abstract: " + report);
    }

    @Test
    void usageErrorsExitWithTwoAndAMessage() throws Exception {
        Result none = run("--out", "x");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--csdl"), none.err());
        Result missing = run("--csdl", "/nonexistent/metadata.xml", "--out", "x");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("/nonexistent/metadata.xml"), missing.err());
        Path full = Files.createTempDirectory("dvemu-import-");
        Files.writeString(full.resolve("keep.txt"), "mine");
        Result notEmpty = run("--csdl", fixture().toString(), "--out", full.toString(), "--tables", "account");
        assertEquals(2, notEmpty.exit());
        assertTrue(notEmpty.err().contains("--force"), notEmpty.err());
        Result unknownTable = run("--csdl", fixture().toString(), "--out", full.resolve("o").toString(), "--tables", "nosuchtable");
        assertEquals(2, unknownTable.exit());
        assertTrue(unknownTable.err().contains("nosuchtable"), unknownTable.err());
        Result unknownOption = run("--csdl", fixture().toString(), "--bogus");
        assertEquals(2, unknownOption.exit());
        assertTrue(unknownOption.err().contains("--bogus"), unknownOption.err());
        Path notXml = full.resolve("keep.txt");
        Result bad = run("--csdl", notXml.toString(), "--out", full.resolve("o2").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("keep.txt"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace");
    }

    @Test
    void forceReplacesAnEarlierImport() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        assertEquals(0, run("--csdl", fixture().toString(), "--out", out.toString(), "--tables", "account").exit());
        Result again = run("--csdl", fixture().toString(), "--out", out.toString(), "--tables", "contact", "--force");
        assertEquals(0, again.exit(), again.err());
        assertFalse(Files.exists(out.resolve("tables/account.json")), "the earlier tables are gone");
        assertTrue(Files.exists(out.resolve("tables/contact.json")));
    }
}
