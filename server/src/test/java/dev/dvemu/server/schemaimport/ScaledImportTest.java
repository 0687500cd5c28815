package dev.dvemu.server.schemaimport;

import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An org of 800 tables ({@link ScaledCsdl}: the fixture and renamed copies of its table types) imports into
 * definitions the loader accepts. The time is printed for the record, not asserted.
 */
class ScaledImportTest {
    /** Entity types of the scaled document: with the fixture's share of importable types, just over 800 tables. */
    static final int ENTITY_TYPES = 960;

    @Test
    void anOrgOfEightHundredTablesImports() throws Exception {
        Path dir = Files.createTempDirectory("dvemu-scaled-");
        Path csdl = dir.resolve("scaled-metadata.xml");
        assertEquals(ENTITY_TYPES, ScaledCsdl.write(SchemaImportCommandTest.fixture(), csdl, ENTITY_TYPES));
        long start = System.nanoTime();
        SchemaImportCommandTest.Result r = SchemaImportCommandTest.run("--csdl", csdl.toString(), "--out", dir.resolve("org").toString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.exit(), r.err());
        Catalog catalog = new MetadataLoader().load(dir.resolve("org/tables"));
        System.out.println("scaled import: " + ENTITY_TYPES + " entity types (" + Files.size(csdl) + " bytes) -> "
                + catalog.tables().size() + " tables, "
                + catalog.tables().stream().mapToInt(t -> t.columns().size()).sum() + " columns in " + ms + " ms");
        assertTrue(catalog.tables().size() >= 800, "tables: " + catalog.tables().size());
    }
}
