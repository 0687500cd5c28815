package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.CascadeDelete;
import dev.dvemu.server.metadata.ChoiceOption;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.MetadataLoader;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.Tables;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.dvemu.server.schemaimport.SchemaImportCommandTest.run;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code import --entity-definitions DIR}: a hand-written org dump shaped like Microsoft's documented answers (the
 * EntityDefinitions answer with expanded attributes, keys and relationships, plus the picklist and state attributes'
 * cast answers with their OptionSet) becomes tables with choices, lengths, ranges, autonumbers, required columns,
 * delete behaviours, alternate keys and a many-to-many relationship, which a server loads and serves.
 */
class EntityDefinitionsImportTest {
    static Path dump() throws URISyntaxException {
        return Path.of(EntityDefinitionsImportTest.class.getResource("/schemaimport/org-dump/entitydefinitions.json").toURI())
                .getParent();
    }

    private static boolean line(String report, String start, String... parts) {
        return report.lines().anyMatch(l -> l.startsWith(start) && List.of(parts).stream().allMatch(l::contains));
    }

    @Test
    void aDumpBecomesTablesWithTheFacetsTheCsdlCannotState() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        SchemaImportCommandTest.Result r = run("--entity-definitions", dump().toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        String report = Files.readString(out.resolve("import-report.txt"));
        Catalog catalog = new MetadataLoader().load(out.resolve("tables"));
        assertEquals(List.of("account", "contact", "new_project"), catalog.tables().stream().map(TableDef::logicalName).sorted().toList());
        assertTrue(line(report, "skipped", "new_project_contact", "intersect entity of the many-to-many relationship new_project_contact"), report);
        assertTrue(line(report, "skipped", "email", "'activityid'"), report);

        TableDef account = catalog.require("account");
        ColumnDef day = account.column("preferredappointmentdaycode").orElseThrow();
        assertEquals(ColumnType.CHOICE, day.type());
        assertEquals(7, day.options().size());
        assertEquals(new ChoiceOption(0, "Sunday"), day.options().get(0));
        ColumnDef state = account.column("statecode").orElseThrow();
        assertEquals(List.of(new ChoiceOption(0, "Active"), new ChoiceOption(1, "Inactive")), state.options());
        assertFalse(state.required(), "SystemRequired, but Dataverse sets it on create");
        ColumnDef name = account.column("name").orElseThrow();
        assertEquals(160, name.maxLength());
        // business required (ApplicationRequired) is a form rule: Dataverse's API creates rows without the column
        assertFalse(name.required(), "ApplicationRequired");
        assertTrue(line(report, "assumed", "account.name", "ApplicationRequired"), report);
        ColumnDef revenue = account.column("revenue").orElseThrow();
        assertEquals(ColumnType.MONEY, revenue.type());
        assertEquals(2, revenue.precision());
        assertEquals(0, new BigDecimal("100000000000000").compareTo(revenue.maxValue()));
        ColumnDef latitude = account.column("address1_latitude").orElseThrow();
        assertEquals(ColumnType.DECIMAL, latitude.type());
        assertEquals(5, latitude.precision());
        assertEquals(0, new BigDecimal("-90").compareTo(latitude.minValue()));
        assertTrue(line(report, "assumed", "account.address1_latitude", "floating-point"), report);
        assertEquals(0, BigDecimal.ZERO.compareTo(account.column("numberofemployees").orElseThrow().minValue()));
        assertEquals(ColumnType.MEMO, account.column("description").orElseThrow().type());
        ColumnDef primaryContact = account.column("primarycontactid").orElseThrow();
        assertEquals("contact", primaryContact.lookupTarget());
        assertEquals("primarycontactid", primaryContact.navigationProperty());
        assertEquals("account_primary_contact", account.relationshipOf(primaryContact).orElseThrow());
        assertEquals(CascadeDelete.REMOVE_LINK, primaryContact.deleteBehaviour().orElseThrow());
        assertEquals(List.of("accountnumber_key"), account.alternateKeys().stream().map(k -> k.name()).toList());
        assertTrue(line(report, "skipped", "account.ownerid", "no table 'owner'"), report);
        assertTrue(line(report, "skipped", "account.entityimage", "images"), report);
        assertTrue(line(report, "skipped", "account.new_regions", "multi-select"), report);
        assertTrue(line(report, "skipped", "account.primarycontactidname", "AttributeOf"), report);
        assertFalse(account.column("revenue_base").isEmpty(), "a _base column is a column of its own");
        assertEquals(80, account.column("address1_city").orElseThrow().maxLength(),
                "IsLogical: stored in another database table by Dataverse, a column like any other on the Web API");

        TableDef contact = catalog.require("contact");
        ColumnDef parent = contact.column("parentcustomerid").orElseThrow();
        assertEquals("account", parent.lookupTarget());
        assertEquals("parentcustomerid_account", parent.navigationProperty());
        assertEquals(CascadeDelete.CASCADE, parent.deleteBehaviour().orElseThrow());
        assertTrue(line(report, "assumed", "contact.parentcustomerid", "polymorphic lookup to account, contact"), report);
        assertFalse(contact.column("lastname").orElseThrow().required(), "ApplicationRequired: the API does not enforce it");
        assertFalse(contact.column("fullname").orElseThrow().required(), "not valid for create: Dataverse composes it");

        TableDef project = catalog.require("new_project");
        assertEquals("new_Project", project.schemaName());
        assertEquals("Project", project.displayName());
        assertEquals("PRJ-{SEQNUM:5}-{DATETIMEUTC:yyyyMMdd}", project.column("new_code").orElseThrow().autoNumberFormat()
                .orElseThrow().pattern());
        assertFalse(project.column("new_code").orElseThrow().required(), "an autonumber is set by the server");
        assertTrue(project.column("new_ticket").orElseThrow().autoNumberFormat().isEmpty());
        assertTrue(line(report, "assumed", "new_project.new_ticket", "autonumber format 'T-{SEQNUM:3}-{RANDSTRING:8}' dropped"), report);
        assertEquals(ColumnType.MEMO, project.column("new_notes").orElseThrow().type());
        assertEquals(100000, project.column("new_notes").orElseThrow().maxLength());
        assertEquals(ColumnType.MEMO, project.column("new_summary").orElseThrow().type());
        assertEquals(ColumnType.BIGINT, project.column("new_visits").orElseThrow().type());
        ColumnDef priority = project.column("new_priority").orElseThrow();
        assertEquals(List.of(100000000, 100000001, 100000002), priority.options().stream().map(ChoiceOption::value).toList());
        assertFalse(priority.required(), "ApplicationRequired");
        assertEquals(ColumnType.INTEGER, project.column("statuscode").orElseThrow().type());
        assertTrue(line(report, "assumed", "new_project.statuscode", "no options"), report);
        assertEquals(CascadeDelete.RESTRICT, project.column("new_accountid").orElseThrow().deleteBehaviour().orElseThrow());
        assertEquals(List.of("new_code_key"), project.alternateKeys().stream().map(k -> k.name()).toList());
        assertTrue(line(report, "skipped", "new_project key new_budget_key", "Money"), report);
        assertEquals(1, catalog.manyToMany().size());
        assertEquals("new_project_contact", catalog.manyToMany().get(0).schemaName());

        JsonNode written = new ObjectMapper().readTree(out.resolve("tables/account.json").toFile());
        JsonNode nameJson = written.get("columns").findParents("name").stream()
                .filter(c -> c.get("name").asText().equals("name")).findFirst().orElseThrow();
        assertEquals("Name", nameJson.get("schemaName").asText());
        assertEquals("Account Name", nameJson.get("displayName").asText());
        assertTrue(Files.readString(out.resolve("migrations/V1__import.sql")).contains("CREATE TABLE new_project ("));

        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().metadata(out).tables(Tables.REPLACE).build())) {
            String id = Api.create(dvemu, "new_projects", "{\"new_name\":\"Apollo\",\"new_priority\":100000002,\"new_budget\":1234.5}");
            Api.given(dvemu).get("new_projects(" + id + ")?$select=new_name,new_priority,new_budget,new_code").then().statusCode(200)
                    .body("new_name", equalTo("Apollo")).body("new_priority", equalTo(100000002))
                    .body("new_budget", equalTo(1234.5f)).body("new_code", startsWith("PRJ-"));
            Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"Gemini\",\"new_priority\":7}")
                    .post("new_projects").then().statusCode(400);
            // new_priority is business required: as on Dataverse, a create through the API may leave it out
            String mercury = Api.create(dvemu, "new_projects", "{\"new_name\":\"Mercury\"}");
            Api.given(dvemu).get("new_projects(" + mercury + ")?$select=new_priority").then().statusCode(200)
                    .body("new_priority", equalTo(null));
        }
    }

    @Test
    void tablesAndFollowLookupsPickFromTheDumpAsFromACsdl() throws Exception {
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        SchemaImportCommandTest.Result r = run("--entity-definitions", dump().toString(), "--out", out.toString(),
                "--tables", "new_project", "--follow-lookups");
        assertEquals(0, r.exit(), r.err());
        Catalog catalog = new MetadataLoader().load(out.resolve("tables"));
        assertEquals(List.of("account", "contact", "new_project"), catalog.tables().stream().map(TableDef::logicalName).sorted().toList(),
                "new_project's account, and account's primary contact");
        String report = Files.readString(out.resolve("import-report.txt"));
        assertTrue(line(report, "mapped", "account", "--follow-lookups: the target of new_project.new_accountid"), report);

        Path prefixed = Files.createTempDirectory("dvemu-import-").resolve("org");
        assertEquals(0, run("--entity-definitions", dump().toString(), "--out", prefixed.toString(), "--prefix", "new_").exit());
        TableDef project = new MetadataLoader().load(prefixed.resolve("tables")).require("new_project");
        assertTrue(project.column("new_accountid").isEmpty(), "a lookup to a table not imported is dropped");
        assertTrue(project.manyToManyDeclarations().isEmpty(), "contact is not imported");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path dir = Files.createTempDirectory("dvemu-dump-");
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"value\": [");
        assertBad(run("--entity-definitions", notJson.toString(), "--out", dir.resolve("o1").toString()), "broken.json", "not valid JSON");
        Path array = Files.writeString(dir.resolve("array.json"), "[1,2]");
        assertBad(run("--entity-definitions", array.toString(), "--out", dir.resolve("o2").toString()), "array.json", "not a JSON object");
        Path odd = Files.writeString(dir.resolve("odd.json"), "{\"value\":[{\"Name\":\"x\"}]}");
        assertBad(run("--entity-definitions", odd.toString(), "--out", dir.resolve("o3").toString()), "odd.json", "neither an EntityMetadata");
        Path attrs = Files.writeString(dir.resolve("attrs.json"),
                "{\"value\":[{\"LogicalName\":\"t\",\"EntitySetName\":\"ts\",\"Attributes\":\"all\"}]}");
        assertBad(run("--entity-definitions", attrs.toString(), "--out", dir.resolve("o4").toString()), "attrs.json", "Attributes must be an array");
        Path orphanDir = Files.createDirectories(dir.resolve("orphan"));
        Files.copy(dump().resolve("entitydefinitions.json"), orphanDir.resolve("entitydefinitions.json"));
        Files.writeString(orphanDir.resolve("x-picklists.json"),
                "{\"value\":[{\"LogicalName\":\"nope\",\"MetadataId\":\"00000000-0000-0000-0000-000000000001\"}]}");
        assertBad(run("--entity-definitions", orphanDir.toString(), "--out", dir.resolve("o5").toString()), "x-picklists.json", "'nope'");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertBad(run("--entity-definitions", empty.toString(), "--out", dir.resolve("o6").toString()), "empty", "no *.json");
        assertBad(run("--entity-definitions", dir.resolve("missing.json").toString(), "--out", dir.resolve("o7").toString()),
                "missing.json", "cannot read");
        SchemaImportCommandTest.Result both = run("--entity-definitions", dump().toString(), "--csdl", "x.xml", "--out", "o8");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("one of --csdl and --entity-definitions"), both.err());
        SchemaImportCommandTest.Result unknown = run("--entity-definitions", dump().toString(), "--out",
                dir.resolve("o9").toString(), "--tables", "nosuchtable");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("the EntityDefinitions dump has no entity type 'nosuchtable'"), unknown.err());
    }

    private static void assertBad(SchemaImportCommandTest.Result r, String... parts) {
        assertEquals(2, r.exit(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        for (String p : parts) {
            assertTrue(err.contains(p), err);
        }
        assertFalse(err.contains("\tat "), "no stack trace");
    }
}
