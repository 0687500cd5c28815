package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.dvemu.server.api.Rows.accountPath;
import static dev.dvemu.server.api.Rows.json;
import static dev.dvemu.server.api.Rows.missingId;
import static dev.dvemu.server.api.Rows.read;
import static dev.dvemu.server.api.Rows.unique;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One column of one row: {@code accounts(<id>)/name}, dataverse-web-api.md §4. */
@DvemuTest(reset = Reset.NEVER)
class SinglePropertyTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static Rows.Created account(String name, String description) {
        return Rows.create("accounts", "accountid", "{\"name\":\"" + name + "\""
                + (description == null ? "" : ",\"description\":\"" + description + "\"") + "}");
    }

    @Test
    void getOfAColumnIs200WithPropertyContextAndValue() {
        String name = unique("acc");
        Rows.Created a = account(name, null);
        Api.given(dvemu).get(accountPath(a.id()) + "/name").then()
                .statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .body("'@odata.context'", equalTo(dvemu.webApiUrl().toString() + "$metadata#accounts(" + a.id() + ")/name"))
                .body("value", equalTo(name));
    }

    @Test
    void getOfAColumnValueIsTheRawText() {
        String name = unique("acc");
        Rows.Created a = account(name, null);
        Api.given(dvemu).get(accountPath(a.id()) + "/name/$value").then()
                .statusCode(200)
                .header("Content-Type", startsWith("text/plain"))
                .body(equalTo(name));
    }

    @Test
    void getOfANullColumnIs204() {
        Rows.Created a = account(unique("acc"), null);
        Api.given(dvemu).get(accountPath(a.id()) + "/description").then()
                .statusCode(204)
                .body(emptyString());
    }

    @Test
    void getOfAColumnOfAMissingRowIs404() {
        String id = missingId();
        Api.given(dvemu).get(accountPath(id) + "/name").then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    @Test
    void putOfAColumnIs204AndChangesTheValueAndVersion() {
        Rows.Created a = account(unique("acc"), null);
        String renamed = unique("renamed");
        json("{\"value\":\"" + renamed + "\"}").put(accountPath(a.id()) + "/name").then()
                .statusCode(204)
                .body(emptyString());
        JsonPath after = read(accountPath(a.id()));
        assertEquals(renamed, after.getString("name"));
        assertNotEquals(a.version(), after.getLong("versionnumber"));
        assertEquals(Rows.etag(after.getLong("versionnumber")), after.getString("'@odata.etag'"));
    }

    @Test
    void putOfAnIntegerColumnSetsIt() {
        Rows.Created a = account(unique("acc"), null);
        json("{\"value\":250}").put(accountPath(a.id()) + "/numberofemployees").then().statusCode(204);
        Api.given(dvemu).get(accountPath(a.id()) + "/numberofemployees").then()
                .statusCode(200)
                .body("value", equalTo(250));
    }

    @Test
    void deleteOfAColumnIs204AndNullsIt() {
        Rows.Created a = account(unique("acc"), "to be removed");
        Api.given(dvemu).delete(accountPath(a.id()) + "/description").then()
                .statusCode(204)
                .body(emptyString());
        JsonPath after = read(accountPath(a.id()));
        assertNull(after.get("description"));
        assertNotEquals(a.version(), after.getLong("versionnumber"));
    }

    @Test
    void putOfVersionnumberIs400AndChangesNothing() {
        Rows.Created a = account(unique("acc"), null);
        json("{\"value\":1}").put(accountPath(a.id()) + "/versionnumber").then()
                .statusCode(400)
                .body("error.code", equalTo("0x80048d19"));
        assertEquals(a.version(), read(accountPath(a.id())).getLong("versionnumber"));
    }

    @Test
    void putOfALookupValueColumnIs400() {
        Rows.Created a = account(unique("acc"), null);
        Rows.Created contact = Rows.create("contacts", "contactid", "{\"fullname\":\"" + unique("c") + "\"}");
        json("{\"value\":\"" + contact.id() + "\"}").put(accountPath(a.id()) + "/_primarycontactid_value").then()
                .statusCode(400)
                .body("error.code", equalTo("0x80048d19"));
        assertNull(read(accountPath(a.id())).get("_primarycontactid_value"));
    }
}
