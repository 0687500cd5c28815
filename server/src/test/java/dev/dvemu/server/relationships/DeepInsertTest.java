package dev.dvemu.server.relationships;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deep insert (dataverse-web-api.md §3, "Create related table rows in one operation"): rows nested under navigation
 * properties of a POST body are created with it, in one transaction, each through the plug-in pipeline. Every test
 * names its rows with a tag of its own, so it finds exactly what it wrote.
 */
class DeepInsertTest {
    /** What the steps saw: "Create contact <name>", "Update contact <id>", ... */
    private static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());
    private static Dvemu dvemu;

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().steps(
                Step.on(Message.CREATE, "contact").stage(Stage.POST_OPERATION).name("contact created")
                        .plugin(c -> SEEN.add("Create contact " + c.target().get("lastname"))),
                Step.on(Message.UPDATE, "contact").stage(Stage.POST_OPERATION).name("contact updated")
                        .plugin(c -> SEEN.add("Update contact " + c.primaryEntityId().orElseThrow())),
                Step.on(Message.CREATE, "account").stage(Stage.POST_OPERATION).name("account created")
                        .plugin(c -> SEEN.add("Create account " + c.target().get("name"))),
                Step.on(Message.CREATE, "new_bookingslot").stage(Stage.PRE_OPERATION).name("slot refusal").plugin(c -> {
                    if (c.target().get("new_name", String.class).orElse("").contains("refuse")) {
                        throw new InvalidPluginExecutionException("slot refused by a plug-in");
                    }
                }),
                Step.on(Message.CREATE, "new_booking").stage(Stage.POST_OPERATION).name("booked count").plugin(c -> {
                    // a booking named "counted…" adds one to its stock's booked count
                    if (c.target().get("new_name", String.class).orElse("").startsWith("counted")
                            && c.target().get("new_stockid") instanceof EntityReference stock) {
                        Entity current = c.service().retrieve("new_stock", stock.id(), "new_bookedcount");
                        int booked = current.get("new_bookedcount", Integer.class).orElse(0);
                        c.service().update(new Entity("new_stock", stock.id()).set("new_bookedcount", booked + 1));
                    }
                })).build());
    }

    @AfterAll
    static void stop() throws Exception {
        dvemu.close();
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response post(String set, String json) {
        return Api.given(dvemu).contentType("application/json").body(json).post(set);
    }

    private static String idOf(Response created) {
        String entityId = created.header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    private static String create(String set, String json) {
        return idOf(post(set, json).then().statusCode(204).extract().response());
    }

    private static List<String> names(String set, String column, String tag) {
        return Api.given(dvemu).queryParam("$select", column).queryParam("$filter", "contains(" + column + ",'" + tag + "')")
                .queryParam("$orderby", column).get(set).then().statusCode(200).extract().jsonPath().getList("value." + column);
    }

    private static String parentOf(String contact) {
        return Api.given(dvemu).queryParam("$select", "_parentcustomerid_value").get("contacts(" + contact + ")")
                .then().statusCode(200).extract().jsonPath().getString("_parentcustomerid_value");
    }

    private static void assertNothingWritten(String tag) {
        assertEquals(List.of(), names("accounts", "name", tag));
        assertEquals(List.of(), names("contacts", "lastname", tag));
        assertEquals(List.of(), names("new_stocks", "new_name", tag));
        assertEquals(List.of(), names("new_bookings", "new_name", tag));
        assertEquals(List.of(), names("new_bookingslots", "new_name", tag));
    }

    private static long seen(String entry) {
        synchronized (SEEN) {
            return SEEN.stream().filter(entry::equals).count();
        }
    }

    // ---------- many-to-many ----------

    @Test
    void rowsNestedOrBoundUnderAManyToManyNavigationAreCreatedAndLinked() {
        String tag = tag();
        String existing = create("contacts", "{\"lastname\":\"existing " + tag + "\"}");
        String booking = create("new_bookings", "{\"new_name\":\"attended " + tag + "\","
                + "\"new_booking_contact\":[{\"lastname\":\"ann " + tag + "\"},{\"lastname\":\"bob " + tag + "\"}],"
                + "\"new_booking_contact@odata.bind\":[\"/contacts(" + existing + ")\"]}");
        List<String> attendees = Api.given(dvemu).queryParam("$select", "lastname").queryParam("$orderby", "lastname")
                .get("new_bookings(" + booking + ")/new_booking_contact").then().statusCode(200).extract().jsonPath()
                .getList("value.lastname");
        assertEquals(List.of("ann " + tag, "bob " + tag, "existing " + tag), attendees);
    }

    @Test
    void aManyToManyDeepInsertThatFailsLeavesNeitherRowsNorLinks() {
        String tag = tag();
        String existing = create("contacts", "{\"lastname\":\"kept " + tag + "\"}");
        post("new_bookings", "{\"new_name\":\"failed " + tag + "\","
                + "\"new_booking_contact@odata.bind\":[\"/contacts(" + existing + ")\"],"
                + "\"new_booking_contact\":[{\"lastname\":\"gone " + tag + "\"},{\"lastname\":\"gone too " + tag + "\","
                + "\"parentcustomerid_account@odata.bind\":\"/accounts(" + UUID.randomUUID() + ")\"}]}")
                .then().statusCode(404);
        assertEquals(List.of(), names("new_bookings", "new_name", tag));
        assertEquals(List.of("kept " + tag), names("contacts", "lastname", tag));
        Api.given(dvemu).get("contacts(" + existing + ")/new_booking_contact").then().statusCode(200)
                .body("value.size()", org.hamcrest.Matchers.equalTo(0));
    }

    // ---------- the documented shape and the answer ----------

    @Test
    void theDocumentedShapeCreatesTheRowItsLookupTargetAndItsRelatedRowsAnd204sWithTheTopRowOnly() {
        String tag = tag();
        Response answer = post("accounts", "{\"name\":\"Sample Account " + tag + "\","
                + "\"primarycontactid\":{\"firstname\":\"John\",\"lastname\":\"Smith " + tag + "\"},"
                + "\"contact_customer_accounts\":[{\"firstname\":\"Ann\",\"lastname\":\"Related " + tag + "\"},"
                + "{\"firstname\":\"Bob\",\"lastname\":\"Other " + tag + "\"}]}");
        answer.then().statusCode(204).header("OData-EntityId", containsString("/accounts(")).body(emptyOrNullString());
        String account = idOf(answer);

        JsonPath row = Api.given(dvemu).queryParam("$select", "name")
                .queryParam("$expand", "primarycontactid($select=firstname,lastname),contact_customer_accounts($select=lastname;$orderby=lastname)")
                .get("accounts(" + account + ")").then().statusCode(200).extract().jsonPath();
        assertEquals("Sample Account " + tag, row.getString("name"));
        assertEquals("John", row.getString("primarycontactid.firstname"));
        assertEquals("Smith " + tag, row.getString("primarycontactid.lastname"));
        assertEquals(List.of("Other " + tag, "Related " + tag), row.getList("contact_customer_accounts.lastname"));
        assertNull(parentOf(row.getString("primarycontactid.contactid")), "a row nested under a lookup is only its target");
    }

    @Test
    void withReturnRepresentationTheTopRowIs201WithItsSelectAndExpand() {
        String tag = tag();
        JsonPath body = Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .queryParam("$select", "name")
                .queryParam("$expand", "primarycontactid($select=lastname),contact_customer_accounts($select=lastname)")
                .body("{\"name\":\"rep " + tag + "\",\"primarycontactid\":{\"lastname\":\"primary " + tag + "\"},"
                        + "\"contact_customer_accounts\":[{\"lastname\":\"child " + tag + "\"}]}")
                .post("accounts").then().statusCode(201)
                .header("Preference-Applied", "return=representation")
                .header("OData-EntityId", nullValue())
                .body("'@odata.context'", endsWith("$metadata#accounts(name,primarycontactid(lastname),contact_customer_accounts(lastname,_parentcustomerid_value))/$entity"))
                .extract().jsonPath();
        assertEquals("rep " + tag, body.getString("name"));
        assertEquals("primary " + tag, body.getString("primarycontactid.lastname"));
        assertEquals(List.of("child " + tag), body.getList("contact_customer_accounts.lastname"));
        assertEquals(body.getString("accountid"), body.getString("contact_customer_accounts[0]._parentcustomerid_value"));
    }

    @Test
    void theRepresentationShowsWhatPlugInsOfNestedCreatesChangedOnTheTopRow() {
        String tag = tag();
        JsonPath body = Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .body("{\"new_name\":\"counted stock " + tag + "\",\"new_bookedcount\":0,\"new_stock_bookings\":["
                        + "{\"new_name\":\"counted one " + tag + "\"},{\"new_name\":\"counted two " + tag + "\"}]}")
                .post("new_stocks").then().statusCode(201).extract().jsonPath();
        assertEquals(2, body.getInt("new_bookedcount"));
        String id = body.getString("new_stockid");
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200)
                .header("ETag", equalTo(body.getString("'@odata.etag'")));
    }

    // ---------- several levels, binds mixed in ----------

    @Test
    void rowsNestThreeLevelsDeepWithBindsAtAnyLevel() {
        String tag = tag();
        String elsewhere = create("new_stocks", "{\"new_name\":\"elsewhere " + tag + "\"}");
        String stock = create("new_stocks", "{\"new_name\":\"stock " + tag + "\",\"new_stock_bookings\":[{"
                + "\"new_name\":\"booking " + tag + "\",\"new_quantity\":3,"
                + "\"new_booking_bookingslots\":[{\"new_name\":\"slot a " + tag + "\",\"new_slotnumber\":1,"
                + "\"new_StockId@odata.bind\":\"/new_stocks(" + elsewhere + ")\"},"
                + "{\"new_name\":\"slot b " + tag + "\",\"new_slotnumber\":2},"
                + "{\"new_name\":\"slot c " + tag + "\",\"new_slotnumber\":3,\"new_StockId\":{\"new_name\":\"fresh " + tag + "\"}}]}]}");
        JsonPath bookings = Api.given(dvemu).queryParam("$select", "new_name,new_quantity,_new_stockid_value")
                .queryParam("$expand", "new_booking_bookingslots($select=new_name,_new_stockid_value;$orderby=new_name)")
                .get("new_stocks(" + stock + ")/new_stock_bookings").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("booking " + tag), bookings.getList("value.new_name"));
        assertEquals(3, bookings.getInt("value[0].new_quantity"));
        assertEquals(List.of("slot a " + tag, "slot b " + tag, "slot c " + tag), bookings.getList("value[0].new_booking_bookingslots.new_name"));
        assertEquals(elsewhere, bookings.getString("value[0].new_booking_bookingslots[0]._new_stockid_value"), "the bind of a row three levels deep");
        assertNull(bookings.get("value[0].new_booking_bookingslots[1]._new_stockid_value"));
        String fresh = bookings.getString("value[0].new_booking_bookingslots[2]._new_stockid_value");
        Api.given(dvemu).get("new_stocks(" + fresh + ")").then().statusCode(200).body("new_name", equalTo("fresh " + tag));
    }

    @Test
    void aRowNestedUnderALookupMayItselfHaveRelatedRows() {
        String tag = tag();
        String booking = create("new_bookings", "{\"new_name\":\"booking " + tag + "\",\"new_StockId\":{"
                + "\"new_name\":\"stock " + tag + "\",\"new_stock_bookingslots\":[{\"new_name\":\"slot " + tag + "\",\"new_slotnumber\":4}]}}");
        JsonPath row = Api.given(dvemu).queryParam("$expand", "new_StockId($select=new_name)")
                .get("new_bookings(" + booking + ")").then().statusCode(200).extract().jsonPath();
        assertEquals("stock " + tag, row.getString("new_StockId.new_name"));
        String stock = row.getString("_new_stockid_value");
        Api.given(dvemu).get("new_stocks(" + stock + ")/new_stock_bookingslots").then().statusCode(200)
                .body("value.new_name", equalTo(List.of("slot " + tag)));
    }

    @Test
    void bindsAndCollectionBindsMixWithNestedRows() {
        String tag = tag();
        String primary = create("contacts", "{\"lastname\":\"primary " + tag + "\"}");
        String first = create("contacts", "{\"lastname\":\"bound one " + tag + "\"}");
        String second = create("contacts", "{\"lastname\":\"bound two " + tag + "\"}");
        String account = create("accounts", "{\"name\":\"binds " + tag + "\","
                + "\"primarycontactid@odata.bind\":\"/contacts(" + primary + ")\","
                + "\"contact_customer_accounts@odata.bind\":[\"/contacts(" + first + ")\",\"contacts(" + second + ")\"],"
                + "\"contact_customer_accounts\":[{\"lastname\":\"nested " + tag + "\"}]}");
        assertEquals(account, parentOf(first));
        assertEquals(account, parentOf(second));
        assertNull(parentOf(primary));
        JsonPath row = Api.given(dvemu).queryParam("$select", "_primarycontactid_value")
                .queryParam("$expand", "contact_customer_accounts($select=lastname;$orderby=lastname)")
                .get("accounts(" + account + ")").then().statusCode(200).extract().jsonPath();
        assertEquals(primary, row.getString("_primarycontactid_value"));
        assertEquals(List.of("bound one " + tag, "bound two " + tag, "nested " + tag), row.getList("contact_customer_accounts.lastname"));
    }

    @Test
    void aCollectionBindByAlternateKeyRelatesThatRow() {
        String tag = tag();
        String stock = create("new_stocks", "{\"new_name\":\"keyed " + tag + "\"}");
        String slot = create("new_bookingslots", "{\"new_name\":\"slot " + tag + "\",\"new_slotnumber\":9,"
                + "\"new_StockId@odata.bind\":\"new_stocks(" + stock + ")\"}");
        String booking = create("new_bookings", "{\"new_name\":\"booking " + tag + "\",\"new_booking_bookingslots@odata.bind\":"
                + "[\"new_bookingslots(_new_stockid_value=" + stock + ",new_slotnumber=9)\"]}");
        Api.given(dvemu).queryParam("$select", "_new_bookingid_value").get("new_bookingslots(" + slot + ")").then().statusCode(200)
                .body("_new_bookingid_value", equalTo(booking));
    }

    // ---------- all or nothing ----------

    @Test
    void aFailureAtTheDeepestLevelLeavesNothingOfTheRequest() {
        String tag = tag();
        String existing = create("new_stocks", "{\"new_name\":\"existing " + tag() + "\"}");
        String missing = UUID.randomUUID().toString();
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("a bad value in the third child", "{\"new_name\":\"s\",\"new_slotnumber\":\"three\"}");
        failures.put("a bind to a row that is not there", "{\"new_name\":\"s\",\"new_StockId@odata.bind\":\"/new_stocks(" + missing + ")\"}");
        failures.put("a duplicate alternate key", "{\"new_name\":\"s\",\"new_slotnumber\":1,\"new_StockId@odata.bind\":\"/new_stocks(" + existing + ")\"}");
        failures.put("a plug-in refusing", "{\"new_name\":\"refuse " + tag + "\"}");
        for (Map.Entry<String, String> failure : failures.entrySet()) {
            String body = "{\"new_name\":\"stock " + tag + "\",\"new_stock_bookings\":[{\"new_name\":\"booking " + tag + "\","
                    + "\"new_booking_bookingslots\":[{\"new_name\":\"slot one " + tag + "\",\"new_slotnumber\":1,"
                    + "\"new_StockId@odata.bind\":\"/new_stocks(" + existing + ")\"},"
                    + "{\"new_name\":\"slot two " + tag + "\"}," + failure.getValue().replace("\"s\"", "\"slot three " + tag + "\"") + "]}],"
                    + "\"new_stock_bookingslots\":[{\"new_name\":\"direct " + tag + "\"}]}";
            Response answer = post("new_stocks", body);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, failure.getKey() + ": " + answer.asString());
            assertTrue(answer.jsonPath().getString("error.code").startsWith("0x"), failure.getKey() + ": " + answer.asString());
            assertNothingWritten(tag);
        }
    }

    @Test
    void aPlugInRefusalNamesItsMessage() {
        String tag = tag();
        post("new_bookings", "{\"new_name\":\"booking " + tag + "\",\"new_booking_bookingslots\":[{\"new_name\":\"refuse " + tag + "\"}]}")
                .then().statusCode(400).body("error.code", equalTo("0x80040265")).body("error.message", equalTo("slot refused by a plug-in"));
        assertNothingWritten(tag);
    }

    // ---------- changesets ----------

    @Test
    void inAChangesetNestedRowsBindToEarlierOperationsAndCommitWithThem() {
        String tag = tag();
        BatchBody ok = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_name\":\"stock " + tag + "\"}")
                .op("2", "POST", "new_bookings", "{\"new_name\":\"booking " + tag + "\",\"new_booking_bookingslots\":["
                        + "{\"new_name\":\"slot " + tag + "\",\"new_slotnumber\":1,\"new_StockId@odata.bind\":\"$1\"}]}")
                .op("3", "POST", "contacts", "{\"lastname\":\"bound " + tag + "\"}")
                .op("4", "POST", "accounts", "{\"name\":\"account " + tag + "\",\"contact_customer_accounts@odata.bind\":[\"$3\"],"
                        + "\"contact_customer_accounts\":[{\"lastname\":\"nested " + tag + "\"}]}")
                .endChangeset();
        String answer = Api.given(dvemu).contentType(ok.contentType()).body(ok.build().getBytes(StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(200).extract().asString();
        assertEquals(List.of(204, 204, 204, 204), BatchBody.statuses(answer), answer);
        JsonPath slot = Api.given(dvemu).queryParam("$filter", "new_name eq 'slot " + tag + "'")
                .queryParam("$expand", "new_StockId($select=new_name),new_BookingId($select=new_name)").get("new_bookingslots")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("stock " + tag, slot.getString("value[0].new_StockId.new_name"));
        assertEquals("booking " + tag, slot.getString("value[0].new_BookingId.new_name"));
        Api.given(dvemu).queryParam("$filter", "name eq 'account " + tag + "'")
                .queryParam("$expand", "contact_customer_accounts($select=lastname;$orderby=lastname)").get("accounts")
                .then().statusCode(200).body("value[0].contact_customer_accounts.lastname", equalTo(List.of("bound " + tag, "nested " + tag)));
    }

    @Test
    void aChangesetFailingAfterADeepInsertLeavesNothingOfIt() {
        String tag = tag();
        BatchBody failing = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_name\":\"stock " + tag + "\",\"new_stock_bookings\":[{\"new_name\":\"booking " + tag + "\"}]}")
                .op("2", "PATCH", "new_stocks(" + UUID.randomUUID() + ")", "{\"new_name\":\"x\"}", "If-Match: *")
                .endChangeset();
        String answer = Api.given(dvemu).contentType(failing.contentType()).body(failing.build().getBytes(StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(400).extract().asString();
        assertTrue(answer.contains("0x80040217"), answer);
        assertNothingWritten(tag);
    }

    // ---------- plug-ins ----------

    @Test
    void everyNestedRowRunsItsOwnCreateStepsAndEveryCollectionBindAnUpdate() {
        String tag = tag();
        String bound = create("contacts", "{\"lastname\":\"bound " + tag + "\"}");
        create("accounts", "{\"name\":\"steps " + tag + "\",\"primarycontactid\":{\"lastname\":\"primary " + tag + "\"},"
                + "\"contact_customer_accounts\":[{\"lastname\":\"one " + tag + "\"},{\"lastname\":\"two " + tag + "\"}],"
                + "\"contact_customer_accounts@odata.bind\":[\"contacts(" + bound + ")\"]}");
        assertEquals(1, seen("Create account steps " + tag));
        assertEquals(1, seen("Create contact primary " + tag));
        assertEquals(1, seen("Create contact one " + tag));
        assertEquals(1, seen("Create contact two " + tag));
        assertEquals(1, seen("Update contact " + bound));
    }

    // ---------- refusals ----------

    @Test
    void aNestedRowMayNotSetTheLookupThatLinksItToItsParent() {
        String tag = tag();
        String other = create("accounts", "{\"name\":\"other " + tag + "\"}");
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("by bind", "{\"lastname\":\"c " + tag + "\",\"parentcustomerid_account@odata.bind\":\"accounts(" + other + ")\"}");
        bodies.put("by value", "{\"lastname\":\"c " + tag + "\",\"parentcustomerid\":null}");
        bodies.put("by a nested row", "{\"lastname\":\"c " + tag + "\",\"parentcustomerid_account\":{\"name\":\"n " + tag + "\"}}");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            post("accounts", "{\"name\":\"a " + tag + "\",\"contact_customer_accounts\":[" + b.getValue() + "]}")
                    .then().statusCode(400).body("error.code", equalTo("0x80048d19"))
                    .body("error.message", containsString("parentcustomerid_account"))
                    .body("error.message", containsString("contact_customer_accounts"));
        }
        assertEquals(List.of("other " + tag), names("accounts", "name", tag));
        assertEquals(List.of(), names("contacts", "lastname", tag));
    }

    @Test
    void aLookupSetBothByANestedRowAndByABindIsRefused() {
        String tag = tag();
        String contact = create("contacts", "{\"lastname\":\"bound " + tag + "\"}");
        post("accounts", "{\"name\":\"a " + tag + "\",\"primarycontactid\":{\"lastname\":\"nested " + tag + "\"},"
                + "\"primarycontactid@odata.bind\":\"contacts(" + contact + ")\"}")
                .then().statusCode(400).body("error.code", equalTo("0x80048d19"))
                .body("error.message", containsString("primarycontactid"));
        assertEquals(List.of("bound " + tag), names("contacts", "lastname", tag));
    }

    @Test
    void deepUpdateIsRefusedAndWritesNothing() {
        String tag = tag();
        String account = create("accounts", "{\"name\":\"update " + tag + "\"}");
        String unknown = UUID.randomUUID().toString();
        for (String body : List.of("{\"name\":\"changed " + tag + "\",\"primarycontactid\":{\"lastname\":\"x " + tag + "\"}}",
                "{\"name\":\"changed " + tag + "\",\"contact_customer_accounts\":[{\"lastname\":\"x " + tag + "\"}]}")) {
            for (String id : List.of(account, unknown)) {
                Api.given(dvemu).contentType("application/json").body(body).patch("accounts(" + id + ")")
                        .then().statusCode(400).body("error.code", equalTo("0x80060888"))
                        .body("error.message", containsString("Deep update is not supported"));
            }
        }
        assertEquals(List.of("update " + tag), names("accounts", "name", tag));
        assertEquals(List.of(), names("contacts", "lastname", tag));
    }

    @Test
    void wrongShapesUnderNavigationPropertiesAre400s() {
        String tag = tag();
        String contact = create("contacts", "{\"lastname\":\"shape " + tag + "\"}");
        List<String> bodies = List.of(
                "{\"primarycontactid\":[{\"lastname\":\"x\"}]}",
                "{\"primarycontactid\":\"contacts(" + contact + ")\"}",
                "{\"primarycontactid\":42}",
                "{\"contact_customer_accounts\":{\"lastname\":\"x\"}}",
                "{\"contact_customer_accounts\":[1]}",
                "{\"contact_customer_accounts\":[\"contacts(" + contact + ")\"]}",
                "{\"contact_customer_accounts\":[[{\"lastname\":\"x\"}]]}",
                "{\"contact_customer_accounts\":[null]}",
                "{\"contact_customer_accounts\":null}",
                "{\"contact_customer_accounts\":[{\"nosuchcolumn\":1}]}",
                "{\"contact_customer_accounts\":[{\"lastname\":7}]}",
                "{\"contact_customer_accounts@odata.bind\":\"contacts(" + contact + ")\"}",
                "{\"contact_customer_accounts@odata.bind\":[42]}",
                "{\"contact_customer_accounts@odata.bind\":[\"not a url\"]}",
                "{\"contact_customer_accounts@odata.bind\":[\"accounts(" + contact + ")\"]}",
                "{\"nosuchnavigation\":[{\"lastname\":\"x\"}]}",
                "{\"nosuchnavigation@odata.bind\":[\"contacts(" + contact + ")\"]}");
        for (String body : bodies) {
            String json = "{\"name\":\"shape " + tag + "\"," + body.substring(1);
            Response answer = post("accounts", json);
            assertEquals(400, answer.statusCode(), json + ": " + answer.asString());
            assertTrue(answer.jsonPath().getString("error.message").length() > 0, json + ": " + answer.asString());
            answer.then().body("error", hasKey("code")).body("error.message", not(containsString("dev.dvemu")));
        }
        assertEquals(List.of(), names("accounts", "name", tag));
        assertNull(parentOf(contact));
    }

    @Test
    void moreThanAThousandRowsInOneRequestAreRefused() {
        String tag = tag();
        StringBuilder body = new StringBuilder("{\"name\":\"many " + tag + "\",\"contact_customer_accounts\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"lastname\":\"c").append(i).append(' ').append(tag).append("\"}");
        }
        body.append("]}");
        post("accounts", body.toString()).then().statusCode(400).body("error.code", equalTo("0x0"))
                .body("error.message", containsString("1000"));
        assertEquals(List.of(), names("accounts", "name", tag));
    }
}
