package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.dvemu.server.api.Rows.accountPath;
import static dev.dvemu.server.api.Rows.json;
import static dev.dvemu.server.api.Rows.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows addressed by alternate key in the URL, and the uniqueness those keys enforce: §9 (with §2 for preconditions). */
@DvemuTest(reset = Reset.NEVER)
class AlternateKeyTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static final String INVALID_KEY_PREFIX =
            "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.account'";

    /** Key URLs carry quotes, commas and '=' that must reach the server exactly as written. */
    private static RequestSpecification raw() {
        return Api.given(dvemu).urlEncodingEnabled(false);
    }

    private static RequestSpecification rawJson(String body) {
        return raw().contentType("application/json").body(body);
    }

    private static String accountKey(String number) {
        return "accounts(accountnumber='" + number + "')";
    }

    private static String slotKey(String stockId, int slot) {
        return "new_bookingslots(_new_stockid_value=" + stockId + ",new_slotnumber=" + slot + ")";
    }

    private static Rows.Created slot(String stockId, int slot) {
        return Rows.create("new_bookingslots", "new_bookingslotid", "{\"new_name\":\"" + unique("slot")
                + "\",\"new_slotnumber\":" + slot + ",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\"}");
    }

    private static JsonPath accountsNumbered(String number) {
        return Api.given(dvemu).queryParam("$filter", "accountnumber eq '" + number + "'")
                .get("accounts").then().statusCode(200).extract().jsonPath();
    }

    // ---------------------------------------------------------------- GET

    @Test
    void getByCompositeLookupAndIntegerKeyIs200() {
        Rows.Created stock = Rows.stock();
        Rows.Created slot = slot(stock.id(), 3);
        raw().get(slotKey(stock.id(), 3)).then()
                .statusCode(200)
                .header("ETag", slot.etag())
                .body("new_bookingslotid", equalTo(slot.id()))
                .body("_new_stockid_value", equalTo(stock.id()))
                .body("new_slotnumber", equalTo(3));
    }

    @Test
    void getByStringKeyIs200() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        raw().get(accountKey(number)).then()
                .statusCode(200)
                .body("accountid", equalTo(account.id()))
                .body("accountnumber", equalTo(number));
    }

    @Test
    void getByStringKeyWithPercentEncodedQuotesIs200() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        raw().get("accounts(accountnumber=%27" + number + "%27)").then()
                .statusCode(200)
                .body("accountid", equalTo(account.id()));
    }

    @Test
    void getByKeyOfAMissingRowIs404RecordNotFoundByEntityKey() {
        raw().get(accountKey(Rows.accountNumber())).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80060891"))
                .body("error.message", equalTo("A record with the specified key values does not exist in account entity"));
    }

    @Test
    void wrongKeyNamesAre400InvalidKey() {
        raw().get("accounts(name='x')").then()
                .statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", startsWith(INVALID_KEY_PREFIX));
    }

    @Test
    void incompleteCompositeKeyIs400InvalidKey() {
        raw().get("new_bookingslots(new_slotnumber=3)").then()
                .statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", startsWith(
                        "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.new_bookingslot'"));
    }

    // ---------------------------------------------------------------- PATCH upsert by key

    @Test
    void patchByKeyOnMissingRowCreatesItWith204AndKeyFormEntityId() {
        String number = Rows.accountNumber();
        String name = unique("acc");
        rawJson("{\"name\":\"" + name + "\"}").patch(accountKey(number)).then()
                .statusCode(204)
                .header("OData-EntityId", equalTo(dvemu.webApiUrl().toString() + accountKey(number)))
                .body(emptyString());
        // the URL's key value is copied into the new row
        raw().get(accountKey(number)).then().statusCode(200)
                .body("name", equalTo(name))
                .body("accountnumber", equalTo(number));
    }

    @Test
    void patchByCompositeKeyOnMissingRowCreatesItWithTheKeyValues() {
        Rows.Created stock = Rows.stock();
        String name = unique("slot");
        rawJson("{\"new_name\":\"" + name + "\"}").patch(slotKey(stock.id(), 7)).then()
                .statusCode(204)
                .header("OData-EntityId", equalTo(dvemu.webApiUrl().toString() + slotKey(stock.id(), 7)));
        raw().get(slotKey(stock.id(), 7)).then().statusCode(200)
                .body("new_name", equalTo(name))
                .body("_new_stockid_value", equalTo(stock.id()))
                .body("new_slotnumber", equalTo(7));
    }

    @Test
    void patchByKeyWithRepresentationIs201OnCreateThen200OnUpdate() {
        String number = Rows.accountNumber();
        String created = rawJson("{\"name\":\"first\"}").header("Prefer", "return=representation")
                .patch(accountKey(number)).then()
                .statusCode(201)
                .header("ETag", startsWith("W/\""))
                .body("accountnumber", equalTo(number))
                .body("name", equalTo("first"))
                .extract().jsonPath().getString("accountid");
        rawJson("{\"name\":\"second\"}").header("Prefer", "return=representation")
                .patch(accountKey(number)).then()
                .statusCode(200)
                .header("ETag", startsWith("W/\""))
                .body("accountid", equalTo(created))
                .body("name", equalTo("second"));
        assertEquals(1, accountsNumbered(number).getList("value").size());
    }

    @Test
    void patchByKeyOnExistingRowUpdatesItWith204() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        rawJson("{\"telephone1\":\"555-0100\"}").patch(accountKey(number)).then()
                .statusCode(204)
                .header("OData-EntityId", equalTo(dvemu.webApiUrl().toString() + accountKey(number)));
        Rows.get(accountPath(account.id())).then().statusCode(200).body("telephone1", equalTo("555-0100"));
    }

    @Test
    void patchByKeyWithIfMatchStarOnMissingRowIs404AndCreatesNothing() {
        String number = Rows.accountNumber();
        rawJson("{\"name\":\"" + unique("acc") + "\"}").header("If-Match", "*")
                .patch(accountKey(number)).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80060891"));
        raw().get(accountKey(number)).then().statusCode(404);
    }

    @Test
    void patchByKeyWithIfMatchStarOnExistingRowIs204() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        rawJson("{\"telephone1\":\"555-0101\"}").header("If-Match", "*")
                .patch(accountKey(number)).then().statusCode(204);
        Rows.get(accountPath(account.id())).then().statusCode(200).body("telephone1", equalTo("555-0101"));
    }

    @Test
    void patchByKeyWithIfNoneMatchStarOnExistingRowIs412AndLeavesItUnchanged() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        rawJson("{\"telephone1\":\"555-0102\"}").header("If-None-Match", "*")
                .patch(accountKey(number)).then()
                .statusCode(412)
                .body("error.code", equalTo("0x80040237"))
                .body("error.message", equalTo("A record with matching key values already exists."));
        Rows.get(accountPath(account.id())).then().statusCode(200)
                .body("'@odata.etag'", equalTo(account.etag()));
    }

    @Test
    void patchByKeyWithIfNoneMatchStarOnMissingRowCreatesIt() {
        String number = Rows.accountNumber();
        rawJson("{\"name\":\"" + unique("acc") + "\"}").header("If-None-Match", "*")
                .patch(accountKey(number)).then().statusCode(204);
        raw().get(accountKey(number)).then().statusCode(200).body("accountnumber", equalTo(number));
    }

    // ---------------------------------------------------------------- DELETE by key

    @Test
    void deleteByKeyIs204AndRemovesTheRow() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        raw().delete(accountKey(number)).then().statusCode(204);
        Rows.get(accountPath(account.id())).then().statusCode(404);
    }

    @Test
    void deleteByCompositeKeyIs204AndRemovesTheRow() {
        Rows.Created stock = Rows.stock();
        Rows.Created slot = slot(stock.id(), 1);
        raw().delete(slotKey(stock.id(), 1)).then().statusCode(204);
        Rows.get("new_bookingslots(" + slot.id() + ")").then().statusCode(404);
    }

    // ---------------------------------------------------------------- uniqueness

    @Test
    void postWithADuplicateAlternateKeyIs412AndOnlyOneRowExists() {
        String number = Rows.accountNumber();
        Rows.account(number);
        json("{\"name\":\"" + unique("dup") + "\",\"accountnumber\":\"" + number + "\"}")
                .post("accounts").then()
                .statusCode(412)
                .body("error.code", equalTo("0x80060892"))
                .body("error.message", containsString("accountnumber_key"));
        Api.given(dvemu).queryParam("$filter", "accountnumber eq '" + number + "'")
                .get("accounts").then().statusCode(200).body("value", hasSize(1));
    }

    @Test
    void duplicateCompositeKeyOnPostIs412() {
        Rows.Created stock = Rows.stock();
        slot(stock.id(), 2);
        json("{\"new_name\":\"dup\",\"new_slotnumber\":2,\"new_StockId@odata.bind\":\"/new_stocks(" + stock.id() + ")\"}")
                .post("new_bookingslots").then()
                .statusCode(412)
                .body("error.code", equalTo("0x80060892"));
    }

    @Test
    void patchThatGivesARowAnotherRowsKeyIs412AndLeavesItUnchanged() {
        String taken = Rows.accountNumber();
        String own = Rows.accountNumber();
        Rows.account(taken);
        Rows.Created other = Rows.account(own);
        json("{\"accountnumber\":\"" + taken + "\"}").header("If-Match", "*")
                .patch(accountPath(other.id())).then()
                .statusCode(412)
                .body("error.code", equalTo("0x80060892"));
        Rows.get(accountPath(other.id())).then().statusCode(200).body("accountnumber", equalTo(own));
    }
}
