package dev.dvemu.server.batch;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches byte for byte as the JavaScript client DynamicsWebApi builds them (captured from 2.5.0 and 2.1.0):
 * boundaries {@code dwa_batch_<uuid>} / {@code changeset_<uuid>}, a body that starts with a line break, absolute
 * URLs for the cloud host, Content-IDs from 100001, {@code If-Match: *} on update(), CRLF since 2.2.1 and bare LF
 * without a final line break before. The answers are read the way that client reads them: the body must start
 * with {@code --batchresponse_}, changesets are found by {@code --changesetresponse_}, results are positional, a
 * create's id comes from {@code OData-EntityId}.
 */
@DvemuTest(reset = Reset.NEVER)
class DynamicsWebApiCompatibilityTest {
    static Dvemu dvemu;

    /** What DynamicsWebApi is configured with: the cloud URL, not the emulator's (the request lines carry it). */
    private static final String API = "https://myorg.crm4.dynamics.com/api/data/v9.2/";
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/?\\s*[\\d.]*\\s+(\\d{3})\\s+([\\w\\s]*)$", Pattern.MULTILINE);
    private static final Pattern ENTITY_ID = Pattern.compile("OData-EntityId.+", Pattern.CASE_INSENSITIVE);
    private static final Pattern UUID_AT_END = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    private record Stock(UUID id, String etag) {
    }

    private static Stock stock(int available) {
        JsonPath j = Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .body("{\"new_name\":\"dwa " + UUID.randomUUID() + "\",\"new_availablecount\":" + available + ",\"new_bookedcount\":0}")
                .post("new_stocks").then().statusCode(201).extract().jsonPath();
        return new Stock(UUID.fromString(j.getString("new_stockid")), j.getString("'@odata.etag'"));
    }

    private static UUID booking(UUID stock) {
        return UUID.fromString(Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .body("{\"new_name\":\"dwa booking\",\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\"}")
                .post("new_bookings").then().statusCode(201).extract().jsonPath().getString("new_bookingid"));
    }

    /** Example (a) of DynamicsWebApi 2.5.0: startBatch(); create(); update(); update({ifmatch}); executeBatch(). */
    private static String changesetBody(String batch, String changeset, Stock s, UUID booking, String etag) {
        return "\r\n"
                + "--" + batch + "\r\n"
                + "Content-Type: multipart/mixed;boundary=" + changeset + "\r\n"
                + "\r\n"
                + "--" + changeset + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "Content-ID: 100001\r\n"
                + "\r\n"
                + "POST " + API + "new_bookingslots HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "\r\n"
                + "{\"new_name\":\"Slot 1\",\"new_slotnumber\":1,\"new_StockId@odata.bind\":\"/new_stocks(" + s.id()
                + ")\",\"new_BookingId@odata.bind\":\"/new_bookings(" + booking + ")\"}\r\n"
                + "\r\n"
                + "--" + changeset + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "Content-ID: 100002\r\n"
                + "\r\n"
                + "PATCH " + API + "new_bookings(" + booking + ") HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "If-Match: *\r\n"
                + "\r\n"
                + "{\"new_status\":100000001}\r\n"
                + "\r\n"
                + "--" + changeset + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "Content-ID: 100003\r\n"
                + "\r\n"
                + "PATCH " + API + "new_stocks(" + s.id() + ") HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "If-Match: " + etag + "\r\n"
                + "\r\n"
                + "{\"new_availablecount\":8,\"new_bookedcount\":1}\r\n"
                + "\r\n"
                + "--" + changeset + "--\r\n"
                + "\r\n"
                + "--" + batch + "--\r\n";
    }

    /** The same batch as DynamicsWebApi up to 2.2.0 wrote it: bare LF, no line break after the last boundary. */
    private static String lfBody(String crlfBody) {
        String lf = crlfBody.replace("\r\n", "\n");
        return lf.substring(0, lf.length() - 1);
    }

