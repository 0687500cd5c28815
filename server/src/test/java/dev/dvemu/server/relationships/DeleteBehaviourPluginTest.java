package dev.dvemu.server.relationships;

import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Delete behaviours with plug-in steps: the RemoveLink updates are part of the Delete's transaction (a step that
 * refuses after them undoes them), a plug-in's own delete clears links as a request's does, and rows a Cascade
 * deletes are the database's doing, so their own Delete steps do not run (a documented difference).
 */
class DeleteBehaviourPluginTest {
    /** The slots whose Delete step ran. */
    private static final Set<UUID> SLOT_DELETES_SEEN = ConcurrentHashMap.newKeySet();
    private static Dvemu dvemu;

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().steps(
                Step.on(Message.DELETE, "new_booking").stage(Stage.POST_OPERATION).name("booking delete")
                        .preImage("pre", "new_name").plugin(c -> {
                            if (c.preEntityImages().get("pre").get("new_name").toString().startsWith("refuse")) {
                                throw new InvalidPluginExecutionException("bookings named refuse stay");
                            }
                        }),
                Step.on(Message.UPDATE, "new_stock").stage(Stage.POST_OPERATION).name("stock closes its booking")
                        .plugin(c -> {
                            Object name = c.target().get("new_name");
                            if (name != null && name.toString().startsWith("close ")) {
                                c.service().delete("new_booking", UUID.fromString(name.toString().substring("close ".length())));
                            }
                        }),
                Step.on(Message.DELETE, "new_bookingslot").stage(Stage.PRE_OPERATION).name("slot delete").plugin(c ->
                        SLOT_DELETES_SEEN.add(((EntityReference) c.inputParameters().get("Target")).id()))
        ).build());
    }

    @AfterAll
    static void stop() throws Exception {
        dvemu.close();
    }

    @Test
    void aStepThatRefusesTheDeleteUndoesTheClearedLinks() {
        String stock = create("new_stocks", "{\"new_name\":\"s\"}");
        String booking = create("new_bookings", "{\"new_name\":\"refuse " + UUID.randomUUID() + "\"}");
        String slot = create("new_bookingslots", slot(stock, booking));
        String slotEtag = etag("new_bookingslots(" + slot + ")");

        Api.given(dvemu).delete("new_bookings(" + booking + ")").then().statusCode(400)
                .body("error.message", equalTo("bookings named refuse stay"));

        JsonPath kept = read("new_bookingslots(" + slot + ")");
        assertEquals(booking, kept.getString("_new_bookingid_value"));
        assertEquals(slotEtag, kept.getString("'@odata.etag'"));
    }

    @Test
    void aPluginsOwnDeleteClearsLinksAsUpdates() {
        String stock = create("new_stocks", "{\"new_name\":\"s\"}");
        String booking = create("new_bookings", "{\"new_name\":\"closed " + UUID.randomUUID() + "\"}");
        String slot = create("new_bookingslots", slot(stock, booking));
        String slotEtag = etag("new_bookingslots(" + slot + ")");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"close " + booking + "\"}")
                .patch("new_stocks(" + stock + ")").then().statusCode(204);

        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(404);
        JsonPath after = read("new_bookingslots(" + slot + ")");
        assertNull(after.getString("_new_bookingid_value"));
        assertNotEquals(slotEtag, after.getString("'@odata.etag'"));
    }

    @Test
    void rowsACascadeDeletesDoNotRunTheirOwnDeleteSteps() {
        String stock = create("new_stocks", "{\"new_name\":\"s\"}");
        String slot = create("new_bookingslots", slot(stock, null));

        Api.given(dvemu).delete("new_stocks(" + stock + ")").then().statusCode(204);

        Api.given(dvemu).get("new_bookingslots(" + slot + ")").then().statusCode(404);
        assertFalse(SLOT_DELETES_SEEN.contains(UUID.fromString(slot)));
    }

    private static String slot(String stock, String booking) {
        return "{\"new_name\":\"slot\",\"new_slotnumber\":1,\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\""
                + (booking == null ? "" : ",\"new_BookingId@odata.bind\":\"/new_bookings(" + booking + ")\"") + "}";
    }

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static JsonPath read(String path) {
        return Api.given(dvemu).get(path).then().statusCode(200).extract().jsonPath();
    }

    private static String etag(String path) {
        return read(path).getString("'@odata.etag'");
    }
}
