package dev.dvemu.server.admin;

import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.server.support.Api;
import dev.dvemu.server.support.MetadataServer;
import dev.dvemu.server.support.SameDatabase;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.dvemu.server.admin.ResetTest.count;
import static dev.dvemu.server.admin.ResetTest.create;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A snapshot taken before a migration added a table is refused whole by a server that has the table. */
class SnapshotAfterMigrationTest {
    private static final String GADGET = """
            {"logicalName": "new_gadget", "entitySetName": "new_gadgets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String"}]}""";
    private static final String SPROCKET = """
            {"logicalName": "new_sprocket", "entitySetName": "new_sprockets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String"}]}""";

    @Test
    void aTableAddedAfterTheSnapshotIsNamedAndNothingIsRestored() throws Exception {
        Path before = MetadataServer.writeTables(Files.createTempDirectory("dvemu-before-"), Map.of("new_gadget", GADGET), "");
        try (Dvemu first = Dvemu.start(DvemuConfig.builder().metadata(before).tables(Tables.REPLACE).build())) {
            create(first, "new_gadgets", "{\"new_name\":\"in the snapshot\"}");
            Api.admin(first).post("/_dvemu/snapshots/old").then().statusCode(201).body("tables", equalTo(1));
            create(first, "new_gadgets", "{\"new_name\":\"after the snapshot\"}");

            // the same directory with a later migration that adds a table
            Path after = Files.createTempDirectory("dvemu-after-");
            Files.createDirectories(after.resolve("tables"));
            Files.createDirectories(after.resolve("migrations"));
            Files.writeString(after.resolve("tables/new_gadget.json"), GADGET);
            Files.writeString(after.resolve("tables/new_sprocket.json"), SPROCKET);
            Files.copy(before.resolve("migrations/V1__tables.sql"), after.resolve("migrations/V1__tables.sql"));
            Catalog catalog = MetadataSource.directory(after).load();
            Files.writeString(after.resolve("migrations/V2__sprocket.sql"),
                    new DdlGenerator().generate(catalog, List.of(catalog.require("new_sprocket"))));

            try (Dvemu migrated = SameDatabase.start(first, "migration", "--metadata", after.toString())) {
                Api.admin(migrated).post("/_dvemu/snapshots/old/restore").then().statusCode(409)
                        .body("error.code", equalTo("Conflict"))
                        .body("error.message", allOf(containsString("new_sprocket"), containsString("Nothing was changed")));
            }
            // nothing was changed: the row written after the snapshot is still there
            assertEquals(2, count(first, "new_gadgets"));
            // a server whose tables match the snapshot restores it
            Api.admin(first).post("/_dvemu/snapshots/old/restore").then().statusCode(200).body("rows", equalTo(1));
            assertEquals(1, count(first, "new_gadgets"));
        }
    }
}
