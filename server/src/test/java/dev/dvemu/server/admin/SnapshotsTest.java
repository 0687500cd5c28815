package dev.dvemu.server.admin;

import dev.dvemu.server.support.Api;
import dev.dvemu.server.support.SameDatabase;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.dvemu.server.admin.ResetTest.count;
import static dev.dvemu.server.admin.ResetTest.create;
import static dev.dvemu.server.admin.ResetTest.version;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots: take, restore, list, get, delete, on a server with a database of its own. */
@DvemuTest(reset = Reset.EACH_CLASS) // a server to itself: reset as the class starts, no other class meanwhile
class SnapshotsTest {
    private static Dvemu server;

    @BeforeEach
    void empty() {
        Api.admin(server).post("/_dvemu/reset").then().statusCode(200);
        Api.admin(server).delete("/_dvemu/snapshots").then().statusCode(204);
    }

    private static String number(String bookingId) {
        return Api.given(server).get("new_bookings(" + bookingId + ")").then().statusCode(200).extract().jsonPath().getString("new_bookingnumber");
    }

    private static String etag(String path) {
        return Api.given(server).get(path).then().statusCode(200).extract().header("ETag");
    }

    @Test
    void restorePutsRowsAndAutonumbersBackAsTheyWere() {
        String kept = create(server, "accounts", "{\"name\":\"kept\"}");
        create(server, "accounts", "{\"name\":\"deleted later\"}");
        String stock = create(server, "new_stocks", "{\"new_name\":\"s\",\"new_availablecount\":10}");
        create(server, "new_bookings", "{\"new_name\":\"b\",\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\"}");
        String stockEtag = etag("new_stocks(" + stock + ")");

        JsonPath taken = Api.admin(server).post("/_dvemu/snapshots/base").then().statusCode(201)
                .body("name", equalTo("base")).body("tables", equalTo(6)).body("rows", equalTo(4))
                .extract().jsonPath();
        assertNotNull(Instant.parse(taken.getString("createdOn")));

        // everything changes after the snapshot
        String gone = Api.given(server).get("accounts?$filter=name eq 'deleted later'").then().extract().jsonPath().getString("value[0].accountid");
        Api.given(server).delete("accounts(" + gone + ")").then().statusCode(204);
        Api.given(server).contentType("application/json").body("{\"new_availablecount\":3}").patch("new_stocks(" + stock + ")").then().statusCode(204);
        create(server, "new_stocks", "{\"new_name\":\"new\"}");
        create(server, "new_bookings", "{\"new_name\":\"b2\"}");
        create(server, "new_bookings", "{\"new_name\":\"b3\"}");

        Api.admin(server).post("/_dvemu/snapshots/base/restore").then().statusCode(200)
                .body("name", equalTo("base")).body("rows", equalTo(4)).body("ms", org.hamcrest.Matchers.greaterThanOrEqualTo(0));

        assertEquals(List.of("deleted later", "kept"), Api.given(server).get("accounts?$orderby=name").then().statusCode(200)
                .extract().jsonPath().getList("value.name"));
        assertEquals(kept, Api.given(server).get("accounts?$filter=name eq 'kept'").then().extract().jsonPath().getString("value[0].accountid"));
        assertEquals(1, count(server, "new_stocks"));
        assertEquals(10, Api.given(server).get("new_stocks(" + stock + ")").then().extract().jsonPath().getInt("new_availablecount"));
        // a restored row is the row as it was, ETag included
        assertEquals(stockEtag, etag("new_stocks(" + stock + ")"));
        assertEquals(1, count(server, "new_bookings"));
        // the autonumber goes on from where it stood when the snapshot was taken
        assertEquals("BK-001001", number(create(server, "new_bookings", "{\"new_name\":\"after restore\"}")));
        // and versions never go back: a row written now is newer than any before
        String fresh = create(server, "new_stocks", "{\"new_name\":\"fresh\"}");
        assertTrue(version(etag("new_stocks(" + fresh + ")")) > version(stockEtag));
    }

