package dev.dvemu.server.relationships;

import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What deleting a row does to the rows whose lookups point at it, as each relationship's
 * {@code CascadeConfiguration.Delete} says (metadata {@code cascadeDelete}): Cascade deletes them, RemoveLink clears
 * the lookup as an update of each (new version, new ETag), Restrict refuses the delete while they exist.
 * The built-in tables declare: account → contacts Cascade, contact → accounts (primary contact) RemoveLink,
 * stock → bookings Restrict, stock → slots Cascade, booking → slots RemoveLink.
 */
@DvemuTest(reset = Reset.NEVER)
class DeleteBehaviourTest {
    static Dvemu dvemu;

    private static final String RESTRICT_CODE = "0x80040227";
    private static final String RESTRICT_MESSAGE =
            "The object you tried to delete is associated with another object and cannot be deleted.";

    // ---------------------------------------------------------------- Cascade

    @Test
    void deletingAnAccountDeletesItsContacts() {
        String account = create("accounts", "{\"name\":\"cascade " + UUID.randomUUID() + "\"}");
        String first = create("contacts", contactOf(account));
        String second = create("contacts", contactOf(account));
        String unrelated = create("contacts", "{\"fullname\":\"unrelated\"}");

        Api.given(dvemu).delete("accounts(" + account + ")").then().statusCode(204);

        Api.given(dvemu).get("contacts(" + first + ")").then().statusCode(404).body("error.code", equalTo("0x80040217"));
        Api.given(dvemu).get("contacts(" + second + ")").then().statusCode(404);
        Api.given(dvemu).get("contacts(" + unrelated + ")").then().statusCode(200);
    }

    @Test
    void deletingAStockDeletesItsSlots() {
        String stock = stock();
        String slot = create("new_bookingslots", slotOf(stock, 1, null));
        String otherStock = stock();
        String otherSlot = create("new_bookingslots", slotOf(otherStock, 1, null));

        Api.given(dvemu).delete("new_stocks(" + stock + ")").then().statusCode(204);

        Api.given(dvemu).get("new_bookingslots(" + slot + ")").then().statusCode(404);
        Api.given(dvemu).get("new_bookingslots(" + otherSlot + ")").then().statusCode(200)
                .body("_new_stockid_value", equalTo(otherStock));
    }

    @Test
    void aRowRemovedByACascadeHasItsOwnRemoveLinkChildrenUpdated() {
        // account A → contact C (Cascade); account B's primary contact is C (RemoveLink): deleting A deletes C,
        // which clears B's lookup as an update of B
        String parent = create("accounts", "{\"name\":\"grandparent " + UUID.randomUUID() + "\"}");
        String contact = create("contacts", contactOf(parent));
        String other = create("accounts", "{\"name\":\"other\",\"primarycontactid@odata.bind\":\"/contacts(" + contact + ")\"}");
        String etagBefore = etag("accounts(" + other + ")");

        Api.given(dvemu).delete("accounts(" + parent + ")").then().statusCode(204);

        Api.given(dvemu).get("contacts(" + contact + ")").then().statusCode(404);
        JsonPath after = read("accounts(" + other + ")");
        assertNull(after.getString("_primarycontactid_value"));
        assertNotEquals(etagBefore, after.getString("'@odata.etag'"));
    }

    @Test
    void aStaleIfMatchOnACascadingParentDeletesNothing() {
        String account = create("accounts", "{\"name\":\"stale cascade " + UUID.randomUUID() + "\"}");
        String contact = create("contacts", contactOf(account));
        String stale = etag("accounts(" + account + ")");
        Api.given(dvemu).contentType("application/json").body("{\"telephone1\":\"555\"}")
                .patch("accounts(" + account + ")").then().statusCode(204);

        Api.given(dvemu).header("If-Match", stale).delete("accounts(" + account + ")")
                .then().statusCode(412).body("error.code", equalTo("0x80060882"));

        Api.given(dvemu).get("contacts(" + contact + ")").then().statusCode(200).body("_parentcustomerid_value", equalTo(account));
        Api.given(dvemu).header("If-Match", etag("accounts(" + account + ")")).delete("accounts(" + account + ")")
                .then().statusCode(204);
        Api.given(dvemu).get("contacts(" + contact + ")").then().statusCode(404);
    }

    // ---------------------------------------------------------------- RemoveLink

