package dev.dvemu.server.admin;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.dvemu.server.admin.ResetTest.count;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /_dvemu/seed: rows created through the Web API's create path, all or none. */
@DvemuTest(reset = Reset.EACH_CLASS) // a server to itself: reset as the class starts, no other class meanwhile
class SeedTest {
    private static Dvemu server;

    @Test
    void rowsAreCreatedAndMayBindToRowsOfTheSameSeed() {
        String account = UUID.randomUUID().toString();
        String body = """
                {"accounts": [{"accountid": "%s", "name": "Seeded", "accountnumber": "SEED-1", "revenue": 1234567890.1234}],
                 "contacts": [{"lastname": "by id", "parentcustomerid_account@odata.bind": "/accounts(%s)"},
                              {"lastname": "by key", "parentcustomerid_account@odata.bind": "/accounts(accountnumber='SEED-1')"}],
                 "new_bookings": [{"new_name": "numbered"}],
                 "new_stocks": []}""".formatted(account, account);
        Api.admin(server).body(body).post("/_dvemu/seed").then().statusCode(200)
                .body("created.accounts", equalTo(1)).body("created.contacts", equalTo(2))
                .body("created.new_bookings", equalTo(1)).body("created.new_stocks", equalTo(0));

        JsonPath contacts = Api.given(server).get("contacts?$filter=lastname eq 'by id' or lastname eq 'by key'")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(account, account), contacts.getList("value._parentcustomerid_value"));
        // decimals arrive exact, as in a POST
        String a = Api.given(server).get("accounts(" + account + ")?$select=revenue").then().statusCode(200).extract().asString();
        assertTrue(a.contains("\"revenue\":1234567890.1234"), a);
        String number = Api.given(server).get("new_bookings?$filter=new_name eq 'numbered'").then().statusCode(200)
                .extract().jsonPath().getString("value[0].new_bookingnumber");
        assertTrue(number.matches("BK-\\d{6,}"), number);
    }

    @Test
    void aBadRowFailsTheSeedWithItsWebApiAnswerAndNothingIsWritten() {
        String name = "seed-" + UUID.randomUUID();
        String bad = "{\"new_name\":\"" + name + "\",\"new_availablecount\":\"many\"}";
        // what a POST of the same row answers
        JsonPath direct = Api.given(server).contentType("application/json").body(bad).post("new_stocks")
                .then().statusCode(400).extract().jsonPath();

        String body = "{\"accounts\":[{\"name\":\"" + name + "\"}],\"new_stocks\":[{\"new_name\":\"" + name + "\"}," + bad + "]}";
        Api.admin(server).body(body).post("/_dvemu/seed").then().statusCode(400)
                .body("error.code", equalTo(direct.getString("error.code")))
                .body("error.message", equalTo("new_stocks[1]: " + direct.getString("error.message")));

        assertEquals(0, Api.given(server).get("accounts?$filter=name eq '" + name + "'").then().statusCode(200)
                .extract().jsonPath().getList("value").size());
        assertEquals(0, Api.given(server).get("new_stocks?$filter=new_name eq '" + name + "'").then().statusCode(200)
                .extract().jsonPath().getList("value").size());
    }

    @Test
    void aDuplicateIdFailsTheSeedAs412() {
        String id = UUID.randomUUID().toString();
        Api.admin(server).body("{\"new_stocks\":[{\"new_stockid\":\"" + id + "\"},{\"new_stockid\":\"" + id + "\"}]}")
                .post("/_dvemu/seed").then().statusCode(412).body("error.code", equalTo("0x80040237"))
                .body("error.message", containsString("new_stocks[1]: "));
        Api.given(server).get("new_stocks(" + id + ")").then().statusCode(404);
    }

    @Test
    void aBindToAMissingRowFails() {
        int before = count(server, "contacts");
        Api.admin(server).body("{\"contacts\":[{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(accountnumber='NO-SUCH')\"}]}")
                .post("/_dvemu/seed").then().statusCode(404).body("error.message", containsString("contacts[0]: "));
        assertEquals(before, count(server, "contacts"));
    }

    @Test
    void aBodyThatIsNotASeedIsRefused() {
        Api.admin(server).body("[1,2]").post("/_dvemu/seed").then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).body("{\"nosuchset\":[{}]}").post("/_dvemu/seed").then().statusCode(400)
                .body("error.code", equalTo("BadRequest")).body("error.message", containsString("nosuchset"));
        Api.admin(server).body("{\"accounts\":{}}").post("/_dvemu/seed").then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).body("{not json").post("/_dvemu/seed").then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).get("/_dvemu/seed").then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"));
    }
}