    private static Response post(String batch, String body) {
        return Api.given(dvemu).contentType("multipart/mixed;boundary=" + batch)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
    }

    /** One parsed result, as DynamicsWebApi's parseBatchResponse reads a part. */
    private record Result(int status, String entityId, String json) {
    }

    /** A port of DynamicsWebApi's parseBatchResponse: delimiter from the first line, changesets by literal prefix. */
    private static List<Result> parseLikeDynamicsWebApi(String response) {
        assertTrue(response.startsWith("--batchresponse_"), "the body must start with the batch boundary: " + response);
        String delimiter = response.substring(0, response.indexOf('\n')).replace("\r", "");
        String[] pieces = response.split(Pattern.quote(delimiter));
        List<Result> results = new ArrayList<>();
        for (int i = 1; i < pieces.length - 1; i++) {
            String part = pieces[i];
            if (part.contains("--changesetresponse_")) {
                String inner = part.trim();
                inner = inner.substring(inner.indexOf('\n') + 1).trim();
                results.addAll(parseLikeDynamicsWebApiInner(inner));
            } else {
                results.add(result(part));
            }
        }
        return results;
    }

    private static List<Result> parseLikeDynamicsWebApiInner(String changeset) {
        String delimiter = changeset.substring(0, changeset.indexOf('\n')).replace("\r", "");
        assertTrue(delimiter.startsWith("--changesetresponse_"), delimiter);
        String[] pieces = changeset.split(Pattern.quote(delimiter));
        List<Result> out = new ArrayList<>();
        for (int i = 1; i < pieces.length - 1; i++) {
            out.add(result(pieces[i]));
        }
        return out;
    }

    private static Result result(String part) {
        Matcher status = HTTP_STATUS.matcher(part);
        assertTrue(status.find(), "status line readable with the client's pattern: " + part);
        int open = part.indexOf('{');
        int close = part.lastIndexOf('}');
        String json = open >= 0 && close > open ? part.substring(open, close + 1) : null;
        String entityId = null;
        Matcher e = ENTITY_ID.matcher(part);
        if (e.find()) {
            Matcher id = UUID_AT_END.matcher(e.group().trim());
            entityId = id.find() ? id.group(1) : null;
        }
        return new Result(Integer.parseInt(status.group(1)), entityId, json);
    }

    @Test
    void aChangesetAsVersion25BuildsItCommitsAndParses() {
        Stock s = stock(9);
        UUID booking = booking(s.id());
        String batch = "dwa_batch_" + UUID.randomUUID();
        Response r = post(batch, changesetBody(batch, "changeset_" + UUID.randomUUID(), s, booking, s.etag()));
        r.then().statusCode(200);
        List<Result> results = parseLikeDynamicsWebApi(r.asString());
        assertEquals(3, results.size());
        assertEquals(List.of(204, 204, 204), results.stream().map(Result::status).toList());
        String slotId = results.get(0).entityId();
        assertTrue(slotId != null, "the create's id is read from OData-EntityId");
        Api.given(dvemu).get("new_bookingslots(" + slotId + ")").then().statusCode(200)
                .body("_new_bookingid_value", org.hamcrest.Matchers.equalTo(booking.toString()));
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().body("new_status", org.hamcrest.Matchers.equalTo(100000001));
        Api.given(dvemu).get("new_stocks(" + s.id() + ")").then().body("new_availablecount", org.hamcrest.Matchers.equalTo(8));
    }

    @Test
    void aChangesetAsVersion21BuildsItWithBareLineFeedsCommits() {
        Stock s = stock(9);
        UUID booking = booking(s.id());
        String batch = "dwa_batch_" + UUID.randomUUID();
        Response r = post(batch, lfBody(changesetBody(batch, "changeset_" + UUID.randomUUID(), s, booking, s.etag())));
        r.then().statusCode(200);
        assertEquals(List.of(204, 204, 204), parseLikeDynamicsWebApi(r.asString()).stream().map(Result::status).toList());
        Api.given(dvemu).get("new_stocks(" + s.id() + ")").then().body("new_availablecount", org.hamcrest.Matchers.equalTo(8));
    }

