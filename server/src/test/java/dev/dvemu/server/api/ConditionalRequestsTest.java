package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.dvemu.server.api.Rows.etag;
import static dev.dvemu.server.api.Rows.json;
import static dev.dvemu.server.api.Rows.missingId;
import static dev.dvemu.server.api.Rows.read;
import static dev.dvemu.server.api.Rows.stockPath;
import static dev.dvemu.server.api.Rows.unique;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The If-Match / If-None-Match table of dataverse-web-api.md §2, row by row, plus the ETag rules of §1. */
@DvemuTest(reset = Reset.NEVER)
class ConditionalRequestsTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static final String VERSION_MISMATCH =
            "The version of the existing record doesn't match the RowVersion property provided.";
    private static final String DUPLICATE = "A record with matching key values already exists.";

    /** Moves a row to a new version so the ETag the caller holds becomes stale. */
    private static String touch(String path) {
        json("{\"new_availablecount\":99}").header("If-Match", "*").patch(path).then().statusCode(204);
        return read(path).getString("'@odata.etag'");
    }

    // ---------------------------------------------------------------- GET

    @Test
    void getWithCurrentIfNoneMatchIs304WithoutBody() {
        Rows.Created s = Rows.stock();
        Api.given(dvemu).header("If-None-Match", s.etag()).get(stockPath(s.id())).then()
                .statusCode(304)
                .header("Content-Type", startsWith("application/json"))
                .header("OData-Version", "4.0")
                .body(emptyString());
    }

    @Test
    void getWithStaleIfNoneMatchIs200WithTheNewEtag() {
        Rows.Created s = Rows.stock();
        String current = touch(stockPath(s.id()));
        assertNotEquals(s.etag(), current);
        Api.given(dvemu).header("If-None-Match", s.etag()).get(stockPath(s.id())).then()
                .statusCode(200)
                .header("ETag", current)
                .body("'@odata.etag'", equalTo(current))
                .body("new_availablecount", equalTo(99));
    }

    @Test
    void getWithIfNoneMatchAndIncludeAnnotationsIsNever304() {
        Rows.Created s = Rows.stock();
        Api.given(dvemu).header("If-None-Match", s.etag())
                .header("Prefer", "odata.include-annotations=\"*\"")
                .get(stockPath(s.id())).then()
                .statusCode(200)
                .body("'@odata.etag'", equalTo(s.etag()))
                .body("new_stockid", equalTo(s.id()));
    }

    @Test
    void getWithIfNoneMatchNullIsAnOrdinaryRead() {
        Rows.Created s = Rows.stock();
        Api.given(dvemu).header("If-None-Match", "null").get(stockPath(s.id())).then()
                .statusCode(200)
                .body("'@odata.etag'", equalTo(s.etag()));
    }

    @Test
    void singleRowGetEtagHeaderEqualsBodyEtag() {
        Rows.Created s = Rows.stock();
        Response r = Rows.get(stockPath(s.id()));
        r.then().statusCode(200);
        assertEquals(r.jsonPath().getString("'@odata.etag'"), r.header("ETag"));
        assertEquals(etag(r.jsonPath().getLong("versionnumber")), r.header("ETag"));
    }

    // ---------------------------------------------------------------- PATCH without preconditions: upsert

    @Test
    void patchWithoutIfMatchOnMissingIdCreatesTheRowWith204() {
        String id = missingId();
        String name = unique("upsert");
        json("{\"new_name\":\"" + name + "\"}").patch(stockPath(id)).then()
                .statusCode(204)
                .body(emptyString());
        Rows.get(stockPath(id)).then().statusCode(200).body("new_name", equalTo(name));
    }

    @Test
    void patchWithoutIfMatchOnMissingIdWithRepresentationIs201() {
        String id = missingId();
        String name = unique("upsert");
        json("{\"new_name\":\"" + name + "\"}").header("Prefer", "return=representation")
                .patch(stockPath(id)).then()
                .statusCode(201)
                .header("Preference-Applied", "return=representation")
                .body("new_stockid", equalTo(id))
                .body("new_name", equalTo(name))
                .body("'@odata.etag'", startsWith("W/\""));
    }

    @Test
    void patchWithoutIfMatchOnExistingRowUpdatesItWith204() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":7}").patch(stockPath(s.id())).then().statusCode(204).body(emptyString());
        Rows.get(stockPath(s.id())).then().statusCode(200).body("new_availablecount", equalTo(7));
    }

    @Test
    void patchWithoutIfMatchOnExistingRowWithRepresentationIs200() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":8}").header("Prefer", "return=representation")
                .patch(stockPath(s.id())).then()
                .statusCode(200)
                .header("Preference-Applied", "return=representation")
                .body("new_stockid", equalTo(s.id()))
                .body("new_availablecount", equalTo(8))
                .body("'@odata.etag'", not(equalTo(s.etag())));
    }

    @Test
    void patchWithIfNoneMatchNullOnExistingRowIsAnOrdinaryUpdate() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":5}").header("If-None-Match", "null")
                .patch(stockPath(s.id())).then().statusCode(204);
        Rows.get(stockPath(s.id())).then().statusCode(200).body("new_availablecount", equalTo(5));
    }

    // ---------------------------------------------------------------- If-Match: *  (update only)

    @Test
    void patchWithIfMatchStarOnMissingIdIs404AndCreatesNothing() {
        String id = missingId();
        json("{\"new_name\":\"" + unique("nope") + "\"}").header("If-Match", "*")
                .patch(stockPath(id)).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"))
                .body("error.message", equalTo("Entity 'new_stock' With Id = " + id + " Does Not Exist"));
        Rows.get(stockPath(id)).then().statusCode(404);
    }

    @Test
    void patchWithIfMatchStarOnExistingRowIs204() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":3}").header("If-Match", "*")
                .patch(stockPath(s.id())).then().statusCode(204);
        Rows.get(stockPath(s.id())).then().statusCode(200).body("new_availablecount", equalTo(3));
    }

    // ---------------------------------------------------------------- If-None-Match: *  (create only)

    @Test
    void patchWithIfNoneMatchStarOnMissingIdCreatesTheRow() {
        String id = missingId();
        String name = unique("create-only");
        json("{\"new_name\":\"" + name + "\"}").header("If-None-Match", "*")
                .patch(stockPath(id)).then().statusCode(204);
        Rows.get(stockPath(id)).then().statusCode(200).body("new_name", equalTo(name));
    }

    @Test
    void patchWithIfNoneMatchStarOnExistingRowIs412AndLeavesRowUnchanged() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":55}").header("If-None-Match", "*")
                .patch(stockPath(s.id())).then()
                .statusCode(412)
                .body("error.code", equalTo("0x80040237"))
                .body("error.message", equalTo(DUPLICATE));
        Rows.get(stockPath(s.id())).then().statusCode(200)
                .body("new_availablecount", equalTo(10))
                .body("'@odata.etag'", equalTo(s.etag()));
    }

    // ---------------------------------------------------------------- If-Match: W/"n"

    @Test
    void patchWithStaleIfMatchIs412AndLeavesRowUnchanged() {
        Rows.Created s = Rows.stock();
        String current = touch(stockPath(s.id()));
        json("{\"new_availablecount\":1}").header("If-Match", s.etag())
                .patch(stockPath(s.id())).then()
                .statusCode(412)
                .header("OData-Version", "4.0")
                .body("error.code", equalTo("0x80060882"))
                .body("error.message", equalTo(VERSION_MISMATCH));
        Rows.get(stockPath(s.id())).then().statusCode(200)
                .body("new_availablecount", equalTo(99))
                .body("'@odata.etag'", equalTo(current));
    }

    @Test
    void deleteWithStaleIfMatchIs412AndKeepsTheRow() {
        Rows.Created s = Rows.stock();
        String current = touch(stockPath(s.id()));
        Api.given(dvemu).header("If-Match", s.etag()).delete(stockPath(s.id())).then()
                .statusCode(412)
                .body("error.code", equalTo("0x80060882"))
                .body("error.message", equalTo(VERSION_MISMATCH));
        Rows.get(stockPath(s.id())).then().statusCode(200).body("'@odata.etag'", equalTo(current));
    }

    @Test
    void patchWithCurrentIfMatchIs204() {
        Rows.Created s = Rows.stock();
        json("{\"new_availablecount\":4}").header("If-Match", s.etag())
                .patch(stockPath(s.id())).then().statusCode(204);
        Rows.get(stockPath(s.id())).then().statusCode(200).body("new_availablecount", equalTo(4));
    }

    @Test
    void deleteWithCurrentIfMatchIs204AndRemovesTheRow() {
        Rows.Created s = Rows.stock();
        Api.given(dvemu).header("If-Match", s.etag()).delete(stockPath(s.id())).then()
                .statusCode(204).body(emptyString());
        Rows.get(stockPath(s.id())).then().statusCode(404).body("error.code", equalTo("0x80040217"));
    }

    @Test
    void deleteOfMissingRowIs404() {
        String id = missingId();
        Api.given(dvemu).delete(stockPath(id)).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"))
                .body("error.message", equalTo("Entity 'new_stock' With Id = " + id + " Does Not Exist"));
    }

    // ---------------------------------------------------------------- versionnumber and ETag (§1)

    @Test
    void everyWriteChangesVersionnumberAndEtagIsWeakVersionnumber() {
        Rows.Created s = Rows.stock();
        assertEquals(etag(s.version()), s.etag());
        long previous = s.version();
        for (int i = 0; i < 3; i++) {
            JsonPath updated = json("{\"new_availablecount\":" + i + "}").header("Prefer", "return=representation")
                    .patch(stockPath(s.id())).then().statusCode(200).extract().jsonPath();
            long version = updated.getLong("versionnumber");
            assertNotEquals(previous, version, "write " + i + " kept the version");
            assertEquals(etag(version), updated.getString("'@odata.etag'"));
            previous = version;
        }
    }

    @Test
    void etagHeaderOnUpdateWithRepresentationEqualsBodyEtag() {
        Rows.Created s = Rows.stock();
        Response r = json("{\"new_availablecount\":2}").header("Prefer", "return=representation")
                .patch(stockPath(s.id()));
        r.then().statusCode(200);
        assertEquals(r.jsonPath().getString("'@odata.etag'"), r.header("ETag"));
    }

    @Test
    void versionNumbersComeFromOneSequenceAcrossTables() {
        Rows.Created stock = Rows.stock();
        Rows.Created account = Rows.account();
        assertTrue(account.version() > stock.version(),
                "account written after stock got " + account.version() + " <= " + stock.version());
        long stockAgain = json("{\"new_availablecount\":1}").header("Prefer", "return=representation")
                .patch(stockPath(stock.id())).then().statusCode(200).extract().jsonPath().getLong("versionnumber");
        assertTrue(stockAgain > account.version(),
                "stock written after account got " + stockAgain + " <= " + account.version());
    }
}
