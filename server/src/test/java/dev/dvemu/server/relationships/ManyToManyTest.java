package dev.dvemu.server.relationships;

import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Relationship;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in many-to-many relationship {@code new_booking_contact} (a booking's attendees): both navigation
 * properties, {@code $ref} association with Dataverse's duplicate error, {@code $expand}, changesets, deletes, and the
 * Associate and Disassociate messages' steps.
 */
class ManyToManyTest {
    /** What the Associate/Disassociate steps saw, by the booking's id. */
    private static final Map<UUID, List<String>> SEEN = new ConcurrentHashMap<>();
    /** Contacts the Associate step refuses to link. */
    private static final Set<UUID> REFUSED = ConcurrentHashMap.newKeySet();
    private static Dvemu dvemu;

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().steps(
                Step.on(Message.ASSOCIATE, Message.ANY_TABLE).stage(Stage.PRE_OPERATION).name("attendee check").plugin(c -> {
                    EntityReference target = c.targetReference();
                    @SuppressWarnings("unchecked")
                    List<EntityReference> related = (List<EntityReference>) c.inputParameters().get("RelatedEntities");
                    Relationship relationship = (Relationship) c.inputParameters().get("Relationship");
                    SEEN.computeIfAbsent(target.id(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add("Associate " + target.logicalName() + " " + relationship.schemaName() + " "
                                    + related.get(0).logicalName() + "(" + related.get(0).id() + ") inTransaction=" + c.isInTransaction());
                    if (REFUSED.contains(related.get(0).id())) {
                        throw new InvalidPluginExecutionException("this attendee is not allowed");
                    }
                }),
                Step.on(Message.DISASSOCIATE, Message.ANY_TABLE).stage(Stage.POST_OPERATION).name("attendee removed").plugin(c ->
                        SEEN.computeIfAbsent(c.targetReference().id(), k -> Collections.synchronizedList(new ArrayList<>()))
                                .add("Disassociate " + c.targetReference().logicalName())))
                .build());
    }

    @AfterAll
    static void stop() throws Exception {
        dvemu.close();
    }

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static String booking(String name) {
        return create("new_bookings", "{\"new_name\":\"" + name + "\"}");
    }

    private static String contact(String name) {
        return create("contacts", "{\"fullname\":\"" + name + "\"}");
    }

    private static Response associate(String booking, String contactUrl) {
        return Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"" + contactUrl + "\"}")
                .post("new_bookings(" + booking + ")/new_booking_contact/$ref");
    }

    private static List<String> attendees(String booking) {
        return Api.given(dvemu).queryParam("$select", "fullname").queryParam("$orderby", "fullname")
                .get("new_bookings(" + booking + ")/new_booking_contact")
                .then().statusCode(200).extract().jsonPath().getList("value.fullname");
    }

    private static List<String> bookingsOf(String contact) {
        return Api.given(dvemu).queryParam("$select", "new_name").queryParam("$orderby", "new_name")
                .get("contacts(" + contact + ")/new_booking_contact")
                .then().statusCode(200).extract().jsonPath().getList("value.new_name");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void metadataDeclaresTheNavigationPropertyOnBothTablesPartneredWithItself() {
        String csdl = Api.given(dvemu).get("$metadata").then().statusCode(200).extract().asString();
        assertTrue(csdl.contains("<NavigationProperty Name=\"new_booking_contact\" Type=\"Collection(mscrm.contact)\" "
                + "Partner=\"new_booking_contact\"/>"), csdl);
        assertTrue(csdl.contains("<NavigationProperty Name=\"new_booking_contact\" Type=\"Collection(mscrm.new_booking)\" "
                + "Partner=\"new_booking_contact\"/>"), csdl);
        assertTrue(csdl.contains("<NavigationPropertyBinding Path=\"new_booking_contact\" Target=\"contacts\"/>"), "$metadata lacks the navigation property");
        assertTrue(csdl.contains("<NavigationPropertyBinding Path=\"new_booking_contact\" Target=\"new_bookings\"/>"), "$metadata lacks the navigation property");
    }

    @Test
    void associatedRowsAreListedFromBothSides() {
        String name = unique("both");
        String booking = booking(name);
        String ann = contact("a " + name);
        String bob = contact("b " + name);
        associate(booking, "contacts(" + ann + ")").then().statusCode(204);
        associate(booking, dvemu.webApiUrl() + "contacts(" + bob + ")").then().statusCode(204);

        assertEquals(List.of("a " + name, "b " + name), attendees(booking));
        assertEquals(List.of(name), bookingsOf(ann));
        Api.given(dvemu).get("new_bookings(" + booking + ")/new_booking_contact/$count").then().statusCode(200).body(equalTo("2"));
        List<String> refs = Api.given(dvemu).get("new_bookings(" + booking + ")/new_booking_contact/$ref").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Collection($ref)"))
                .extract().jsonPath().getList("value.'@odata.id'");
        assertEquals(Set.of(dvemu.webApiUrl() + "contacts(" + ann + ")", dvemu.webApiUrl() + "contacts(" + bob + ")"), Set.copyOf(refs));
        // filtered and paged like any collection
        Api.given(dvemu).queryParam("$filter", "startswith(fullname,'b ')").get("new_bookings(" + booking + ")/new_booking_contact")
                .then().statusCode(200).body("value.contactid", equalTo(List.of(bob)));
        // associating from the other side links the same way
        String second = booking(unique("second"));
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"new_bookings(" + second + ")\"}")
                .post("contacts(" + ann + ")/new_booking_contact/$ref").then().statusCode(204);
        assertEquals(List.of("a " + name), attendees(second));
    }

    @Test
    void associatingALinkedPairAgainIsADuplicate() {
        String booking = booking(unique("dup"));
        String contact = contact(unique("dup"));
        associate(booking, "contacts(" + contact + ")").then().statusCode(204);
        associate(booking, "contacts(" + contact + ")").then().statusCode(412)
                .body("error.code", equalTo("0x80040237")).body("error.message", equalTo("Cannot insert duplicate key."));
        // from the other side it is the same link
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"new_bookings(" + booking + ")\"}")
                .post("contacts(" + contact + ")/new_booking_contact/$ref").then().statusCode(412);
        assertEquals(1, attendees(booking).size());
    }

    @Test
    void concurrentAssociationsOfOnePairLinkItOnce() throws Exception {
        String booking = booking(unique("race"));
        String contact = contact(unique("race"));
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    return associate(booking, "contacts(" + contact + ")").statusCode();
                }));
            }
            go.countDown();
            int linked = 0;
            for (Future<Integer> f : statuses) {
                int status = f.get();
                assertTrue(status == 204 || status == 412, "status " + status);
                linked += status == 204 ? 1 : 0;
            }
            assertEquals(1, linked);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, attendees(booking).size());
    }

    @Test
    void aLinkIsRemovedByKeyOrByDollarIdAndRemovingItAgainChangesNothing() {
        String name = unique("remove");
        String booking = booking(name);
        String ann = contact("a " + name);
        String bob = contact("b " + name);
        associate(booking, "contacts(" + ann + ")").then().statusCode(204);
        associate(booking, "contacts(" + bob + ")").then().statusCode(204);

        Api.given(dvemu).delete("new_bookings(" + booking + ")/new_booking_contact(" + ann + ")/$ref").then().statusCode(204);
        assertEquals(List.of("b " + name), attendees(booking));
        Api.given(dvemu).queryParam("$id", dvemu.webApiUrl() + "contacts(" + bob + ")")
                .delete("new_bookings(" + booking + ")/new_booking_contact/$ref").then().statusCode(204);
        assertEquals(List.of(), attendees(booking));
        Api.given(dvemu).delete("new_bookings(" + booking + ")/new_booking_contact(" + ann + ")/$ref").then().statusCode(204);
        // both rows stay
        Api.given(dvemu).get("contacts(" + ann + ")").then().statusCode(200);
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(200);
    }

    @Test
    void associatingAMissingRowOrARowOfAnotherTableIsRefused() {
        String booking = booking(unique("missing"));
        associate(booking, "contacts(" + UUID.randomUUID() + ")").then().statusCode(404).body("error.code", equalTo("0x80040217"));
        associate(booking, "accounts(" + UUID.randomUUID() + ")").then().statusCode(400);
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"contacts(" + UUID.randomUUID() + ")\"}")
                .post("new_bookings(" + UUID.randomUUID() + ")/new_booking_contact/$ref").then().statusCode(404);
        assertEquals(List.of(), attendees(booking));
    }

    @Test
    void expandingGivesEachRowItsOwnLinkedRowsInOneQuery() {
        String name = unique("expand");
        String first = booking("1 " + name);
        String second = booking("2 " + name);
        String ann = contact("a " + name);
        String bob = contact("b " + name);
        String cid = contact("c " + name);
        associate(first, "contacts(" + cid + ")").then().statusCode(204);
        associate(first, "contacts(" + ann + ")").then().statusCode(204);
        associate(first, "contacts(" + bob + ")").then().statusCode(204);
        associate(second, "contacts(" + bob + ")").then().statusCode(204);

        JsonPath json = Api.given(dvemu).queryParam("$select", "new_name").queryParam("$filter", "endswith(new_name,'" + name + "')")
                .queryParam("$orderby", "new_name")
                .queryParam("$expand", "new_booking_contact($select=fullname;$orderby=fullname desc;$top=2)")
                .get("new_bookings").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#new_bookings(new_name,new_booking_contact(fullname))"))
                .extract().jsonPath();
        assertEquals(List.of("c " + name, "b " + name), json.getList("value[0].new_booking_contact.fullname"));
        assertEquals(List.of("b " + name), json.getList("value[1].new_booking_contact.fullname"));
        assertFalse(json.getMap("value[0].new_booking_contact[0]").containsKey("_parentcustomerid_value"));
        assertTrue(json.getString("value[0].'new_booking_contact@odata.nextLink'")
                .endsWith("new_bookings(" + first + ")/new_booking_contact?$select=fullname&$orderby=fullname%20desc"),
                json.prettify());
        // from the other side, on one row
        Api.given(dvemu).queryParam("$expand", "new_booking_contact($select=new_name)").get("contacts(" + bob + ")")
                .then().statusCode(200).body("new_booking_contact.new_name.size()", equalTo(2));
    }

    @Test
    void aManyToManyExpansionIsNeitherNestedNorMixed() {
        Api.given(dvemu).queryParam("$expand", "new_booking_contact,new_StockId").get("new_bookings").then().statusCode(400)
                .body("error.code", equalTo("0x80060888")).body("error.message", containsString("together with other"));
        Api.given(dvemu).queryParam("$expand", "contact_customer_accounts($expand=new_booking_contact)").get("accounts")
                .then().statusCode(400).body("error.code", equalTo("0x80060888"));
        Api.given(dvemu).queryParam("$expand", "new_booking_contact($expand=parentcustomerid_account)").get("new_bookings")
                .then().statusCode(400).body("error.code", equalTo("0x80060888"));
    }

    @Test
    void deletingEitherRowRemovesItsLinks() {
        String name = unique("gone");
        String booking = booking(name);
        String ann = contact("a " + name);
        String bob = contact("b " + name);
        associate(booking, "contacts(" + ann + ")").then().statusCode(204);
        associate(booking, "contacts(" + bob + ")").then().statusCode(204);
        Api.given(dvemu).delete("contacts(" + ann + ")").then().statusCode(204);
        assertEquals(List.of("b " + name), attendees(booking));
        Api.given(dvemu).delete("new_bookings(" + booking + ")").then().statusCode(204);
        assertEquals(List.of(), bookingsOf(bob));
    }

    @Test
    void inAChangesetALinkMayNameARowCreatedEarlierAndAllOrNothingCommits() {
        String name = unique("batch");
        String booking = booking(name);
        BatchBody ok = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "contacts", "{\"fullname\":\"" + name + "\"}")
                .op("2", "POST", "new_bookings(" + booking + ")/new_booking_contact/$ref", "{\"@odata.id\":\"$1\"}")
                .endChangeset();
        Api.given(dvemu).contentType(ok.contentType()).body(ok.build().getBytes(StandardCharsets.UTF_8)).post("$batch")
                .then().statusCode(200);
        assertEquals(List.of(name), attendees(booking));

        String other = contact(unique("batch-other"));
        BatchBody failing = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_bookings(" + booking + ")/new_booking_contact/$ref", "{\"@odata.id\":\"contacts(" + other + ")\"}")
                .op("2", "POST", "new_bookings(" + booking + ")/new_booking_contact/$ref", "{\"@odata.id\":\"contacts(" + other + ")\"}")
                .endChangeset();
        String answer = Api.given(dvemu).contentType(failing.contentType()).body(failing.build().getBytes(StandardCharsets.UTF_8))
                .post("$batch").then().extract().asString();
        assertTrue(answer.contains("0x80040237"), answer);
        assertEquals(List.of(name), attendees(booking), "the failed changeset's first link is rolled back");
    }

    @Test
    void aSnapshotKeepsTheLinksAndARestoreBringsThemBack() {
        String name = unique("snapshot");
        String booking = booking(name);
        String contact = contact(name);
        associate(booking, "contacts(" + contact + ")").then().statusCode(204);
        String snapshot = "links-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin(dvemu).post("/_dvemu/snapshots/" + snapshot).then().statusCode(201);
        Api.given(dvemu).delete("new_bookings(" + booking + ")/new_booking_contact(" + contact + ")/$ref").then().statusCode(204);
        assertEquals(List.of(), attendees(booking));
        Api.admin(dvemu).post("/_dvemu/snapshots/" + snapshot + "/restore").then().statusCode(200);
        assertEquals(List.of(name), attendees(booking));
        Api.admin(dvemu).delete("/_dvemu/snapshots/" + snapshot).then().statusCode(204);
    }

    @Test
    void associateAndDisassociateRunTheirSteps() {
        String booking = booking(unique("steps"));
        String contact = contact(unique("steps"));
        associate(booking, "contacts(" + contact + ")").then().statusCode(204);
        Api.given(dvemu).delete("new_bookings(" + booking + ")/new_booking_contact(" + contact + ")/$ref").then().statusCode(204);
        assertEquals(List.of("Associate new_booking new_booking_contact contact(" + contact + ") inTransaction=true",
                "Disassociate new_booking"), SEEN.get(UUID.fromString(booking)));

        String refused = contact(unique("refused"));
        REFUSED.add(UUID.fromString(refused));
        associate(booking, "contacts(" + refused + ")").then().statusCode(400)
                .body("error.code", equalTo("0x80040265")).body("error.message", equalTo("this attendee is not allowed"));
        assertEquals(List.of(), attendees(booking));

        // a one-to-many association is an Update of the related row, not an Associate
        String account = create("accounts", "{\"name\":\"" + unique("steps") + "\"}");
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"contacts(" + contact + ")\"}")
                .post("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(204);
        assertFalse(SEEN.containsKey(UUID.fromString(account)));
    }
}
