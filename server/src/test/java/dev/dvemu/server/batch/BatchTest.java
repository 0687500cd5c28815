package dev.dvemu.server.batch;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.dvemu.server.batch.BatchBody.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code $batch} as Dataverse answers it (dataverse-web-api.md §5): framing, atomic changesets, references, limits. */
@DvemuTest(reset = Reset.NEVER)
class BatchTest {
    static Dvemu dvemu;

    // ------------------------------------------------------------------ fixtures

    private record Stock(UUID id, String etag) {
    }

    private static Stock stock(int available, int booked) {
        JsonPath j = Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .body("{\"new_name\":\"batch " + UUID.randomUUID() + "\",\"new_availablecount\":" + available
                        + ",\"new_bookedcount\":" + booked + "}")
                .post("new_stocks").then().statusCode(201).extract().jsonPath();
        return new Stock(UUID.fromString(j.getString("new_stockid")), j.getString("'@odata.etag'"));
    }

    private static UUID booking(UUID stockId) {
        return UUID.fromString(Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .body("{\"new_name\":\"booking\",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\"}")
                .post("new_bookings").then().statusCode(201).extract().jsonPath().getString("new_bookingid"));
    }

    private static JsonPath row(String path) {
        return Api.given(dvemu).get(path).then().statusCode(200).extract().jsonPath();
    }

    private static int count(String set, String filter) {
        return Integer.parseInt(Api.given(dvemu).queryParam("$filter", filter).get(set + "/$count").then()
                .statusCode(200).extract().asString().trim());
    }

