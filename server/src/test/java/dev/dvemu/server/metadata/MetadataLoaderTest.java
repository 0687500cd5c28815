package dev.dvemu.server.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataLoaderTest {
    @TempDir
    Path dir;

    // ---------- the shipped tables ----------

    @Test
    void shippedMetadataLoads() {
        Catalog catalog = MetadataSource.builtIn().load();
        assertEquals(List.of("account", "contact", "new_booking", "new_bookingslot", "new_stock"),
                catalog.tables().stream().map(TableDef::logicalName).toList());
        TableDef stock = catalog.byEntitySet("new_stocks").orElseThrow();
        assertEquals("new_stockid", stock.primaryId().name());
        assertEquals("new_name", stock.primaryNameColumn());
        assertEquals(100, stock.column("new_name").orElseThrow().maxLength());
    }

    @Test
    void shippedLookupsAndKeysAreResolved() {
        Catalog catalog = MetadataSource.builtIn().load();
        TableDef booking = catalog.require("new_booking");
        ColumnDef lookup = booking.lookupByNavigation("new_StockId").orElseThrow();
        assertEquals("new_stock", lookup.lookupTarget());
        assertEquals("_new_stockid_value", lookup.propertyName());
        assertTrue(booking.column("new_bookingnumber").orElseThrow().autoNumberFormat().isPresent());
        assertEquals(List.of("new_stockid", "new_slotnumber"), catalog.require("new_bookingslot").alternateKeys().get(0)
                .columns().stream().map(ColumnDef::name).toList());
    }

    @Test
    void columnsCarryTheirNamesAndLabelsAndTheServerColumnsDataversesNames() throws IOException {
        write("new_thing.json", "{ \"logicalName\": \"new_thing\", \"schemaName\": \"new_Thing\", \"entitySetName\": \"new_things\", "
                + "\"displayName\": \"Thing\", \"primaryNameColumn\": \"new_name\", \"columns\": [ "
                + "{ \"name\": \"new_name\", \"type\": \"String\", \"schemaName\": \"new_Name\", \"displayName\": \"Name\", "
                + "\"description\": \"What the thing is called\" }, { \"name\": \"new_size\", \"type\": \"Integer\" } ] }");
        TableDef thing = new MetadataLoader().load(dir).require("new_thing");
        assertEquals(new ColumnDef.Naming("new_Name", java.util.Optional.of("Name"), java.util.Optional.of("What the thing is called")),
                thing.column("new_name").orElseThrow().naming());
        assertEquals(ColumnDef.Naming.of("new_size"), thing.column("new_size").orElseThrow().naming());
        assertEquals(new ColumnDef.Naming("new_ThingId", java.util.Optional.of("Thing"), java.util.Optional.empty()),
                thing.primaryId().naming());
        assertEquals("VersionNumber", thing.versionNumber().naming().schemaName());
        assertEquals(java.util.Optional.of("Created On"), thing.column("createdon").orElseThrow().naming().displayName());
        assertEquals("ModifiedOn", thing.column("modifiedon").orElseThrow().naming().schemaName());
    }

    @Test
    void aSchemaNameThatIsNotTheColumnsNameIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\", \"schemaName\": \"new_Title\" }"));
        assertRefused("new_thing.json", "schemaName 'new_Title'");
    }

    @Test
    void validDefinitionInADirectoryLoads() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }"));
        Catalog catalog = new MetadataLoader().load(dir);
        assertEquals("new_things", catalog.require("new_thing").entitySetName());
    }

    @Test
    void lookupsKeepTheirDeclarationOrder() throws IOException {
        // generated DDL (and so the committed migration) must not depend on hash order
        StringBuilder columns = new StringBuilder("{ \"name\": \"new_name\", \"type\": \"String\" }");
        List<String> declared = new java.util.ArrayList<>();
        // unrelated names, so their hash order differs from the declaration order
        for (String word : List.of("kilo", "alpha", "zulu", "mike", "echo", "quebec", "bravo", "xray")) {
            String name = "new_" + word + "id";
            declared.add(name);
            columns.append(", { \"name\": \"").append(name).append("\", \"type\": \"Lookup\", \"target\": \"new_thing\", ")
                    .append("\"navigationProperty\": \"new_").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1))
                    .append("\" }");
        }
        write("new_thing.json", table("new_thing", columns.toString()));
        TableDef t = new MetadataLoader().load(dir).require("new_thing");
        assertEquals(declared, t.lookups().stream().map(ColumnDef::name).toList());
    }

    @Test
    void shippedRelationshipsDeclareTheirDeleteBehaviour() {
        Catalog catalog = MetadataSource.builtIn().load();
        assertEquals(CascadeDelete.CASCADE, behaviour(catalog, "contact", "parentcustomerid"));
        assertEquals(CascadeDelete.REMOVE_LINK, behaviour(catalog, "account", "primarycontactid"));
        assertEquals(CascadeDelete.RESTRICT, behaviour(catalog, "new_booking", "new_stockid"));
        assertEquals(CascadeDelete.CASCADE, behaviour(catalog, "new_bookingslot", "new_stockid"));
        assertEquals(CascadeDelete.REMOVE_LINK, behaviour(catalog, "new_bookingslot", "new_bookingid"));
        assertEquals(CascadeDelete.RESTRICT, ((OneToMany) catalog.collectionNavigation(catalog.require("new_stock"), "new_stock_bookings")
                .orElseThrow()).cascadeDelete());
    }

    @Test
    void aLookupWithoutCascadeDeleteIsRemoveLink() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_parentid\", \"type\": \"Lookup\", \"target\": \"new_thing\", \"navigationProperty\": \"new_ParentId\" }"));
        ColumnDef lookup = new MetadataLoader().load(dir).require("new_thing").column("new_parentid").orElseThrow();
        assertEquals(java.util.Optional.of(CascadeDelete.REMOVE_LINK), lookup.deleteBehaviour());
    }

    // ---------- refusals: each names the file and the problem ----------

    @Test
    void anUnknownCascadeDeleteIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_parentid\", \"type\": \"Lookup\", \"target\": \"new_thing\", "
                + "\"navigationProperty\": \"new_ParentId\", \"cascadeDelete\": \"SetNull\" }"));
        MetadataException e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir));
        assertEquals("new_thing.json (new_thing) column 'new_parentid': cascadeDelete 'SetNull' is not one of "
                + "Cascade, RemoveLink, Restrict", e.getMessage());
    }

    @Test
    void aStringColumnStatesItsFormatAndNoOtherColumnMay() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_mail\", \"type\": \"String\", \"format\": \"Email\" }"));
        TableDef thing = new MetadataLoader().load(dir).require("new_thing");
        assertEquals(StringFormat.EMAIL, thing.column("new_mail").orElseThrow().format());
        assertEquals(StringFormat.TEXT, thing.column("new_name").orElseThrow().format());

        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\", \"format\": \"Mail\" }"));
        assertEquals("new_thing.json (new_thing) column 'new_name': format 'Mail' is not one of Email, Text, TextArea, Url, "
                + "TickerSymbol, Phone", assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir)).getMessage());
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_count\", \"type\": \"Integer\", \"format\": \"Phone\" }"));
        assertEquals("new_thing.json (new_thing) column 'new_count': format is only allowed on String columns",
                assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir)).getMessage());
    }

    @Test
    void cascadeDeleteOnAColumnThatIsNotALookupIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\", \"cascadeDelete\": \"Cascade\" }"));
        String message = assertRefused("new_thing.json", "cascadeDelete is only allowed on Lookup columns");
        assertTrue(message.contains("new_name"), message);
    }

    @Test
    void unknownColumnTypeIsRefused() throws IOException {
        write("new_thing.json", table("new_thing",
                "{ \"name\": \"new_name\", \"type\": \"String\" }, { \"name\": \"new_size\", \"type\": \"Strng\" }"));
        assertRefused("new_thing.json", "Strng");
    }

    @Test
    void lookupToUnknownTableIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_otherid\", \"type\": \"Lookup\", \"target\": \"new_nosuch\", \"navigationProperty\": \"new_OtherId\" }"));
        assertRefused("new_thing.json", "new_nosuch");
    }

    @Test
    void alternateKeyOnUnknownColumnIsRefused() throws IOException {
        write("new_thing.json", """
                { "logicalName": "new_thing", "entitySetName": "new_things", "primaryNameColumn": "new_name",
                  "columns": [ { "name": "new_name", "type": "String" } ],
                  "alternateKeys": [ { "name": "new_code_key", "columns": ["new_code"] } ] }
                """);
        String message = assertRefused("new_thing.json", "new_code");
        assertTrue(message.contains("new_code_key"), message);
    }

    @Test
    void duplicateColumnIsRefused() throws IOException {
        write("new_thing.json", table("new_thing",
                "{ \"name\": \"new_name\", \"type\": \"String\" }, { \"name\": \"new_name\", \"type\": \"Integer\" }"));
        String message = assertRefused("new_thing.json", "new_name");
        assertTrue(message.contains("twice"), message);
    }

    @Test
    void missingPrimaryNameColumnIsRefused() throws IOException {
        write("new_thing.json", """
                { "logicalName": "new_thing", "entitySetName": "new_things",
                  "columns": [ { "name": "new_name", "type": "String" } ] }
                """);
        assertRefused("new_thing.json", "primaryNameColumn");
    }

    @Test
    void primaryNameColumnThatIsNotDeclaredIsRefused() throws IOException {
        write("new_thing.json", """
                { "logicalName": "new_thing", "entitySetName": "new_things", "primaryNameColumn": "new_title",
                  "columns": [ { "name": "new_name", "type": "String" } ] }
                """);
        assertRefused("new_thing.json", "new_title");
    }

    @Test
    void autoNumberWithoutSeqNumIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\" }, "
                + "{ \"name\": \"new_number\", \"type\": \"String\", \"autoNumberFormat\": \"N-{RANDSTRING:4}\" }"));
        String message = assertRefused("new_thing.json", "new_number");
        assertTrue(message.contains("SEQNUM"), message);
    }

    @Test
    void invalidJsonIsRefused() throws IOException {
        write("new_thing.json", "{ \"logicalName\": ");
        assertRefused("new_thing.json", "JSON");
    }

    @Test
    void unknownFieldIsRefused() throws IOException {
        write("new_thing.json", table("new_thing", "{ \"name\": \"new_name\", \"type\": \"String\", \"maxLenght\": 10 }"));
        assertRefused("new_thing.json", "maxLenght");
    }

    @Test
    void problemIsReportedForTheFileThatHasIt() throws IOException {
        write("new_good.json", table("new_good", "{ \"name\": \"new_name\", \"type\": \"String\" }"));
        write("new_bad.json", table("new_bad",
                "{ \"name\": \"new_name\", \"type\": \"String\" }, { \"name\": \"new_name\", \"type\": \"String\" }"));
        String message = assertRefused("new_bad.json", "new_name");
        assertTrue(!message.contains("new_good.json"), message);
    }

    @Test
    void emptyDirectoryIsRefused() {
        MetadataException e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    // ---------- helpers ----------

    @Test
    void shippedManyToManyRelationshipHasBothSides() {
        Catalog catalog = MetadataSource.builtIn().load();
        ManyToMany r = catalog.manyToMany().get(0);
        assertEquals("new_booking_contact", r.schemaName());
        assertEquals("new_booking_contact", r.intersectTable());
        CollectionNavigation fromContact = catalog.collectionNavigation(catalog.require("contact"), "new_booking_contact").orElseThrow();
        assertEquals("new_booking", fromContact.related().logicalName());
        assertEquals("contact", catalog.collectionNavigation(catalog.require("new_booking"), "new_booking_contact").orElseThrow()
                .related().logicalName());
    }

    @Test
    void manyToManyDeclarationsAreChecked() throws IOException {
        String name = "{ \"name\": \"new_name\", \"type\": \"String\" }";
        write("new_other.json", table("new_other", name));
        write("new_thing.json", withManyToMany(table("new_thing", name), "{ \"schemaName\": \"new_thing_x\", \"relatedTable\": \"new_nothing\" }"));
        assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir), "unknown related table");
        write("new_thing.json", withManyToMany(table("new_thing", name), "{ \"schemaName\": \"new_thing_x\", \"relatedTable\": \"new_thing\" }"));
        assertTrue(assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir)).getMessage().contains("with itself"));
        write("new_thing.json", withManyToMany(table("new_thing", name), "{ \"schemaName\": \"new_thing_x\", \"relatedTable\": \"new_other\", \"intersectTable\": \"new_other\" }"));
        assertTrue(assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir)).getMessage().contains("already a table"));
        write("new_thing.json", withManyToMany(table("new_thing", name), "{ \"schemaName\": \"new_name\", \"relatedTable\": \"new_other\" }"));
        assertTrue(assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir)).getMessage().contains("already has a property"));
        write("new_thing.json", withManyToMany(table("new_thing", name), "{ \"schemaName\": \"new_thing_other\", \"relatedTable\": \"new_other\" }"));
        Catalog catalog = new MetadataLoader().load(dir);
        assertEquals("new_thing_other", catalog.manyToMany().get(0).intersectTable());
    }

    private static String withManyToMany(String table, String relationship) {
        return table.substring(0, table.lastIndexOf('}')) + ", \"manyToMany\": [ " + relationship + " ] }";
    }

    private static CascadeDelete behaviour(Catalog catalog, String table, String lookup) {
        return catalog.require(table).column(lookup).orElseThrow().deleteBehaviour().orElseThrow();
    }

    private static String table(String logicalName, String columns) {
        return "{ \"logicalName\": \"" + logicalName + "\", \"entitySetName\": \"" + logicalName + "s\", "
                + "\"primaryNameColumn\": \"new_name\", \"columns\": [ " + columns + " ] }";
    }

    private void write(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    /** Loading fails with a message naming {@code file} and containing {@code problem}; returns the message. */
    private String assertRefused(String file, String problem) {
        MetadataException e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(dir));
        String message = e.getMessage();
        assertTrue(message.contains(file), "message does not name the file " + file + ": " + message);
        assertTrue(message.contains(problem), "message does not name '" + problem + "': " + message);
        return message;
    }
}
