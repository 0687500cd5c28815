package dev.dvemu.server.admin;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /_dvemu/reset, on a server with a database of its own (a reset empties every table). */
@DvemuTest(reset = Reset.EACH_CLASS) // a server to itself: reset as the class starts, no other class meanwhile
class ResetTest {
    private static Dvemu server;

    static String create(Dvemu s, String set, String body) {
        String entityId = Api.given(s).contentType("application/json").body(body).post(set)
                .then().statusCode(204).extract().header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    static int count(Dvemu s, String set) {
        return Api.given(s).get(set).then().statusCode(200).extract().jsonPath().getList("value").size();
    }

    static long version(String etag) {
        return Long.parseLong(etag.replaceAll("[^0-9]", ""));
    }

    static Response reset(Dvemu s) {
        return Api.admin(s).post("/_dvemu/reset");
    }

    @Test
    void resetEmptiesEveryTable() {
        String account = create(server, "accounts", "{\"name\":\"a\"}");
        create(server, "contacts", "{\"lastname\":\"c\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        String stock = create(server, "new_stocks", "{\"new_name\":\"s\"}");
        String booking = create(server, "new_bookings", "{\"new_name\":\"b\",\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\"}");
        create(server, "new_bookingslots", "{\"new_slotnumber\":1,\"new_StockId@odata.bind\":\"/new_stocks(" + stock
                + ")\",\"new_BookingId@odata.bind\":\"/new_bookings(" + booking + ")\"}");

        reset(server).then().statusCode(200).body("tables", equalTo(6)).body("ms", org.hamcrest.Matchers.greaterThanOrEqualTo(0));

        for (String set : List.of("accounts", "contacts", "new_stocks", "new_bookings", "new_bookingslots")) {
            assertEquals(0, count(server, set), set + " after the reset");
        }
    }

    @Test
    void anEtagFromBeforeTheResetNeverMatchesARowCreatedAfterIt() {
        String id = UUID.randomUUID().toString();
        create(server, "new_stocks", "{\"new_stockid\":\"" + id + "\",\"new_name\":\"before\"}");
        String before = Api.given(server).get("new_stocks(" + id + ")").then().statusCode(200).extract().header("ETag");

        reset(server).then().statusCode(200);

        create(server, "new_stocks", "{\"new_stockid\":\"" + id + "\",\"new_name\":\"after\"}");
        String after = Api.given(server).get("new_stocks(" + id + ")").then().statusCode(200).extract().header("ETag");
        assertTrue(version(after) > version(before), "versions go on after a reset: " + before + " then " + after);
        Api.given(server).contentType("application/json").header("If-Match", before).body("{\"new_name\":\"stale\"}")
                .patch("new_stocks(" + id + ")").then().statusCode(412).body("error.code", equalTo("0x80060882"));
        Api.given(server).contentType("application/json").header("If-Match", after).body("{\"new_name\":\"fresh\"}")
                .patch("new_stocks(" + id + ")").then().statusCode(204);
    }

    @Test
    void autonumbersRestartAtTheirSeed() {
        create(server, "new_bookings", "{\"new_name\":\"first\"}");
        create(server, "new_bookings", "{\"new_name\":\"second\"}");

        reset(server).then().statusCode(200);

        String id = create(server, "new_bookings", "{\"new_name\":\"after\"}");
        assertEquals("BK-001000", Api.given(server).get("new_bookings(" + id + ")").then().statusCode(200)
                .extract().jsonPath().getString("new_bookingnumber"));
        String next = create(server, "new_bookings", "{\"new_name\":\"after 2\"}");
        assertEquals("BK-001001", Api.given(server).get("new_bookings(" + next + ")").then().statusCode(200)
                .extract().jsonPath().getString("new_bookingnumber"));
    }

    @Test
    void onlyPostResets() {
        Api.admin(server).get("/_dvemu/reset").then().statusCode(405).body("error.code", equalTo("MethodNotAllowed"));
        Api.admin(server).post("/_dvemu/reset/more").then().statusCode(404).body("error.code", equalTo("NotFound"));
    }

    @Test
    void requestsDuringResetsAreAnsweredNormally() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        statuses.add(Api.given(server).contentType("application/json").body("{\"new_name\":\"w" + writer + "-" + i + "\"}")
                                .post("new_bookings").statusCode());
                    }
                    return statuses;
                }));
            }
            Future<List<Integer>> resets = pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    statuses.add(reset(server).statusCode());
                }
                return statuses;
            });
            for (Future<List<Integer>> f : writers) {
                f.get(60, TimeUnit.SECONDS).forEach(status -> assertEquals(204, status, "a create beside resets"));
            }
            resets.get(60, TimeUnit.SECONDS).forEach(status -> assertEquals(200, status, "a reset beside creates"));
        } finally {
            pool.shutdownNow();
        }
        reset(server).then().statusCode(200);
        assertEquals(0, count(server, "new_bookings"));
    }
}
