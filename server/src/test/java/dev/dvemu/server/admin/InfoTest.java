package dev.dvemu.server.admin;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.support.Api;
import dev.dvemu.server.support.MetadataServer;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /_dvemu/info, and the rules every admin call follows (token, --no-admin). */
@DvemuTest(reset = Reset.NEVER)
class InfoTest {
    static Dvemu dvemu;

    @Test
    void infoDescribesTheServer() throws Exception {
        // a server that runs its own embedded PostgreSQL (the testkit's are given theirs with --db-url)
        try (DvemuServer s = DvemuServer.start(ConfigParser.parse(new String[]{"--ephemeral", "--port", "0"}, Map.of()).config())) {
            JsonPath info = MetadataServer.adminOf(s).get("/_dvemu/info").then().statusCode(200).extract().jsonPath();
            assertTrue(info.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), info.getString("version"));
            assertEquals(s.baseUri().toString(), info.getString("apiUrl"));
            List<Map<String, String>> tables = info.getList("tables");
            assertTrue(tables.contains(Map.of("logicalName", "account", "entitySetName", "accounts")), tables.toString());
            assertEquals(5, tables.size());
            assertEquals("embedded", info.getString("database.mode"));
            assertTrue(info.getString("database.url").startsWith("jdbc:postgresql://"), info.getString("database.url"));
            assertTrue(info.getString("database.postgres").matches("\\d+(\\.\\d+)?.*"), info.getString("database.postgres"));
            assertEquals(0, info.getInt("settings.port"));
            assertEquals(List.of("builtin"), info.getList("settings.metadata"));
            assertEquals(true, info.getBoolean("settings.admin"));
            assertFalse(info.getMap("settings").containsKey("dbPassword"));
            assertTrue(info.getList("admin").containsAll(List.of("reset", "snapshots", "seed", "info")), info.getList("admin").toString());
        }
    }

    @Test
    void infoNeverShowsThePassword() throws Exception {
        try (Dvemu m = Dvemu.start()) {
            String url = m.jdbcUrl();
            String withPassword = url + (url.contains("?") ? "&" : "?") + "password=s3cret-pw";
            // the embedded PostgreSQL trusts local connections, so the password is carried but not checked
            try (Dvemu s = Dvemu.start(DvemuConfig.builder().database(withPassword, "postgres", "s3cret-pw").build())) {
                String body = Api.admin(s).get("/_dvemu/info").then().statusCode(200).extract().asString();
                assertFalse(body.contains("s3cret-pw"), body);
                JsonPath info = JsonPath.from(body);
                assertEquals("external", info.getString("database.mode"));
                assertTrue(info.getString("database.url").startsWith("jdbc:postgresql://"), info.getString("database.url"));
                assertTrue(info.getString("settings.dbUrl").startsWith("jdbc:postgresql://"));
            }
        }
    }

    @Test
    void adminCallsNeedAToken() {
        RestAssured.given().baseUri(dvemu.webApiUrl().toString()).get("/_dvemu/info").then().statusCode(401);
        RestAssured.given().baseUri(dvemu.webApiUrl().toString()).post("/_dvemu/reset").then().statusCode(401);
    }

    @Test
    void noAdminAnswersAdminDisabledEverywhere() throws Exception {
        try (Dvemu s = Dvemu.start(DvemuConfig.builder().args("--no-admin").build())) {
            for (String path : List.of("/_dvemu/info", "/_dvemu/reset", "/_dvemu/snapshots/x")) {
                Api.admin(s).post(path).then().statusCode(404).body("error.code", equalTo("AdminDisabled"));
            }
            Api.admin(s).get("/_dvemu/info").then().statusCode(404).body("error.code", equalTo("AdminDisabled"));
        }
    }

    @Test
    void anUnknownAdminResourceIs404() {
        Api.admin(dvemu).get("/_dvemu/nothing").then().statusCode(404).body("error.code", equalTo("NotFound"));
    }
}
