package dev.dvemu.server.db;

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

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own migration may add CHECK and NOT NULL constraints, exclusion constraints, foreign keys that restrict
 * deletes, and triggers that raise errors: each violation is a Dataverse-style 4xx naming what was violated, never
 * a 500, never PostgreSQL's own words, and never a partial write.
 */
class UserSchemaFailureTest {
    private static Dvemu server;

    @BeforeAll
    static void startOnAUserSchema() throws Exception {
        server = Dvemu.start(DvemuConfig.builder().tables(Tables.REPLACE)
                .metadata(MetadataServer.writeTables(Files.createTempDirectory("dvemu-metadata-"), Map.of(
                "tst_gadget", """
                        {"logicalName":"tst_gadget","entitySetName":"tst_gadgets","primaryNameColumn":"tst_name",
                         "columns":[{"name":"tst_name","type":"String"},{"name":"tst_count","type":"Integer"},
                                    {"name":"tst_code","type":"String"},{"name":"tst_ratio","type":"Integer"}]}
                        """,
                "tst_part", """
                        {"logicalName":"tst_part","entitySetName":"tst_parts","primaryNameColumn":"tst_name",
                         "columns":[{"name":"tst_name","type":"String"},{"name":"tst_gadgetref","type":"Uniqueidentifier"}]}
                        """), """
                ALTER TABLE tst_gadget ALTER COLUMN tst_code SET DEFAULT 'none';
                ALTER TABLE tst_gadget ALTER COLUMN tst_code SET NOT NULL;
                ALTER TABLE tst_gadget ADD CONSTRAINT tst_gadget_count_not_negative CHECK (tst_count >= 0);
                ALTER TABLE tst_gadget ADD CONSTRAINT tst_gadget_one_per_code EXCLUDE USING btree (tst_code WITH =)
                    WHERE (tst_code <> 'none');
                ALTER TABLE tst_part ADD CONSTRAINT tst_part_gadget FOREIGN KEY (tst_gadgetref)
                    REFERENCES tst_gadget (tst_gadgetid) ON DELETE RESTRICT;
                CREATE FUNCTION tst_gadget_rules() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.tst_name = 'forbidden' THEN
                        RAISE EXCEPTION 'Gadgets may not be called forbidden.';
                    END IF;
                    IF NEW.tst_name = 'divide' THEN
                        NEW.tst_ratio := 100 / NEW.tst_count;
                    END IF;
                    IF NEW.tst_name = 'broken' THEN
                        EXECUTE 'SELECT no_such_column FROM tst_gadget';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER tst_gadget_rules BEFORE INSERT OR UPDATE ON tst_gadget
                    FOR EACH ROW EXECUTE FUNCTION tst_gadget_rules();
                """)).build());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Response post(String set, String json) {
        return Api.given(server).contentType("application/json").body(json).post(set);
    }

    private static void assertNoDatabaseWords(Response r) {
        String body = r.asString();
        for (String word : new String[]{"PostgreSQL", "postgres", "ERROR:", "SQLSTATE", "org.", "plpgsql", "relation"}) {
            assertFalse(body.contains(word), "the error names " + word + ": " + body);
        }
    }

    @Test
    void aCheckConstraintViolationIsA400NamingTheConstraint() {
        String name = "check-" + UUID.randomUUID();
        Response r = post("tst_gadgets", "{\"tst_name\":\"" + name + "\",\"tst_count\":-1}");
        r.then().statusCode(400).body("error.code", equalTo("0x80044331"))
                .body("error.message", containsString("tst_gadget_count_not_negative"));
        assertNoDatabaseWords(r);
        Api.given(server).get("tst_gadgets?$filter=tst_name eq '" + name + "'").then().body("value.size()", equalTo(0));
    }

    @Test
    void aCheckConstraintViolationInAChangesetRollsBackTheOperationsBeforeIt() {
        String name = "cs-" + UUID.randomUUID();
        String boundary = "batch_" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Type: multipart/mixed; boundary=cs_1\r\n\r\n"
                + "--cs_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST tst_gadgets HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"tst_name\":\"" + name + "\",\"tst_count\":1}\r\n"
                + "--cs_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n"
                + "POST tst_gadgets HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"tst_name\":\"" + name + "\",\"tst_count\":-5}\r\n"
                + "--cs_1--\r\n--" + boundary + "--\r\n";
        Response r = Api.given(server).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
        assertEquals(400, r.statusCode());
        assertTrue(r.asString().contains("HTTP/1.1 400 Bad Request"), r.asString());
        assertTrue(r.asString().contains("tst_gadget_count_not_negative"), r.asString());
        Api.given(server).get("tst_gadgets?$filter=tst_name eq '" + name + "'").then().body("value.size()", equalTo(0));
    }

    @Test
    void aNotNullConstraintOfTheUsersIsA400NamingTheColumn() {
        Response r = post("tst_gadgets", "{\"tst_name\":\"nn\",\"tst_code\":null}");
        r.then().statusCode(400).body("error.code", equalTo("0x80040200"))
                .body("error.message", containsString("'tst_code'"));
        assertNoDatabaseWords(r);
    }

    @Test
    void anExclusionConstraintIsADuplicate412() {
        String code = "code-" + UUID.randomUUID();
        post("tst_gadgets", "{\"tst_name\":\"x1\",\"tst_code\":\"" + code + "\"}").then().statusCode(204);
        Response r = post("tst_gadgets", "{\"tst_name\":\"x2\",\"tst_code\":\"" + code + "\"}");
        r.then().statusCode(412).body("error.code", equalTo("0x80040237"))
                .body("error.message", containsString("tst_gadget_one_per_code"));
        assertNoDatabaseWords(r);
    }

    @Test
    void aTriggersOwnErrorIsAnsweredLikeAPluginError() {
        Response r = post("tst_gadgets", "{\"tst_name\":\"forbidden\"}");
        r.then().statusCode(400).body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("Gadgets may not be called forbidden."));
    }

    @Test
    void aDataExceptionInATriggerIsA400() {
        Response r = post("tst_gadgets", "{\"tst_name\":\"divide\",\"tst_count\":0}");
        r.then().statusCode(400).body("error.message", containsString("divided by zero"));
        assertNoDatabaseWords(r);
    }

    @Test
    void aBrokenTriggerIsA500ThatNamesNothingOfTheDatabase() {
        Response r = post("tst_gadgets", "{\"tst_name\":\"broken\"}");
        r.then().statusCode(500).body("error.code", equalTo("0x80040216"));
        assertNoDatabaseWords(r);
    }

    @Test
    void deletingARowAUsersForeignKeyRestrictsIs405() {
        String gadget = Api.given(server).contentType("application/json").body("{\"tst_name\":\"parent\"}")
                .header("Prefer", "return=representation").post("tst_gadgets").then().statusCode(201)
                .extract().path("tst_gadgetid");
        post("tst_parts", "{\"tst_name\":\"child\",\"tst_gadgetref\":\"" + gadget + "\"}").then().statusCode(204);
        Response r = Api.given(server).delete("tst_gadgets(" + gadget + ")");
        r.then().statusCode(405).body("error.code", equalTo("0x80040227"));
        Api.given(server).get("tst_gadgets(" + gadget + ")").then().statusCode(200);
    }
}
