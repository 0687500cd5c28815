package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.UUID;

/** Creates and reads rows for the API tests; every row gets a unique name so tests never see each other's data. */
final class Rows {
    private static Dvemu dvemu;

    private Rows() {
    }

    /** The emulator the next rows are made on: each test class using these calls it from its {@code @BeforeAll}. */
    static void use(Dvemu server) {
        dvemu = server;
    }

    /** A created row: its id, its ETag as sent on the wire and the versionnumber behind it. */
    record Created(String id, String etag, long version) {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** An account number that fits the 20-character column and no other test will pick. */
    static String accountNumber() {
        return "A-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static RequestSpecification json(String body) {
        return Api.given(dvemu).contentType("application/json").body(body);
    }

    /** POST with {@code return=representation}; fails the test unless the row was created. */
    static Created create(String entitySet, String idColumn, String body) {
        JsonPath created = json(body).header("Prefer", "return=representation")
                .post(entitySet).then().statusCode(201).extract().jsonPath();
        return new Created(created.getString(idColumn), created.getString("'@odata.etag'"),
                created.getLong("versionnumber"));
    }

    static Created stock() {
        return stock(unique("stock"), 10);
    }

    static Created stock(String name, int available) {
        return create("new_stocks", "new_stockid",
                "{\"new_name\":\"" + name + "\",\"new_availablecount\":" + available + "}");
    }

    static Created account(String accountNumber) {
        return create("accounts", "accountid",
                "{\"name\":\"" + unique("acc") + "\",\"accountnumber\":\"" + accountNumber + "\"}");
    }

    static Created account() {
        return account(accountNumber());
    }

    static Created booking(String body) {
        return create("new_bookings", "new_bookingid", body);
    }

    static String stockPath(String id) {
        return "new_stocks(" + id + ")";
    }

    static String accountPath(String id) {
        return "accounts(" + id + ")";
    }

    static String bookingPath(String id) {
        return "new_bookings(" + id + ")";
    }

    /** GET of one row that must exist. */
    static JsonPath read(String path) {
        return Api.given(dvemu).get(path).then().statusCode(200).extract().jsonPath();
    }

    static Response get(String path) {
        return Api.given(dvemu).get(path);
    }

    static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    static String missingId() {
        return UUID.randomUUID().toString();
    }
}