    @Test
    void aStaleEtagRejectsTheBatchAndTheClientSeesTheConflict() {
        Stock s = stock(9);
        UUID booking = booking(s.id());
        String batch = "dwa_batch_" + UUID.randomUUID();
        Response r = post(batch, changesetBody(batch, "changeset_" + UUID.randomUUID(), s, booking, "W/\"1234567\""));
        r.then().statusCode(400);
        List<Result> results = parseLikeDynamicsWebApi(r.asString());
        assertEquals(1, results.size());
        assertEquals(412, results.get(0).status());
        assertTrue(results.get(0).json().contains("0x80060882"), results.get(0).json());
        Api.given(dvemu).queryParam("$filter", "_new_stockid_value eq " + s.id()).get("new_bookingslots/$count")
                .then().body(org.hamcrest.Matchers.equalTo("0"));
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().body("new_status", org.hamcrest.Matchers.equalTo(100000000));
    }

    /** Example (b): executeBatch({inChangeSet:false}) with retrieveMultiple, create and update. */
    @Test
    void partsOutsideChangesetsIncludingAGetWithoutBlankLineAreAnswered() {
        Stock s = stock(9);
        UUID booking = booking(s.id());
        String batch = "dwa_batch_" + UUID.randomUUID();
        String body = "\r\n"
                + "--" + batch + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "\r\n"
                + "GET " + API + "new_stocks?$select=new_name,new_availablecount&$filter=new_stockid%20eq%20" + s.id() + " HTTP/1.1\r\n"
                + "Accept: application/json\r\n"
                + "\r\n"
                + "--" + batch + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "\r\n"
                + "POST " + API + "new_bookingslots HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "\r\n"
                + "{\"new_name\":\"Slot 2\",\"new_StockId@odata.bind\":\"/new_stocks(" + s.id() + ")\"}\r\n"
                + "\r\n"
                + "--" + batch + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "\r\n"
                + "PATCH " + API + "new_bookings(" + booking + ") HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "If-Match: *\r\n"
                + "\r\n"
                + "{\"new_status\":100000002}\r\n"
                + "\r\n"
                + "--" + batch + "--\r\n";
        Response r = post(batch, body);
        r.then().statusCode(200);
        List<Result> results = parseLikeDynamicsWebApi(r.asString());
        assertEquals(List.of(200, 204, 204), results.stream().map(Result::status).toList());
        assertTrue(results.get(0).json().contains("\"new_availablecount\":9"), results.get(0).json());
        assertTrue(results.get(1).entityId() != null);
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().body("new_status", org.hamcrest.Matchers.equalTo(100000002));
    }

    @Test
    void deleteWithContentTypeAndNoBodyInsideAChangesetWorks() {
        Stock s = stock(9);
        UUID booking = booking(s.id());
        String batch = "dwa_batch_" + UUID.randomUUID();
        String changeset = "changeset_" + UUID.randomUUID();
        String body = "\r\n"
                + "--" + batch + "\r\n"
                + "Content-Type: multipart/mixed;boundary=" + changeset + "\r\n"
                + "\r\n"
                + "--" + changeset + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "Content-ID: 100001\r\n"
                + "\r\n"
                + "DELETE " + API + "new_bookings(" + booking + ") HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "\r\n"
                + "--" + changeset + "--\r\n"
                + "\r\n"
                + "--" + batch + "--\r\n";
        Response r = post(batch, body);
        r.then().statusCode(200);
        assertEquals(List.of(204), parseLikeDynamicsWebApi(r.asString()).stream().map(Result::status).toList());
        Api.given(dvemu).get("new_bookings(" + booking + ")").then().statusCode(404);
    }
}