    @Test
    void aSnapshotOfTheSameNameIsReplaced() {
        create(server, "accounts", "{\"name\":\"one\"}");
        Api.admin(server).post("/_dvemu/snapshots/same").then().statusCode(201).body("rows", equalTo(1));
        create(server, "accounts", "{\"name\":\"two\"}");
        Api.admin(server).post("/_dvemu/snapshots/same").then().statusCode(201).body("rows", equalTo(2));
        Api.admin(server).post("/_dvemu/reset").then().statusCode(200);

        Api.admin(server).post("/_dvemu/snapshots/same/restore").then().statusCode(200).body("rows", equalTo(2));
        assertEquals(2, count(server, "accounts"));
        assertEquals(1, Api.admin(server).get("/_dvemu/snapshots").then().extract().jsonPath().getList("value").size());
    }

    @Test
    void snapshotsAreListedFetchedAndDeleted() {
        create(server, "accounts", "{\"name\":\"x\"}");
        Api.admin(server).post("/_dvemu/snapshots/first").then().statusCode(201);
        Api.admin(server).post("/_dvemu/snapshots/second_2-b").then().statusCode(201);

        List<Map<String, Object>> value = Api.admin(server).get("/_dvemu/snapshots").then().statusCode(200)
                .extract().jsonPath().getList("value");
        assertEquals(List.of("first", "second_2-b"), value.stream().map(v -> v.get("name")).toList());
        assertEquals(1, value.get(0).get("rows"));
        assertNotNull(Instant.parse((String) value.get(0).get("createdOn")));

        Api.admin(server).get("/_dvemu/snapshots/first").then().statusCode(200)
                .body("name", equalTo("first")).body("tables", equalTo(6)).body("rows", equalTo(1));
        Api.admin(server).delete("/_dvemu/snapshots/first").then().statusCode(204);
        Api.admin(server).get("/_dvemu/snapshots/first").then().statusCode(404).body("error.code", equalTo("NotFound"));
        Api.admin(server).delete("/_dvemu/snapshots/first").then().statusCode(404).body("error.code", equalTo("NotFound"));
        Api.admin(server).post("/_dvemu/snapshots/first/restore").then().statusCode(404)
                .body("error.code", equalTo("NotFound")).body("error.message", containsString("first"));

        Api.admin(server).delete("/_dvemu/snapshots").then().statusCode(204);
        assertEquals(0, Api.admin(server).get("/_dvemu/snapshots").then().extract().jsonPath().getList("value").size());
        Api.admin(server).get("/_dvemu/snapshots/second_2-b").then().statusCode(404);
    }

    @Test
    void badNamesAndMethodsAreRefused() {
        Api.admin(server).post("/_dvemu/snapshots/bad.name").then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).post("/_dvemu/snapshots/" + "a".repeat(64)).then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).post("/_dvemu/snapshots/" + "a".repeat(63)).then().statusCode(201);
        Api.admin(server).post("/_dvemu/snapshots/bad~name/restore").then().statusCode(400).body("error.code", equalTo("BadRequest"));
        Api.admin(server).post("/_dvemu/snapshots").then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"));
        Api.admin(server).put("/_dvemu/snapshots/ok").then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"));
        Api.admin(server).get("/_dvemu/snapshots/ok/restore").then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"));
        Api.admin(server).post("/_dvemu/snapshots/ok/other").then().statusCode(404).body("error.code", equalTo("NotFound"));
    }

    @Test
    void aSecondServerOnTheDatabaseSeesTheSnapshots() throws Exception {
        create(server, "accounts", "{\"name\":\"shared\"}");
        Api.admin(server).post("/_dvemu/snapshots/shared").then().statusCode(201);
        try (Dvemu other = SameDatabase.start(server, "snapshots")) {
            Api.admin(other).get("/_dvemu/snapshots/shared").then().statusCode(200).body("rows", equalTo(1));
            Api.admin(other).post("/_dvemu/reset").then().statusCode(200);
            Api.admin(other).post("/_dvemu/snapshots/shared/restore").then().statusCode(200).body("rows", equalTo(1));
        }
        assertEquals(1, count(server, "accounts"));
    }
}