    @Test
    void deletingABookingClearsItsSlotsLookupAsAnUpdate() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(null));
        String slot = create("new_bookingslots", slotOf(stock, 1, booking));
        JsonPath before = read("new_bookingslots(" + slot + ")");
        assertEquals(booking, before.getString("_new_bookingid_value"));
        String etagBefore = before.getString("'@odata.etag'");

        Api.given(dvemu).delete("new_bookings(" + booking + ")").then().statusCode(204);

        JsonPath after = read("new_bookingslots(" + slot + ")");
        assertNull(after.getString("_new_bookingid_value"));
        assertEquals(stock, after.getString("_new_stockid_value"), "only the lookup to the deleted row is cleared");
        assertNotEquals(etagBefore, after.getString("'@odata.etag'"), "clearing the lookup is an update of the slot");
        Api.given(dvemu).contentType("application/json").header("If-Match", etagBefore)
                .body("{\"new_name\":\"stale\"}").patch("new_bookingslots(" + slot + ")")
                .then().statusCode(412).body("error.code", equalTo("0x80060882"));
        Api.given(dvemu).contentType("application/json").header("If-Match", after.getString("'@odata.etag'"))
                .body("{\"new_name\":\"fresh\"}").patch("new_bookingslots(" + slot + ")").then().statusCode(204);
    }

    @Test
    void aStaleIfMatchOnTheParentLeavesItsChildrenUntouched() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(null));
        String slot = create("new_bookingslots", slotOf(stock, 1, booking));
        String bookingEtag = etag("new_bookings(" + booking + ")");
        String slotEtag = etag("new_bookingslots(" + slot + ")");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"changed\"}")
                .patch("new_bookings(" + booking + ")").then().statusCode(204);

        Api.given(dvemu).header("If-Match", bookingEtag).delete("new_bookings(" + booking + ")")
                .then().statusCode(412).body("error.code", equalTo("0x80060882"));

        JsonPath kept = read("new_bookingslots(" + slot + ")");
        assertEquals(booking, kept.getString("_new_bookingid_value"));
        assertEquals(slotEtag, kept.getString("'@odata.etag'"));
        Api.given(dvemu).header("If-Match", etag("new_bookings(" + booking + ")")).delete("new_bookings(" + booking + ")")
                .then().statusCode(204);
        assertNull(read("new_bookingslots(" + slot + ")").getString("_new_bookingid_value"));
    }

    @Test
    void aRemoveLinkInAFailedChangesetIsRolledBack() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(null));
        String slot = create("new_bookingslots", slotOf(stock, 1, booking));
        String slotEtag = etag("new_bookingslots(" + slot + ")");
        String body = BatchBody.crlf().beginChangeset()
                .op("1", "DELETE", "new_bookings(" + booking + ")", null)
                .op("2", "DELETE", "new_bookings(" + UUID.randomUUID() + ")", null)
                .endChangeset().build();

        Response answer = send(body);

        assertEquals(400, answer.statusCode(), answer.asString());
        assertEquals(List.of(404), BatchBody.statuses(answer.asString()));
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(200);
        JsonPath kept = read("new_bookingslots(" + slot + ")");
        assertEquals(booking, kept.getString("_new_bookingid_value"));
        assertEquals(slotEtag, kept.getString("'@odata.etag'"));
    }

    @Test
    void aSlotCreatedWhileItsBookingIsDeletedIsRefusedOrUpdatedByTheDelete() throws Exception {
        for (int i = 0; i < 10; i++) {
            String stock = stock();
            String booking = create("new_bookings", bookingOf(null));
            CompletableFuture<Response> insert = CompletableFuture.supplyAsync(() -> Api.given(dvemu)
                    .contentType("application/json").header("Prefer", "return=representation")
                    .body(slotOf(stock, 1, booking)).post("new_bookingslots"));
            CompletableFuture<Response> delete = CompletableFuture.supplyAsync(() -> Api.given(dvemu)
                    .delete("new_bookings(" + booking + ")"));
            Response created = insert.get();
            assertEquals(204, delete.get().statusCode(), delete.get().asString());
            if (created.statusCode() == 201) {
                // the slot was there when the booking went: its lookup was cleared by an update of it
                JsonPath now = read("new_bookingslots(" + created.jsonPath().getString("new_bookingslotid") + ")");
                assertNull(now.getString("_new_bookingid_value"));
                assertNotEquals(created.jsonPath().getString("'@odata.etag'"), now.getString("'@odata.etag'"));
            } else {
                assertEquals(404, created.statusCode(), created.asString());
                assertEquals("0x80040217", created.jsonPath().getString("error.code"));
            }
        }
    }

    // ---------------------------------------------------------------- Restrict

    @Test
    void aStockWithBookingsCannotBeDeletedAndNothingIsDeleted() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(stock));
        String slot = create("new_bookingslots", slotOf(stock, 1, booking));
        String stockEtag = etag("new_stocks(" + stock + ")");

        Api.given(dvemu).delete("new_stocks(" + stock + ")").then().statusCode(405)
                .body("error.code", equalTo(RESTRICT_CODE)).body("error.message", equalTo(RESTRICT_MESSAGE));

        assertEquals(stockEtag, etag("new_stocks(" + stock + ")"));
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(200).body("_new_stockid_value", equalTo(stock));
        Api.given(dvemu).get("new_bookingslots(" + slot + ")").then().statusCode(200).body("_new_stockid_value", equalTo(stock));
    }

    @Test
    void aStockIsDeletedOnceItsBookingsAreGone() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(stock));
        Api.given(dvemu).delete("new_stocks(" + stock + ")").then().statusCode(405);
        Api.given(dvemu).delete("new_bookings(" + booking + ")").then().statusCode(204);
        Api.given(dvemu).header("If-Match", etag("new_stocks(" + stock + ")")).delete("new_stocks(" + stock + ")")
                .then().statusCode(204);
    }

    @Test
    void aRestrictedDeleteInAChangesetRollsBackTheOperationsBeforeIt() {
        String stock = stock();
        String booking = create("new_bookings", bookingOf(stock));
        String other = create("new_bookings", bookingOf(null));
        String body = BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + stock + ")", "{\"new_availablecount\":99}")
                .op("2", "DELETE", "new_bookings(" + other + ")", null)
                .op("3", "DELETE", "new_stocks(" + stock + ")", null)
                .endChangeset().build();

        Response answer = send(body);

        String text = answer.asString();
        assertEquals(400, answer.statusCode(), text);
        assertEquals(List.of(405), BatchBody.statuses(text));
        assertTrue(text.contains("\"code\":\"" + RESTRICT_CODE + "\""), text);
        Api.given(dvemu).get("new_stocks(" + stock + ")").then().statusCode(200).body("new_availablecount", equalTo(10));
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(200);
        Api.given(dvemu).get("new_bookings(" + other + ")").then().statusCode(200);
    }

    @Test
    void aBookingCreatedWhileItsStockIsDeletedEitherStopsTheDeleteOrIsRefused() throws Exception {
        for (int i = 0; i < 10; i++) {
            String stock = stock();
            CompletableFuture<Response> insert = CompletableFuture.supplyAsync(() -> Api.given(dvemu)
                    .contentType("application/json").body(bookingOf(stock)).post("new_bookings"));
            CompletableFuture<Response> delete = CompletableFuture.supplyAsync(() -> Api.given(dvemu)
                    .delete("new_stocks(" + stock + ")"));
            Response created = insert.get();
            Response deleted = delete.get();
            int stocksLeft = Api.given(dvemu).get("new_stocks(" + stock + ")").statusCode() == 200 ? 1 : 0;
            if (deleted.statusCode() == 204) {
                // the delete came first: the booking could not point at a stock that is gone
                assertEquals(404, created.statusCode(), created.asString());
                assertEquals(0, stocksLeft);
            } else {
                assertEquals(405, deleted.statusCode(), deleted.asString());
                assertEquals(RESTRICT_CODE, deleted.jsonPath().getString("error.code"));
                assertEquals(204, created.statusCode(), created.asString());
                assertEquals(1, stocksLeft);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static String stock() {
        return create("new_stocks", "{\"new_name\":\"delete " + UUID.randomUUID() + "\",\"new_availablecount\":10}");
    }

    private static String contactOf(String account) {
        return "{\"fullname\":\"child " + UUID.randomUUID() + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}";
    }

    private static String bookingOf(String stock) {
        return "{\"new_name\":\"booking " + UUID.randomUUID() + "\""
                + (stock == null ? "" : ",\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\"") + "}";
    }

    private static String slotOf(String stock, int number, String booking) {
        return "{\"new_name\":\"slot\",\"new_slotnumber\":" + number
                + ",\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\""
                + (booking == null ? "" : ",\"new_BookingId@odata.bind\":\"/new_bookings(" + booking + ")\"") + "}";
    }

    private static JsonPath read(String path) {
        return Api.given(dvemu).get(path).then().statusCode(200).extract().jsonPath();
    }

    private static String etag(String path) {
        return read(path).getString("'@odata.etag'");
    }

    private static Response send(String body) {
        String boundary = body.substring(2, body.indexOf("\r\n"));
        return Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
    }
}
