package dev.dvemu.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ddl --metadata builtin,DIR}: the DDL of the directory's tables, whose lookups may target built-in tables. */
class DdlCommandTest {
    private static final String WIDGET = """
            {"logicalName": "new_widget", "entitySetName": "new_widgets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String"},
                         {"name": "new_accountid", "type": "Lookup", "target": "account", "navigationProperty": "new_AccountId"}]}""";

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void composedMetadataPrintsTheDirectorysTablesOnly() throws Exception {
        Path dir = Files.createTempDirectory("dvemu-ddl-");
        Files.createDirectories(dir.resolve("tables"));
        Files.writeString(dir.resolve("tables/new_widget.json"), WIDGET);
        String ddl = run("ddl", "--metadata", "builtin," + dir);
        assertTrue(ddl.contains("CREATE TABLE new_widget ("), ddl);
        assertTrue(ddl.contains("REFERENCES account (accountid)"), ddl);
        assertFalse(ddl.contains("CREATE TABLE account ("), ddl);
    }

    @Test
    void builtInAlonePrintsEveryBuiltInTable() {
        String ddl = run("ddl");
        assertTrue(ddl.contains("CREATE TABLE account (") && ddl.contains("CREATE TABLE new_stock ("), ddl);
    }
}
