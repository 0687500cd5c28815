package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.server.support.MetadataServer;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.Tables;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A required column is required on every path that creates a row — POST, and PATCH that upserts by id or by
 * alternate key, with or without If-None-Match, standalone or in a changeset — and on none that only updates one.
 */
class RequiredColumnTest {
    private static Dvemu server;

    @BeforeAll
    static void start() throws Exception {
        server = Dvemu.start(DvemuConfig.builder().tables(Tables.REPLACE)
                .metadata(MetadataServer.writeTables(Files.createTempDirectory("dvemu-metadata-"), Map.of("tst_ticket", """
                {"logicalName":"tst_ticket","entitySetName":"tst_tickets","primaryNameColumn":"tst_name",
                 "columns":[{"name":"tst_name","type":"String"},
                            {"name":"tst_code","type":"String","required":true},
                            {"name":"tst_seat","type":"Integer","required":true},
                            {"name":"tst_note","type":"String"}],
                 "alternateKeys":[{"name":"tst_seat_key","columns":["tst_seat"]}]}
                """), "")).build());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Response send(String method, String path, String body, String... headers) {
        var spec = Api.given(server).contentType("application/json").body(body);
        for (int i = 0; i < headers.length; i += 2) {
            spec = spec.header(headers[i], headers[i + 1]);
        }
        return spec.request(method, path);
    }

    private static void assertRequired(Response r, String column) {
        r.then().statusCode(400).body("error.code", equalTo("0x80040200"))
                .body("error.message", equalTo("A validation error occurred.  The value for the '" + column
                        + "' attribute of the 'tst_ticket' entity is required."));
    }

    private static void assertNoTicketNamed(String name) {
        Api.given(server).get("tst_tickets?$filter=tst_name eq '" + name + "'").then().statusCode(200).body("value", hasSize(0));
    }

    private static int seat() {
        return (int) (Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000);
    }

    @Test
    void theMetadataCallsARequiredColumnSystemRequiredTheLevelDataversesApiEnforces() {
        // ApplicationRequired ("business required") is only enforced by the app's forms, not by the API
        Api.given(server).queryParam("$select", "LogicalName,RequiredLevel")
                .get("EntityDefinitions(LogicalName='tst_ticket')/Attributes(LogicalName='tst_code')").then().statusCode(200)
                .body("RequiredLevel.Value", equalTo("SystemRequired"));
        Api.given(server).queryParam("$select", "LogicalName,RequiredLevel")
                .get("EntityDefinitions(LogicalName='tst_ticket')/Attributes(LogicalName='tst_note')").then().statusCode(200)
                .body("RequiredLevel.Value", equalTo("None"));
    }

    @Test
    void aPostWithoutARequiredColumnIsRefused() {
        String name = "post-" + UUID.randomUUID();
        assertRequired(send("POST", "tst_tickets", "{\"tst_name\":\"" + name + "\",\"tst_seat\":" + seat() + "}"), "tst_code");
        assertNoTicketNamed(name);
    }

    @Test
    void anUpsertByIdThatWouldCreateIsRefusedWithoutARequiredColumn() {
        String name = "upsert-" + UUID.randomUUID();
        assertRequired(send("PATCH", "tst_tickets(" + UUID.randomUUID() + ")", "{\"tst_name\":\"" + name + "\",\"tst_seat\":" + seat() + "}"), "tst_code");
        assertNoTicketNamed(name);
    }

    @Test
    void anUpsertThatCreatesWithOnlyNullForARequiredColumnIsRefused() {
        String name = "null-" + UUID.randomUUID();
        assertRequired(send("PATCH", "tst_tickets(" + UUID.randomUUID() + ")",
                "{\"tst_name\":\"" + name + "\",\"tst_code\":null,\"tst_seat\":" + seat() + "}"), "tst_code");
        assertNoTicketNamed(name);
    }

    @Test
    void aCreateOnlyPatchIsRefusedWithoutARequiredColumn() {
        String name = "create-only-" + UUID.randomUUID();
        assertRequired(send("PATCH", "tst_tickets(" + UUID.randomUUID() + ")", "{\"tst_name\":\"" + name + "\",\"tst_seat\":" + seat() + "}",
                "If-None-Match", "*"), "tst_code");
        assertNoTicketNamed(name);
    }

    @Test
    void anUpsertByAlternateKeyTakesTheKeyColumnFromTheUrl() {
        int seat = seat();
        String name = "by-key-" + UUID.randomUUID();
        // the required key column comes from the URL: only tst_code is missing
        assertRequired(send("PATCH", "tst_tickets(tst_seat=" + seat + ")", "{\"tst_name\":\"" + name + "\"}"), "tst_code");
        assertNoTicketNamed(name);
        send("PATCH", "tst_tickets(tst_seat=" + seat + ")", "{\"tst_name\":\"" + name + "\",\"tst_code\":\"C\"}").then().statusCode(204);
        send("PATCH", "tst_tickets(tst_seat=" + seat() + ")", "{\"tst_name\":\"x\",\"tst_code\":\"C\"}", "If-None-Match", "*")
                .then().statusCode(204);
    }

    @Test
    void anUpsertThatUpdatesNeedsNoRequiredColumn() {
        String id = UUID.randomUUID().toString();
        int seat = seat();
        send("PATCH", "tst_tickets(" + id + ")", "{\"tst_name\":\"u\",\"tst_code\":\"C\",\"tst_seat\":" + seat + "}").then().statusCode(204);
        send("PATCH", "tst_tickets(" + id + ")", "{\"tst_note\":\"updated\"}").then().statusCode(204);
        send("PATCH", "tst_tickets(tst_seat=" + seat + ")", "{\"tst_note\":\"by key\"}").then().statusCode(204);
        Api.given(server).get("tst_tickets(" + id + ")").then().statusCode(200).body("tst_note", equalTo("by key"))
                .body("tst_code", equalTo("C"));
    }

    @Test
    void aChangesetWhoseUpsertLacksARequiredColumnWritesNothing() {
        String name = "changeset-" + UUID.randomUUID();
        String body = "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n"
                + "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST tst_tickets HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"tst_name\":\"" + name + "\",\"tst_code\":\"C\",\"tst_seat\":" + seat() + "}\r\n"
                + "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n"
                + "PATCH tst_tickets(" + UUID.randomUUID() + ") HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"tst_name\":\"" + name + "\",\"tst_seat\":" + seat() + "}\r\n"
                + "--cs--\r\n--b--\r\n";
        Response r = Api.given(server).contentType("multipart/mixed; boundary=b").body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
        assertEquals(400, r.statusCode());
        assertTrue(r.asString().contains("0x80040200"), r.asString());
        assertNoTicketNamed(name);
    }
}
