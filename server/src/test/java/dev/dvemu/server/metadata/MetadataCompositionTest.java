package dev.dvemu.server.metadata;

import dev.dvemu.server.support.MetadataServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --metadata builtin,DIR}: the user's tables beside the built-in ones. */
class MetadataCompositionTest {
    private static final String WIDGET = """
            {"logicalName": "new_widget", "entitySetName": "new_widgets", "primaryNameColumn": "new_name",
             "columns": [{"name": "new_name", "type": "String"},
                         {"name": "new_accountid", "type": "Lookup", "target": "account", "navigationProperty": "new_AccountId"}]}""";

    @Test
    void aDirectoryAddsItsTablesToTheBuiltInOnes() throws Exception {
        Path dir = MetadataServer.writeTables(Files.createTempDirectory("dvemu-widgets-"), Map.of("new_widget", WIDGET), "", true);
        try (MetadataServer s = MetadataServer.startWith("--metadata", "builtin," + dir)) {
            String account = s.api().contentType("application/json").body("{\"name\":\"owner\"}").post("accounts")
                    .then().statusCode(204).extract().header("OData-EntityId");
            String accountId = account.substring(account.lastIndexOf('(') + 1, account.length() - 1);
            s.api().contentType("application/json")
                    .body("{\"new_name\":\"w\",\"new_AccountId@odata.bind\":\"/accounts(" + accountId + ")\"}")
                    .post("new_widgets").then().statusCode(204);
            s.api().get("new_widgets?$filter=new_name eq 'w'").then().statusCode(200)
                    .body("value[0]._new_accountid_value", equalTo(accountId));

            JsonPath info = s.admin().get("/_dvemu/info").then().statusCode(200).extract().jsonPath();
            assertEquals(6, info.getList("tables").size());
            assertEquals(List.of("builtin", dir.toString()), info.getList("settings.metadata"));
            // the built-in tables keep their history table; the directory's migrations have one of their own
            String own = ("dvemu_metadata_schema_history_" + dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_]", "_"));
            assertEquals(List.of("dvemu_metadata_schema_history", own.substring(0, Math.min(56, own.length())),
                    "dvemu_server_schema_history"), historyTables(s));
        }
    }

    @Test
    void twoSourcesDefiningOneTableFailStartUpNamingBoth() throws Exception {
        String account = """
                {"logicalName": "account", "entitySetName": "myaccounts", "primaryNameColumn": "name",
                 "columns": [{"name": "name", "type": "String"}]}""";
        Path dir = MetadataServer.writeTables(Files.createTempDirectory("dvemu-clash-"), Map.of("account", account), "");
        MetadataException e = assertThrows(MetadataException.class, () -> MetadataServer.startWith("--metadata", "builtin," + dir));
        assertTrue(e.getMessage().contains("'account'") && e.getMessage().contains("built-in") && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    @Test
    void twoSourcesUsingOneEntitySetNameFailStartUpNamingBoth() throws Exception {
        String other = """
                {"logicalName": "new_other", "entitySetName": "accounts", "primaryNameColumn": "new_name",
                 "columns": [{"name": "new_name", "type": "String"}]}""";
        Path dir = MetadataServer.writeTables(Files.createTempDirectory("dvemu-clash-"), Map.of("new_other", other), "");
        MetadataException e = assertThrows(MetadataException.class, () -> MetadataServer.startWith("--metadata", "builtin," + dir));
        assertTrue(e.getMessage().contains("'accounts'") && e.getMessage().contains("built-in") && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    private static List<String> historyTables(MetadataServer s) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(s.server().jdbcUrl(), "postgres", null);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT tablename FROM pg_tables WHERE tablename LIKE 'dvemu_%history%' ORDER BY tablename")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
