package dev.dvemu.server.plugins;

import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Relationship;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plug-in relates rows through its {@code OrganizationService}: {@code associate} and {@code disassociate} along a
 * many-to-many relationship (the intersect table) and a one-to-many one (the related row's lookup), in the
 * operation's transaction, running the Associate steps one level deeper. The steps read their instructions from
 * the row's name: {@code attend:<contact>,<contact>} links contacts to a new booking, {@code drop:<contact>} on an
 * update unlinks one, {@code adopt:<booking>} makes a new stock the booking's stock.
 */
class PluginAssociateTest {
    private static final List<String> ASSOCIATE_STEPS = Collections.synchronizedList(new ArrayList<>());
    private static Dvemu dvemu;

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().steps(
                Step.on(Message.CREATE, "new_booking").stage(Stage.POST_OPERATION).name("attendees").plugin(c -> {
                    String name = c.target().get("new_name", String.class).orElse("");
                    if (name.startsWith("attend:")) {
                        boolean wrong = name.startsWith("attend:wrong:");
                        c.service().associate("new_booking", c.primaryEntityId().orElseThrow(),
                                new Relationship(wrong ? "no_such_relationship" : "new_booking_contact"),
                                references("contact", name.substring(wrong ? "attend:wrong:".length() : "attend:".length())));
                    }
                }),
                Step.on(Message.UPDATE, "new_booking").stage(Stage.POST_OPERATION).name("attendee leaves").plugin(c -> {
                    String name = c.target().get("new_name", String.class).orElse("");
                    if (name.startsWith("drop:")) {
                        c.service().disassociate("new_booking", c.primaryEntityId().orElseThrow(),
                                new Relationship("new_booking_contact"), references("contact", name.substring(5)));
                    }
                }),
                Step.on(Message.CREATE, "new_stock").stage(Stage.POST_OPERATION).name("adopt a booking").plugin(c -> {
                    String name = c.target().get("new_name", String.class).orElse("");
                    if (name.startsWith("adopt:")) {
                        c.service().associate("new_stock", c.primaryEntityId().orElseThrow(),
                                new Relationship("new_stock_bookings"), references("new_booking", name.substring(6)));
                    }
                }),
                Step.on(Message.ASSOCIATE, Message.ANY_TABLE).stage(Stage.PRE_OPERATION).name("seen").plugin(c ->
                        ASSOCIATE_STEPS.add(((Relationship) c.inputParameters().get("Relationship")).schemaName()
                                + " depth " + c.depth())))
                .build());
    }

    @AfterAll
    static void stop() throws Exception {
        dvemu.close();
    }

    /** {@code attend:<a>,<b>}: the ids after the prefix, as references to rows of {@code table}. */
    private static List<EntityReference> references(String table, String ids) {
        return Arrays.stream(ids.split(",")).map(id -> new EntityReference(table, UUID.fromString(id))).toList();
    }

    private static String contact(String name) {
        return Api.create(dvemu, "contacts", "{\"fullname\":\"" + name + "\"}");
    }

    private static List<String> attendees(String booking) {
        return Api.given(dvemu).get("new_bookings(" + booking + ")/new_booking_contact?$select=contactid").then()
                .statusCode(200).extract().jsonPath().getList("value.contactid");
    }

    @Test
    void aPluginLinksAndUnlinksManyToManyRowsInTheOperationsTransaction() {
        String ann = contact("Ann");
        String bob = contact("Bob");
        String booking = Api.create(dvemu, "new_bookings", "{\"new_name\":\"attend:" + ann + "," + bob + "\"}");
        Api.given(dvemu).get("new_bookings(" + booking + ")/new_booking_contact?$select=contactid").then().statusCode(200)
                .body("value.contactid", containsInAnyOrder(ann, bob));
        // from the other table too: the link is one row of the intersect table
        Api.given(dvemu).get("contacts(" + ann + ")/new_booking_contact?$select=new_bookingid").then().statusCode(200)
                .body("value.new_bookingid", containsInAnyOrder(booking));
        assertTrue(ASSOCIATE_STEPS.contains("new_booking_contact depth 2"), ASSOCIATE_STEPS.toString());

        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"drop:" + ann + "\"}")
                .patch("new_bookings(" + booking + ")").then().statusCode(204);
        Api.given(dvemu).get("new_bookings(" + booking + ")/new_booking_contact?$select=contactid").then().statusCode(200)
                .body("value.contactid", containsInAnyOrder(bob));
        // removing a link that is not there changes nothing
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"drop:" + ann + "\"}")
                .patch("new_bookings(" + booking + ")").then().statusCode(204);
        assertTrue(attendees(booking).equals(List.of(bob)), attendees(booking).toString());
    }

    @Test
    void aPairLinkedTwiceFailsTheWholeOperation() {
        String cid = contact("Cid");
        String name = "attend:" + cid + "," + cid;
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(412).body("error.code", equalTo("0x80040237"));
        // the booking's create rolled back with the first link
        Api.given(dvemu).queryParam("$filter", "new_name eq '" + name + "'").get("new_bookings").then().statusCode(200)
                .body("value", empty());
        Api.given(dvemu).get("contacts(" + cid + ")/new_booking_contact").then().statusCode(200).body("value", hasSize(0));
    }

    @Test
    void aPluginMakesAOneToManyRelationByTheRelatedRowsLookup() {
        String booking = Api.create(dvemu, "new_bookings", "{\"new_name\":\"orphan\"}");
        String stock = Api.create(dvemu, "new_stocks", "{\"new_name\":\"adopt:" + booking + "\"}");
        Api.given(dvemu).get("new_bookings(" + booking + ")?$select=_new_stockid_value").then().statusCode(200)
                .body("_new_stockid_value", equalTo(stock));
        assertTrue(ASSOCIATE_STEPS.stream().noneMatch(s -> s.startsWith("new_stock_bookings")),
                "a one-to-many relation is an Update of the related row, not an Associate: " + ASSOCIATE_STEPS);
    }

    @Test
    void anUnknownRelationshipIsRefusedAndNothingIsWritten() {
        String dee = contact("Dee");
        String name = "attend:wrong:" + dee;
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(400).body("error.message", containsString("no_such_relationship"));
        Api.given(dvemu).queryParam("$filter", "new_name eq '" + name + "'").get("new_bookings").then().statusCode(200)
                .body("value", empty());
    }
}
