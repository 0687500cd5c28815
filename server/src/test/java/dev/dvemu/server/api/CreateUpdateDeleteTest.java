package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.dvemu.server.api.Rows.accountPath;
import static dev.dvemu.server.api.Rows.bookingPath;
import static dev.dvemu.server.api.Rows.json;
import static dev.dvemu.server.api.Rows.missingId;
import static dev.dvemu.server.api.Rows.read;
import static dev.dvemu.server.api.Rows.stockPath;
import static dev.dvemu.server.api.Rows.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Create, update and delete of whole rows: dataverse-web-api.md §3 and §4. */
@DvemuTest(reset = Reset.NEVER)
class CreateUpdateDeleteTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String UTC_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    // ---------------------------------------------------------------- POST

    @Test
    void postIs204WithAbsoluteEntityIdAndNoBody() {
        Response r = json("{\"new_name\":\"" + unique("post") + "\"}").post("new_stocks");
        r.then().statusCode(204)
                .header("OData-Version", "4.0")
                .header("OData-EntityId", matchesPattern("^https?://.+/api/data/v9\\.2/new_stocks\\(" + GUID + "\\)$"))
                .header("OData-EntityId", startsWith(dvemu.webApiUrl().toString()))
                .body(emptyString());
    }

    @Test
    void entityIdOfPostNamesTheCreatedRow() {
        String name = unique("post");
        String location = json("{\"new_name\":\"" + name + "\"}").post("new_stocks").then().statusCode(204)
                .extract().header("OData-EntityId");
        Api.given(dvemu).get(location).then().statusCode(200).body("new_name", equalTo(name));
    }

    @Test
    void postWithReturnRepresentationIs201WithTheWholeRow() {
        String name = unique("rep");
        json("{\"new_name\":\"" + name + "\",\"new_availablecount\":4}")
                .header("Prefer", "return=representation")
                .post("new_stocks").then()
                .statusCode(201)
                .header("Preference-Applied", "return=representation")
                .header("Content-Type", startsWith("application/json"))
                .body("'@odata.context'", equalTo(dvemu.webApiUrl().toString() + "$metadata#new_stocks/$entity"))
                .body("'@odata.etag'", matchesPattern("^W/\"\\d+\"$"))
                .body("new_stockid", matchesPattern(GUID))
                .body("new_name", equalTo(name))
                .body("new_availablecount", equalTo(4))
                .body("$", hasKey("new_bookedcount"))
                .body("new_bookedcount", nullValue())
                .body("versionnumber", not(nullValue()))
                .body("createdon", matchesPattern(UTC_SECONDS))
                .body("modifiedon", matchesPattern(UTC_SECONDS));
    }

    @Test
    void selectOnPostWithRepresentationShapesTheBody() {
        String name = unique("sel");
        JsonPath body = json("{\"new_name\":\"" + name + "\",\"new_availablecount\":4}")
                .header("Prefer", "return=representation")
                .post("new_stocks?$select=new_name").then()
                .statusCode(201)
                .body("'@odata.context'", endsWith("$metadata#new_stocks(new_name)/$entity"))
                .body("new_name", equalTo(name))
                .body("new_stockid", matchesPattern(GUID))
                .extract().jsonPath();
        Map<String, Object> fields = body.getMap("$");
        assertTrue(!fields.containsKey("new_availablecount") && !fields.containsKey("createdon"),
                "unselected columns returned: " + fields.keySet());
    }

    @Test
    void clientSuppliedIdInTheBodyIsTheRowId() {
        String id = missingId();
        json("{\"new_stockid\":\"" + id + "\",\"new_name\":\"" + unique("own-id") + "\"}")
                .post("new_stocks").then()
                .statusCode(204)
                .header("OData-EntityId", endsWith("/new_stocks(" + id + ")"));
        Rows.get(stockPath(id)).then().statusCode(200).body("new_stockid", equalTo(id));
    }

    @Test
    void postWithAnExistingIdIs412DuplicateAndKeepsTheRow() {
        Rows.Created s = Rows.stock();
        json("{\"new_stockid\":\"" + s.id() + "\",\"new_name\":\"other\"}")
                .post("new_stocks").then()
                .statusCode(412)
                .body("error.code", equalTo("0x80040237"))
                .body("error.message", equalTo("A record with matching key values already exists."));
        Rows.get(stockPath(s.id())).then().statusCode(200)
                .body("'@odata.etag'", equalTo(s.etag()))
                .body("new_name", not(equalTo("other")));
    }

    @Test
    void createAppliesColumnDefaults() {
        Rows.Created b = Rows.booking("{\"new_name\":\"" + unique("bk") + "\"}");
        Rows.get(bookingPath(b.id())).then().statusCode(200)
                .body("new_quantity", equalTo(1))
                .body("new_status", equalTo(100000000));
    }

    @Test
    void createKeepsSentValuesOverDefaults() {
        Rows.Created b = Rows.booking("{\"new_name\":\"" + unique("bk") + "\",\"new_quantity\":3,\"new_status\":100000001}");
        Rows.get(bookingPath(b.id())).then().statusCode(200)
                .body("new_quantity", equalTo(3))
                .body("new_status", equalTo(100000001));
    }

    @Test
    void postIgnoresAnnotationsAndServerManagedColumnsInTheBody() {
        String name = unique("extras");
        String body = "{\"@odata.type\":\"Microsoft.Dynamics.CRM.new_stock\",\"@odata.etag\":\"W/\\\"5\\\"\","
                + "\"versionnumber\":5,\"createdon\":\"2001-01-01T00:00:00Z\",\"modifiedon\":\"2001-01-01T00:00:00Z\","
                + "\"new_name\":\"" + name + "\"}";
        JsonPath created = json(body).header("Prefer", "return=representation").post("new_stocks").then()
                .statusCode(201)
                .body("new_name", equalTo(name))
                .extract().jsonPath();
        assertNotEquals(5L, created.getLong("versionnumber"));
        assertNotEquals("2001-01-01T00:00:00Z", created.getString("createdon"));
    }

    @Test
    void aServerManagedColumnWithAValueOfTheWrongTypeIsRefused() {
        String name = unique("illtyped");
        json("{\"new_name\":\"" + name + "\",\"versionnumber\":\"abc\"}").post("new_stocks").then().statusCode(400);
        json("{\"new_name\":\"" + name + "\",\"createdon\":\"yesterday\"}").post("new_stocks").then().statusCode(400);
        Rows.Created s = Rows.stock();
        json("{\"new_name\":\"" + name + "\",\"modifiedon\":12}").patch(stockPath(s.id())).then().statusCode(400);
        Rows.get("new_stocks?$filter=new_name eq '" + name + "'").then().statusCode(200).body("value.size()", equalTo(0));
    }

    // ---------------------------------------------------------------- PATCH

    @Test
    void patchIs204WithEntityIdAndNoBody() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":1}").patch(stockPath(s.id())).then()
                .statusCode(204)
                .header("OData-EntityId", equalTo(dvemu.webApiUrl().toString() + stockPath(s.id())))
                .body(emptyString());
    }

    @Test
    void patchWithReturnRepresentationIs200WithTheUpdatedRow() {
        Rows.Created s = Rows.stock();
        json("{\"new_bookedcount\":2}").header("Prefer", "return=representation")
                .patch(stockPath(s.id())).then()
                .statusCode(200)
                .header("Preference-Applied", "return=representation")
                .body("'@odata.context'", equalTo(dvemu.webApiUrl().toString() + "$metadata#new_stocks/$entity"))
                .body("'@odata.etag'", not(equalTo(s.etag())))
                .body("new_stockid", equalTo(s.id()))
                .body("new_bookedcount", equalTo(2))
                .body("new_availablecount", equalTo(10));
    }

    @Test
    void patchLeavesColumnsNotInTheBodyUnchanged() {
        String name = unique("keep");
        Rows.Created s = Rows.stock(name, 6);
        json("{\"new_bookedcount\":1}").patch(stockPath(s.id())).then().statusCode(204);
        Rows.get(stockPath(s.id())).then().statusCode(200)
                .body("new_name", equalTo(name))
                .body("new_availablecount", equalTo(6))
                .body("new_bookedcount", equalTo(1));
    }

    @Test
    void patchAcceptsARowSentBackFromAnEarlierGetAndIgnoresItsServerColumns() throws Exception {
        Rows.Created s = Rows.stock();
        Map<String, Object> row = new LinkedHashMap<>(read(stockPath(s.id())).getMap("$"));
        String createdOn = (String) row.get("createdon");
        row.put("new_availablecount", 42);
        row.put("@odata.type", "Microsoft.Dynamics.CRM.new_stock");
        row.put("createdon", "2001-01-01T00:00:00Z");
        row.put("versionnumber", 1);
        json(new ObjectMapper().writeValueAsString(row)).patch(stockPath(s.id())).then().statusCode(204);
        JsonPath after = read(stockPath(s.id()));
        assertEquals(42, after.getInt("new_availablecount"));
        assertEquals(createdOn, after.getString("createdon"));
        assertNotEquals(s.version(), after.getLong("versionnumber"));
        assertNotEquals(1L, after.getLong("versionnumber"));
    }

    // ---------------------------------------------------------------- DELETE

    @Test
    void deleteIs204AndTheRowIsGone() {
        Rows.Created s = Rows.stock();
        Api.given(dvemu).delete(stockPath(s.id())).then().statusCode(204).body(emptyString());
        Rows.get(stockPath(s.id())).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    // ---------------------------------------------------------------- value formats

    @Test
    void moneyComesBackWithFourDecimals() {
        String body = json("{\"name\":\"" + unique("acc") + "\",\"revenue\":5000000}")
                .header("Prefer", "return=representation").post("accounts").then()
                .statusCode(201).extract().asString();
        assertTrue(body.contains("\"revenue\":5000000.0000"), body);
    }

    @Test
    void moneyReadBackKeepsFourDecimals() {
        Rows.Created a = Rows.create("accounts", "accountid",
                "{\"name\":\"" + unique("acc") + "\",\"revenue\":12.5}");
        String body = Rows.get(accountPath(a.id())).then().statusCode(200).extract().asString();
        assertTrue(body.contains("\"revenue\":12.5000"), body);
    }

    @Test
    void dateTimeComesBackAsUtcWithoutFraction() {
        Rows.Created c = Rows.create("contacts", "contactid",
                "{\"fullname\":\"" + unique("c") + "\",\"birthdate\":\"1990-05-17T10:11:12Z\"}");
        Rows.get("contacts(" + c.id() + ")").then().statusCode(200)
                .body("birthdate", equalTo("1990-05-17T10:11:12Z"))
                .body("createdon", matchesPattern(UTC_SECONDS));
    }

    @Test
    void dateTimeWithAnOffsetIsStoredAsUtc() {
        Rows.Created c = Rows.create("contacts", "contactid",
                "{\"fullname\":\"" + unique("c") + "\",\"birthdate\":\"1990-05-17T10:11:12+02:00\"}");
        Rows.get("contacts(" + c.id() + ")").then().statusCode(200)
                .body("birthdate", equalTo("1990-05-17T08:11:12Z"));
    }

    @Test
    void unknownPropertyInBodyIs400() {
        json("{\"new_name\":\"x\",\"new_nosuchcolumn\":1}").post("new_stocks").then()
                .statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", containsString("Invalid property 'new_nosuchcolumn' was found in entity 'Microsoft.Dynamics.CRM.new_stock'"));
    }
}