    private static Response send(BatchBody body, String text, String... headers) {
        var r = Api.given(dvemu).contentType(body.contentType()).body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r = r.header(headers[i], headers[i + 1]);
        }
        return r.post("$batch");
    }

    /** The booking changeset of the field report: slot with a unique key, booking confirmed, stock with If-Match. */
    private static BatchBody bookingChangeset(BatchBody b, Stock s, UUID booking, int slot, String stockEtag, String urlPrefix) {
        return b.beginChangeset()
                .op("1", "POST", urlPrefix + "new_bookingslots", "{\"new_name\":\"slot " + slot + "\",\"new_slotnumber\":" + slot
                        + ",\"new_StockId@odata.bind\":\"/new_stocks(" + s.id() + ")\",\"new_BookingId@odata.bind\":\"/new_bookings("
                        + booking + ")\"}")
                .op("2", "PATCH", urlPrefix + "new_bookings(" + booking + ")", "{\"new_status\":100000001}", "If-Match: *")
                .op("3", "PATCH", urlPrefix + "new_stocks(" + s.id() + ")", "{\"new_availablecount\":11,\"new_bookedcount\":6}",
                        "If-Match: " + stockEtag)
                .endChangeset();
    }

    private static int slotsOf(Stock s) {
        return count("new_bookingslots", "_new_stockid_value eq " + s.id());
    }

    // ------------------------------------------------------------------ framing and atomicity

    @Test
    void changesetCommitsAllOperationsAndIsFramedAsDataverseFramesIt() {
        Stock s = stock(12, 5);
        UUID b = booking(s.id());
        BatchBody body = bookingChangeset(BatchBody.crlf(), s, b, 6, s.etag(), "/api/data/v9.2/");
        Response r = send(body, body.build());
        String text = r.then().statusCode(200).header("OData-Version", "4.0")
                .header("Content-Type", org.hamcrest.Matchers.startsWith("multipart/mixed; boundary=batchresponse_"))
                .extract().asString();
        String outer = r.header("Content-Type").substring("multipart/mixed; boundary=".length());
        assertTrue(text.startsWith("--" + outer + "\r\n"), text);
        assertTrue(text.contains("Content-Type: multipart/mixed; boundary=changesetresponse_"), text);
        assertTrue(text.trim().endsWith("--" + outer + "--"), text);
        assertEquals(List.of(204, 204, 204), statuses(text));
        for (String id : List.of("1", "2", "3")) {
            assertTrue(text.contains("Content-Transfer-Encoding: binary\r\nContent-ID: " + id + "\r\n\r\nHTTP/1.1 204 No Content"), text);
        }
        assertTrue(text.contains("Location: " + dvemu.webApiUrl().toString() + "new_bookingslots("), "creates carry Location: " + text);
        assertTrue(text.contains("OData-EntityId: " + dvemu.webApiUrl().toString() + "new_bookingslots("), text);
        assertFalse(text.contains("\n\n") && !text.contains("\r\n\r\n"), "CRLF line endings");

        assertEquals(1, slotsOf(s));
        assertEquals(100000001, row("new_bookings(" + b + ")").getInt("new_status"));
        JsonPath stock = row("new_stocks(" + s.id() + ")");
        assertEquals(11, stock.getInt("new_availablecount"));
        assertEquals(6, stock.getInt("new_bookedcount"));
    }

    @Test
    void aStaleEtagFailsTheWholeChangesetWithOneErrorPartAndWritesNothing() {
        Stock s = stock(12, 5);
        UUID b = booking(s.id());
        BatchBody body = bookingChangeset(BatchBody.crlf(), s, b, 6, "W/\"1\"", "");
        String text = send(body, body.build()).then().statusCode(400)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("multipart/mixed; boundary=batchresponse_"))
                .extract().asString();
        assertEquals(List.of(412), statuses(text), "the failed changeset is answered by the failing operation alone");
        assertTrue(text.contains("Content-ID: 3\r\n"), text);
        assertTrue(text.contains("boundary=changesetresponse_"), text);
        assertTrue(text.contains("\"code\":\"0x80060882\""), text);
        assertTrue(text.contains("The version of the existing record doesn't match the RowVersion property provided."), text);

        assertEquals(0, slotsOf(s), "the slot created by operation 1 was rolled back");
        assertEquals(100000000, row("new_bookings(" + b + ")").getInt("new_status"), "booking still Pending");
        assertEquals(s.etag(), row("new_stocks(" + s.id() + ")").getString("'@odata.etag'"));
    }

    @Test
    void aTakenSlotFailsTheChangesetWithTheDuplicateKeyError() {
        Stock s = stock(12, 5);
        UUID first = booking(s.id());
        UUID second = booking(s.id());
        BatchBody ok = bookingChangeset(BatchBody.crlf(), s, first, 6, s.etag(), "");
        send(ok, ok.build()).then().statusCode(200);
        String fresh = row("new_stocks(" + s.id() + ")").getString("'@odata.etag'");
        BatchBody dup = bookingChangeset(BatchBody.crlf(), s, second, 6, fresh, "");
        String text = send(dup, dup.build()).then().statusCode(400).extract().asString();
        assertEquals(List.of(412), statuses(text));
        assertTrue(text.contains("Content-ID: 1\r\n"), text);
        assertTrue(text.contains("\"code\":\"0x80060892\""), text);
        assertEquals(1, slotsOf(s));
        assertEquals(100000000, row("new_bookings(" + second + ")").getInt("new_status"));
        assertEquals(fresh, row("new_stocks(" + s.id() + ")").getString("'@odata.etag'"));
    }

    // ------------------------------------------------------------------ what clients send

    @Test
    void bareLfLineEndingsWithoutTrailingLineBreakAreAccepted() {
        Stock s = stock(12, 5);
        UUID b = booking(s.id());
        BatchBody body = bookingChangeset(BatchBody.lf(), s, b, 6, s.etag(), "");
        send(body, body.build(0)).then().statusCode(200);
        assertEquals(1, slotsOf(s));
    }

    @Test
    void crlfWithSeveralTrailingLineBreaksIsAccepted() {
        Stock s = stock(12, 5);
        UUID b = booking(s.id());
        BatchBody body = bookingChangeset(BatchBody.crlf(), s, b, 6, s.etag(), "");
        send(body, body.build(2)).then().statusCode(200);
        assertEquals(1, slotsOf(s));
    }

    @Test
    void aQuotedBoundaryIsAccepted() {
        Stock s = stock(12, 5);
        UUID b = booking(s.id());
        BatchBody body = bookingChangeset(BatchBody.crlf(), s, b, 6, s.etag(), "");
        Api.given(dvemu).contentType("multipart/mixed; boundary=\"" + body.boundary() + "\"").body(body.build().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(200);
        assertEquals(1, slotsOf(s));
    }

    @Test
    void absoluteUrlsWithAnyHostPortSchemeOrApiVersionAreAccepted() {
        for (String prefix : List.of("https://contoso.crm4.dynamics.com/api/data/v9.2/", "http://localhost:9999/api/data/v9.2/",
                "http://dvemu:5555/api/data/v9.0/", dvemu.webApiUrl().toString())) {
            Stock s = stock(12, 5);
            UUID b = booking(s.id());
            BatchBody body = bookingChangeset(BatchBody.lf(), s, b, 6, s.etag(), prefix);
            send(body, body.build()).then().statusCode(200);
            assertEquals(1, slotsOf(s), prefix);
            assertEquals(11, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"), prefix);
        }
    }

    @Test
    void hostHeadersInsidePartsAreIgnored() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().op(null, "GET", "new_stocks(" + s.id() + ")", null, "Host: contoso.crm.dynamics.com");
        String text = send(body, body.build()).then().statusCode(200).extract().asString();
        assertEquals(List.of(200), statuses(text));
        assertTrue(text.contains("\"new_stockid\":\"" + s.id() + "\""), text);
    }

    @Test
    void anAuthorizationHeaderInsideAPartIsIgnored() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().op(null, "GET", "new_stocks(" + s.id() + ")", null, "Authorization: Bearer part-token")
                .beginChangeset()
                .op("1", "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":4}", "Authorization: Bearer part-token")
                .endChangeset();
        String text = send(body, body.build()).then().statusCode(200).extract().asString();
        assertEquals(List.of(200, 204), statuses(text));
        assertEquals(4, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    @Test
    void blankLinesAfterABodylessGetAreAccepted() {
        Stock s = stock(12, 5);
        String text = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks(" + s.id() + ") HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n\r\n"
                + "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks(" + s.id() + ")?$select=new_name HTTP/1.1\r\n\r\n\r\n--b--\r\n";
        String answer = Api.given(dvemu).contentType("multipart/mixed; boundary=b")
                .body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch").then().statusCode(200).extract().asString();
        assertEquals(List.of(200, 200), statuses(answer));
    }

    @Test
    void aGetWithABodyIsStillRefused() {
        String text = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks HTTP/1.1\r\n\r\n{\"not\":\"allowed\"}\r\n--b--\r\n";
        Api.given(dvemu).contentType("multipart/mixed; boundary=b").body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(400).body("error.code", org.hamcrest.Matchers.equalTo("0x80048d19"));
    }

    @Test
    void unencodedSpacesInARequestLineAreAccepted() {
        Stock s = stock(12, 5);
        String name = row("new_stocks(" + s.id() + ")").getString("new_name");
        BatchBody body = BatchBody.crlf().op(null, "GET", "new_stocks?$select=new_name&$filter=new_name eq '" + name + "'", null);
        String text = send(body, body.build()).then().statusCode(200).extract().asString();
        assertEquals(List.of(200), statuses(text));
        assertTrue(text.contains("\"new_name\":\"" + name + "\""), text);
    }

    @Test
    void aJsonBatchIsRefusedWithAMessageThatAsksForMultipart() {
        Api.given(dvemu).contentType("application/json").body("{\"requests\":[]}").post("$batch").then().statusCode(415)
                .body("error.message", org.hamcrest.Matchers.containsString("multipart/mixed"))
                .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("send 'Content-Type: application/json'")));
    }

    @Test
    void changesetItemsWithoutContentIdAreAcceptedAndNoContentIdIsInvented() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op(null, "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":3}")
                .endChangeset();
        String text = send(body, body.build()).then().statusCode(200).extract().asString();
        assertEquals(List.of(204), statuses(text));
        assertFalse(text.contains("Content-ID"), text);
        assertEquals(3, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    // ------------------------------------------------------------------ Content-ID references (§5.2)

    @Test
    void contentIdReferencesWorkAsUrlAndInBindValues() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_bookings", "{\"new_name\":\"by reference\",\"new_StockId@odata.bind\":\"/new_stocks(" + s.id() + ")\"}")
                .op("2", "POST", "new_bookingslots", "{\"new_name\":\"slot\",\"new_slotnumber\":6,\"new_StockId@odata.bind\":\"/new_stocks("
                        + s.id() + ")\",\"new_BookingId@odata.bind\":\"$1\"}")
                .op("3", "PATCH", "$1", "{\"new_status\":100000001}")
                .endChangeset();
        String text = send(body, body.build()).then().statusCode(200).extract().asString();
        assertEquals(List.of(204, 204, 204), statuses(text));
        JsonPath slot = Api.given(dvemu).queryParam("$filter", "_new_stockid_value eq " + s.id()).get("new_bookingslots")
                .then().statusCode(200).extract().jsonPath();
        String bookingId = slot.getString("value[0]._new_bookingid_value");
        assertEquals(100000001, row("new_bookings(" + bookingId + ")").getInt("new_status"));
        assertTrue(text.contains("Content-ID: 3\r\n\r\nHTTP/1.1 204 No Content\r\nOData-EntityId: " + dvemu.webApiUrl().toString()
                + "new_bookings(" + bookingId + ")"), "PATCH $1 answers with the patched row's URL: " + text);
    }

    @Test
    void aReferenceToAnUndeclaredContentIdIs400AndRollsBack() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":1}")
                .op("2", "PATCH", "$9", "{\"new_status\":100000001}")
                .endChangeset();
        String text = send(body, body.build()).then().statusCode(400).extract().asString();
        assertEquals(List.of(400), statuses(text));
        assertTrue(text.contains("Content-ID Reference: '$9' does not exist in the batch context."), text);
        assertEquals(12, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    @Test
    void aReferenceInABindValueOutsideAChangesetIs400() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf()
                .op(null, "POST", "new_bookings", "{\"new_name\":\"x\",\"new_StockId@odata.bind\":\"$1\"}");
        String text = send(body, body.build()).then().statusCode(400).extract().asString();
        assertTrue(text.contains("Content-ID Reference: '$1' does not exist in the batch context."), text);
        assertEquals(0, count("new_bookings", "_new_stockid_value eq " + s.id()));
    }

    // ------------------------------------------------------------------ standalone parts and continue-on-error

    @Test
    void withoutContinueOnErrorProcessingStopsAtTheFirstFailure() {
        Stock s = stock(12, 5);
        UUID missing = UUID.randomUUID();
        BatchBody body = BatchBody.crlf()
                .op(null, "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":4}")
                .op(null, "PATCH", "new_stocks(" + missing + ")", "{\"new_availablecount\":4}", "If-Match: *")
                .op(null, "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":5}");
        String text = send(body, body.build()).then().statusCode(400).extract().asString();
        assertEquals(List.of(204, 404), statuses(text), "the third part is never run");
        assertEquals(4, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"), "standalone parts commit on their own");
    }

    @Test
    void withContinueOnErrorEveryPartRunsAndEachChangesetIsAtomicOnItsOwn() {
        Stock a = stock(12, 5);
        Stock b = stock(12, 5);
        BatchBody body = BatchBody.crlf()
                .beginChangeset()
                .op("1", "PATCH", "new_stocks(" + a.id() + ")", "{\"new_availablecount\":1}")
                .op("2", "PATCH", "new_stocks(" + a.id() + ")", "{\"new_bookedcount\":1}", "If-Match: W/\"1\"")
                .endChangeset()
                .op(null, "GET", "new_stocks(" + a.id() + ")", null)
                .beginChangeset()
                .op("3", "PATCH", "new_stocks(" + b.id() + ")", "{\"new_availablecount\":2}")
                .endChangeset();
        Response r = send(body, body.build(), "Prefer", "odata.continue-on-error");
        String text = r.then().statusCode(200).header("Preference-Applied", "odata.continue-on-error").extract().asString();
        assertEquals(List.of(412, 200, 204), statuses(text));
        assertEquals(12, row("new_stocks(" + a.id() + ")").getInt("new_availablecount"), "failed changeset rolled back");
        assertEquals(2, row("new_stocks(" + b.id() + ")").getInt("new_availablecount"), "the next changeset committed");
    }

    // ------------------------------------------------------------------ per-part headers

    @Test
    void perPartPreferAndConditionalHeadersAreHonoured() {
        Stock s = stock(12, 5);
        UUID newId = UUID.randomUUID();
        BatchBody body = BatchBody.crlf()
                .op(null, "POST", "new_stocks", "{\"new_name\":\"represented\"}", "Prefer: return=representation")
                .op(null, "GET", "new_stocks(" + s.id() + ")", null, "Prefer: odata.include-annotations=\"*\"")
                .op(null, "PATCH", "new_stocks(" + newId + ")", "{\"new_name\":\"create only\"}", "If-None-Match: *")
                .op(null, "PATCH", "new_stocks(" + newId + ")", "{\"new_name\":\"again\"}", "If-None-Match: *");
        String text = send(body, body.build(), "Prefer", "odata.continue-on-error").then().statusCode(200).extract().asString();
        assertEquals(List.of(201, 200, 204, 412), statuses(text));
        assertTrue(text.contains("\"new_name\":\"represented\""), text);
        assertTrue(text.contains("Preference-Applied: return=representation"), text);
        assertTrue(text.contains("\"new_availablecount@OData.Community.Display.V1.FormattedValue\":\"12\""), text);
        assertTrue(text.contains("\"code\":\"0x80040237\""), text);
        assertEquals("create only", row("new_stocks(" + newId + ")").getString("new_name"));
    }

    // ------------------------------------------------------------------ refusals before anything runs

    @Test
    void aGetInsideAChangesetIs400AndNothingRuns() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":1}")
                .op("2", "GET", "new_stocks(" + s.id() + ")", null)
                .endChangeset();
        send(body, body.build()).then().statusCode(400)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                .body("error.code", org.hamcrest.Matchers.notNullValue())
                .body("error.message", org.hamcrest.Matchers.containsString("GET"));
        assertEquals(12, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    @Test
    void moreThanAThousandOperationsAre400AndNothingRuns() {
        Stock s = stock(12, 5);
        BatchBody body = BatchBody.crlf().beginChangeset();
        for (int i = 0; i < 1001; i++) {
            body.op(Integer.toString(i + 1), "PATCH", "new_stocks(" + s.id() + ")", "{\"new_availablecount\":" + i + "}");
        }
        body.endChangeset();
        send(body, body.build()).then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.equalTo(
                        "The current change set contains too many operations. A maximum number of '1000' operations are allowed in a change set."));
        assertEquals(12, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    @Test
    void nestedChangesetsAre400() {
        Stock s = stock(12, 5);
        String text = "--batch_n\r\nContent-Type: multipart/mixed; boundary=changeset_a\r\n\r\n"
                + "--changeset_a\r\nContent-Type: multipart/mixed; boundary=changeset_b\r\n\r\n"
                + "--changeset_b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "PATCH new_stocks(" + s.id() + ") HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_availablecount\":1}\r\n"
                + "--changeset_b--\r\n--changeset_a--\r\n--batch_n--\r\n";
        Api.given(dvemu).contentType("multipart/mixed; boundary=batch_n").body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch").then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.notNullValue());
        assertEquals(12, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"));
    }

    @Test
    void aMalformedPartFailsTheWholeBatchBeforeAnythingRuns() {
        Stock s = stock(12, 5);
        String text = "--batch_m\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "PATCH new_stocks(" + s.id() + ") HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_availablecount\":1}\r\n"
                + "--batch_m\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "THIS IS NOT A REQUEST LINE\r\n\r\n"
                + "--batch_m--\r\n";
        Api.given(dvemu).contentType("multipart/mixed; boundary=batch_m").body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch").then().statusCode(400)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                .body("error.code", org.hamcrest.Matchers.equalTo("0x80048d19"));
        assertEquals(12, row("new_stocks(" + s.id() + ")").getInt("new_availablecount"), "no partial write");
    }

    @Test
    void malformedBatchesAreJsonClientErrorsNeverServerErrors() {
        List<String[]> cases = List.of(
                new String[]{"multipart/mixed; boundary=batch_x", ""},
                new String[]{"multipart/mixed; boundary=batch_x", "garbage"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_x\r\n\r\n--batch_x--"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_y\r\nContent-Type: application/http\r\n\r\nGET new_stocks HTTP/1.1\r\n\r\n--batch_y--"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_x\r\nContent-Type: application/http\r\n\r\nGET new_stocks HTTP/1.1\r\n"},
                new String[]{"multipart/mixed", "--batch_x\r\n--batch_x--"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_x\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs--\r\n--batch_x--"},
                new String[]{"application/json", "{\"requests\":[]}"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_x\r\nContent-Type: application/http\r\n\r\nGET http://[::bad/x HTTP/1.1\r\n\r\n--batch_x--"},
                new String[]{"multipart/mixed; boundary=batch_x", "--batch_x\r\nContent-Type: application/http\r\n\r\nPOST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{not json\r\n--batch_x--"});
        for (String[] c : cases) {
            Response r = Api.given(dvemu).contentType(c[0]).body(c[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch");
            assertTrue(r.statusCode() < 500, c[1] + " -> " + r.statusCode() + " " + r.asString());
            if (r.statusCode() >= 400 && r.contentType().startsWith("application/json")) {
                assertTrue(r.jsonPath().getString("error.message") != null, r.asString());
            }
            assertFalse(r.asString().contains("at dev.") || r.asString().contains(".java:"), r.asString());
        }
    }

    @Test
    void getIsNotAllowedOnBatch() {
        Api.given(dvemu).get("$batch").then().statusCode(405).body("error.code", org.hamcrest.Matchers.notNullValue());
    }
}
