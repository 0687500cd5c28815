package dev.dvemu.server.schemaimport;

import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.MetadataLoader;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dvemu's own answers to the metadata queries a user saves from an org (EntityDefinitions with its attributes, keys
 * and relationships, plus each table's picklist attributes with their OptionSet) import back into the table
 * definitions they came from — all but what those answers cannot carry (a column's {@code default}).
 */
class EntityDefinitionsRoundTripTest {
    static final String SELECT = "LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName,Description,IsCustomEntity";
    static final String EXPAND = "Attributes,Keys,ManyToOneRelationships,ManyToManyRelationships";

    static Path builtinTables() {
        return Path.of(System.getProperty("dvemu.project", "..")).resolve("metadata/tables").normalize();
    }

    @Test
    void theBuiltInTablesComeBackFromTheirEntityDefinitions() throws Exception {
        Path dump = Files.createTempDirectory("dvemu-dump-");
        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().build())) {
            String all = Api.given(dvemu).queryParam("$select", SELECT).queryParam("$expand", EXPAND)
                    .get("EntityDefinitions").then().statusCode(200).extract().asString();
            Files.writeString(dump.resolve("entitydefinitions.json"), all);
            for (String table : JsonPath.from(all).getList("value.LogicalName", String.class)) {
                String picklists = Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$expand", "OptionSet")
                        .get("EntityDefinitions(LogicalName='" + table + "')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata")
                        .then().statusCode(200).extract().asString();
                Files.writeString(dump.resolve(table + "-picklists.json"), picklists);
            }
        }
        Path out = Files.createTempDirectory("dvemu-import-").resolve("org");
        SchemaImportCommandTest.Result r = SchemaImportCommandTest.run("--entity-definitions", dump.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err() + r.out());

        Catalog expected = new MetadataLoader().load(builtinTables());
        Catalog imported = new MetadataLoader().load(out.resolve("tables"));
        assertEquals(names(expected), names(imported));
        for (TableDef e : expected.tables()) {
            TableDef i = imported.require(e.logicalName());
            String t = e.logicalName();
            assertEquals(e.entitySetName(), i.entitySetName(), t);
            assertEquals(e.schemaName(), i.schemaName(), t);
            assertEquals(e.displayName(), i.displayName(), t);
            assertEquals(e.description(), i.description(), t);
            assertEquals(e.primaryNameColumn(), i.primaryNameColumn(), t);
            assertEquals(e.columns().stream().map(ColumnDef::name).toList(), i.columns().stream().map(ColumnDef::name).toList(), t);
            for (ColumnDef ec : e.columns()) {
                ColumnDef ic = i.column(ec.name()).orElseThrow();
                String c = t + "." + ec.name();
                assertEquals(ec.type(), ic.type(), c);
                assertEquals(ec.maxLength(), ic.maxLength(), c);
                assertEquals(ec.precision(), ic.precision(), c);
                assertEquals(ec.minValue() == null ? null : ec.minValue().stripTrailingZeros(),
                        ic.minValue() == null ? null : ic.minValue().stripTrailingZeros(), c);
                assertEquals(ec.maxValue() == null ? null : ec.maxValue().stripTrailingZeros(),
                        ic.maxValue() == null ? null : ic.maxValue().stripTrailingZeros(), c);
                assertEquals(ec.options(), ic.options(), c);
                assertEquals(ec.lookupTarget(), ic.lookupTarget(), c);
                assertEquals(ec.navigationProperty(), ic.navigationProperty(), c);
                assertEquals(e.relationshipOf(ec), i.relationshipOf(ic), c);
                assertEquals(ec.deleteBehaviour(), ic.deleteBehaviour(), c);
                assertEquals(ec.autoNumberFormat().map(f -> f.pattern()), ic.autoNumberFormat().map(f -> f.pattern()), c);
                assertEquals(ec.required(), ic.required(), c);
                assertEquals(ec.naming(), ic.naming(), c);
                assertEquals(ec.format(), ic.format(), c);
            }
            assertEquals(keys(e), keys(i), t);
            assertEquals(e.manyToManyDeclarations(), i.manyToManyDeclarations(), t);
        }
        assertTrue(Files.readString(out.resolve("migrations/V1__import.sql")).contains("CREATE TABLE new_booking ("));
    }

    private static List<String> names(Catalog c) {
        return c.tables().stream().map(TableDef::logicalName).sorted().toList();
    }

    private static List<String> keys(TableDef t) {
        return t.alternateKeys().stream().map(k -> k.name() + k.columns().stream().map(ColumnDef::name).toList()).toList();
    }

}
