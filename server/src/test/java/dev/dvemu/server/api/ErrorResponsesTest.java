package dev.dvemu.server.api;

import dev.dvemu.server.api.json.PayloadReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed requests (dataverse-web-api.md §0, §6, §10): a 4xx with a JSON {@code {"error":{"code","message"}}} body
 * and nothing written. Codes follow DataverseError where the spec does not give one.
 */
@DvemuTest(reset = Reset.NEVER)
class ErrorResponsesTest {
    static Dvemu dvemu;

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---------- addressing ----------

    @Test
    void unknownEntitySetIs404ResourceNotFoundForSegment() {
        errorOf(Api.given(dvemu).get("Account"), 404)
                .body("error.code", equalTo("0x8006088a"))
                .body("error.message", equalTo("Resource not found for the segment 'Account'."));
    }

    @Test
    void entitySetNamesAreCaseSensitive() {
        errorOf(Api.given(dvemu).get("New_Stocks"), 404)
                .body("error.code", equalTo("0x8006088a"))
                .body("error.message", equalTo("Resource not found for the segment 'New_Stocks'."));
    }

    @Test
    void missingRowIs404ObjectDoesNotExist() {
        String id = UUID.randomUUID().toString();
        errorOf(Api.given(dvemu).get("new_stocks(" + id + ")"), 404)
                .body("error.code", equalTo("0x80040217"));
    }

    // ---------- bodies ----------

    @Test
    void bodyOverTheLimitIs413AndWritesNothing() {
        String m = marker();
        // a valid object whose name fills it past 16 MiB: refused for its size, not parsed
        String body = "{\"new_name\":\"" + m + "\",\"new_availablecount\":1,\"x\":\"" + "a".repeat(PayloadReader.MAX_BODY_BYTES) + "\"}";
        errorOf(post("new_stocks", body), 413)
                .body("error.code", equalTo("0x8004418a"));
        assertNoStock(m);
    }

    @Test
    void bodyJustUnderTheLimitIsParsed() {
        String m = marker();
        String head = "{\"new_name\":\"" + m + "\",\"new_availablecount\":1}";
        // whitespace after the object: a body of exactly the limit is read whole and accepted
        String body = head + " ".repeat(PayloadReader.MAX_BODY_BYTES - head.length());
        assertEquals(PayloadReader.MAX_BODY_BYTES, body.getBytes(StandardCharsets.UTF_8).length);
        post("new_stocks", body).then().statusCode(204);
        assertEquals(1, Api.given(dvemu).queryParam("$filter", "new_name eq '" + m + "'").get("new_stocks")
                .then().statusCode(200).extract().jsonPath().getList("value").size());
    }

    @Test
    void unknownPropertyInBodyIs400InvalidProperty() {
        String m = marker();
        errorOf(post("new_stocks", "{\"new_name\":\"" + m + "\",\"nosuch\":1}"), 400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", containsString("Invalid property 'nosuch' was found in entity 'Microsoft.Dynamics.CRM.new_stock'."));
        assertNoStock(m);
    }

    @Test
    void wrongJsonTypeIs400() {
        String m = marker();
        errorOf(post("new_stocks", "{\"new_name\":\"" + m + "\",\"new_availablecount\":\"abc\"}"), 400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", containsString("Cannot convert the literal 'abc' to the expected type 'Edm.Int32'."));
        assertNoStock(m);
    }

    @Test
    void stringLongerThanMaxLengthIs400ValidationError() {
        String m = marker();
        String name = m + "x".repeat(101 - m.length()); // new_name allows 100
        errorOf(post("new_stocks", "{\"new_name\":\"" + name + "\"}"), 400)
                .body("error.code", equalTo("0x80044331"))
                .body("error.message", containsString("new_name"));
        assertNoStock(m);
    }

    @Test
    void stringOfExactlyMaxLengthIsAccepted() {
        String m = marker();
        String name = m + "x".repeat(100 - m.length());
        post("new_stocks", "{\"new_name\":\"" + name + "\"}").then().statusCode(204);
        assertEquals(1, countWhere("new_stocks", "new_name eq '" + name + "'"));
    }

    @Test
    void integerAboveMaxValueIs400ValidationError() {
        String m = marker();
        errorOf(post("accounts", "{\"name\":\"" + m + "\",\"numberofemployees\":1000000001}"), 400)
                .body("error.code", equalTo("0x80044331"))
                .body("error.message", containsString("numberofemployees"));
        assertEquals(0, countWhere("accounts", "name eq '" + m + "'"));
    }

    @Test
    void integerBelowMinValueIs400ValidationError() {
        String m = marker();
        errorOf(post("accounts", "{\"name\":\"" + m + "\",\"numberofemployees\":-1}"), 400)
                .body("error.code", equalTo("0x80044331"));
        assertEquals(0, countWhere("accounts", "name eq '" + m + "'"));
    }

    @Test
    void choiceValueNotAmongOptionsIs400ValidationError() {
        String m = marker();
        errorOf(post("new_bookings", "{\"new_name\":\"" + m + "\",\"new_status\":5}"), 400)
                .body("error.code", equalTo("0x80044331"))
                .body("error.message", containsString("new_status"));
        assertEquals(0, countWhere("new_bookings", "new_name eq '" + m + "'"));
    }

    @Test
    void malformedJsonIs400PayloadError() {
        String m = marker();
        errorOf(post("new_stocks", "{\"new_name\":\"" + m + "\","), 400)
                .body("error.code", equalTo("0x80048d19"));
        assertNoStock(m);
    }

    @Test
    void jsonArrayBodyIs400PayloadError() {
        String m = marker();
        errorOf(post("new_stocks", "[{\"new_name\":\"" + m + "\"}]"), 400)
                .body("error.code", equalTo("0x80048d19"));
        assertNoStock(m);
    }

    @Test
    void emptyBodyOnPostIs400() {
        long before = countWhere("new_stocks", "new_name eq null");
        errorOf(Api.given(dvemu).contentType("application/json").body("").post("new_stocks"), 400)
                .body("error.code", equalTo("0x80048d19"));
        // an empty body must not create an all-null row
        assertEquals(before, countWhere("new_stocks", "new_name eq null"));
    }

    @Test
    void nonJsonContentTypeOnPostIs415() {
        String m = marker();
        errorOf(Api.given(dvemu).contentType("text/plain").body("{\"new_name\":\"" + m + "\"}").post("new_stocks"), 415)
                .body("error.code", equalTo("0x80048d19"));
        assertNoStock(m);
    }

    @Test
    void failedPatchLeavesRowUnchanged() {
        String m = marker();
        String id = createStock(m, 7);
        errorOf(Api.given(dvemu).contentType("application/json")
                .body("{\"new_availablecount\":8,\"nosuch\":1}").patch("new_stocks(" + id + ")"), 400)
                .body("error.code", equalTo("0x0"));
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(7));
    }

    // ---------- protocol ----------

    @Test
    void missingBearerTokenIs401() {
        String m = marker();
        Response r = RestAssured.given().baseUri(dvemu.webApiUrl().toString())
                .contentType("application/json").body("{\"new_name\":\"" + m + "\"}").post("new_stocks");
        errorOf(r, 401).body("error.code", equalTo("0x80072560"));
        assertNoStock(m);
    }

    @Test
    void nonBearerAuthorizationIs401() {
        Response r = RestAssured.given().baseUri(dvemu.webApiUrl().toString())
                .header("Authorization", "Basic dXNlcjpwYXNz").get("new_stocks");
        errorOf(r, 401).body("error.code", equalTo("0x80072560"));
    }

    @Test
    void deleteOnCollectionIs405AndDeletesNothing() {
        String m = marker();
        createStock(m, 1);
        errorOf(Api.given(dvemu).delete("new_stocks"), 405)
                .body("error.code", equalTo("0x80060888"));
        assertEquals(1, countWhere("new_stocks", "new_name eq '" + m + "'"));
    }

    @Test
    void patchOnCollectionIs405() {
        String m = marker();
        createStock(m, 1);
        errorOf(Api.given(dvemu).contentType("application/json").body("{\"new_availablecount\":2}").patch("new_stocks"), 405)
                .body("error.code", equalTo("0x80060888"));
        assertEquals(1, countWhere("new_stocks", "new_name eq '" + m + "' and new_availablecount eq 1"));
    }

    @Test
    void putOnWholeRowIs405AndChangesNothing() {
        String m = marker();
        String id = createStock(m, 1);
        errorOf(Api.given(dvemu).contentType("application/json")
                .body("{\"new_name\":\"" + m + "\",\"new_availablecount\":2}").put("new_stocks(" + id + ")"), 405)
                .body("error.code", equalTo("0x80060888"));
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(1));
    }

    @Test
    void postToWhoAmIIsAClientErrorWithJsonBody() {
        // a function is GET only (§10: Dataverse answers 404 "No HTTP resource was found..."); 405 says the same
        Response r = Api.given(dvemu).contentType("application/json").body("{}").post("WhoAmI()");
        r.then().statusCode(anyOf(equalTo(404), equalTo(405)))
                .header("OData-Version", "4.0")
                .contentType(startsWith("application/json"))
                .body("error.code", notNullValue())
                .body("error.message", notNullValue());
    }

    @Test
    void aMalformedKeyIsQuotedInTheErrorAsTheClientSentIt() {
        Api.given(dvemu).get("new_stocks('abc')").then().statusCode(400)
                .body("error.message", startsWith("The key value ''abc'' is not valid for 'Microsoft.Dynamics.CRM.new_stock'"));
        Api.given(dvemu).get("new_stocks(123)").then().statusCode(400)
                .body("error.message", startsWith("The key value '123' is not valid"));
        Api.given(dvemu).contentType("application/json").body("{}").patch("new_stocks(not-a-guid)").then().statusCode(400)
                .body("error.message", startsWith("The key value 'not-a-guid' is not valid"));
    }

    @Test
    void aPathDvemuDoesNotServeYetNamesItsSegment() {
        String id = UUID.randomUUID().toString();
        Api.given(dvemu).get("new_stocks/$ref").then().statusCode(501).body("error.code", equalTo("0x80060888"))
                .body("error.message", containsString("(at the segment '$ref')"));
        Api.given(dvemu).get("accounts(" + id + ")/primarycontactid/fullname").then().statusCode(501)
                .body("error.message", containsString("(at the segment 'fullname')"));
    }

    // ---------- robustness: malformed input is a 4xx JSON error, never a 500 or a stack trace ----------

    @TestFactory
    Stream<DynamicTest> malformedRequestsAreClientErrors() {
        String nestedDeep = "{\"new_name\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String nestedObjects = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
        String huge = "{\"new_name\":\"" + "x".repeat(2_000_000) + "\"}";
        String manyProps = manyUnknownProperties(20_000);
        byte[] badUtf8 = concat("{\"new_name\":\"".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                "\"}".getBytes(StandardCharsets.UTF_8));
        String ghost = UUID.randomUUID().toString();

        Map<String, Raw> cases = new LinkedHashMap<>();
        // URLs
        cases.put("key that is not a guid", Raw.get("new_stocks(not-a-guid)"));
        cases.put("unclosed key", Raw.get("new_stocks("));
        cases.put("unterminated string key", Raw.get("new_stocks('x"));
        cases.put("guid with a bad digit", Raw.get("new_stocks(00000000-0000-0000-0000-00000000000g)"));
        cases.put("key on a column that is no alternate key", Raw.get("new_stocks(new_name='x')"));
        cases.put("bad percent encoding in path", Raw.get("new_stocks%zz"));
        cases.put("bad percent encoding alone", Raw.get("%zz"));
        cases.put("bad percent encoding in query", Raw.get("new_stocks?$filter=%zz"));
        cases.put("unknown entity set with unicode", Raw.get("new_st%C3%B6cks"));
        cases.put("unknown segment after a row", Raw.get("new_stocks(" + ghost + ")/nosuch"));
        cases.put("open parentheses", Raw.get("new_stocks?$filter=((("));
        cases.put("comparison without right side", Raw.get("new_stocks?$filter=new_name%20eq"));
        cases.put("unterminated string literal", Raw.get("new_stocks?$filter=new_name%20eq%20'O'Bryan'"));
        cases.put("text compared with integer column", Raw.get("new_stocks?$filter=new_availablecount%20eq%20'abc'"));
        cases.put("bad guid literal for lookup", Raw.get("new_bookings?$filter=_new_stockid_value%20eq%20not-a-guid"));
        cases.put("function with one argument", Raw.get("new_stocks?$filter=contains(new_name)"));
        cases.put("unknown function", Raw.get("new_stocks?$filter=nosuchfn(new_name,'a')"));
        cases.put("lambda on a column", Raw.get("new_stocks?$filter=new_name/any(x:x%20eq%20'a')"));
        cases.put("filter that is not a condition", Raw.get("new_stocks?$filter=new_availablecount"));
        cases.put("negative top", Raw.get("new_stocks?$top=-1"));
        cases.put("non-numeric top", Raw.get("new_stocks?$top=abc"));
        cases.put("top beyond int32", Raw.get("new_stocks?$top=99999999999999"));
        cases.put("orderby unknown column", Raw.get("new_stocks?$orderby=nosuch"));
        cases.put("orderby bad direction", Raw.get("new_stocks?$orderby=new_name%20sideways"));
        cases.put("select unknown column", Raw.get("new_stocks?$select=nosuch"));
        cases.put("empty select", Raw.get("new_stocks?$select="));
        cases.put("count not a boolean", Raw.get("new_stocks?$count=maybe"));
        cases.put("skiptoken never issued", Raw.get("new_stocks?$skiptoken=%25%25%25"));
        cases.put("skip", Raw.get("new_stocks?$skip=1"));
        cases.put("url longer than Dataverse allows", Raw.get("new_stocks?$filter=" + "new_availablecount%20eq%201%20or%20".repeat(1000)
                + "new_availablecount%20eq%202"));
        // bodies
        cases.put("truncated json", Raw.post("new_stocks", "{\"new_name\":"));
        cases.put("json string body", Raw.post("new_stocks", "\"just a string\""));
        cases.put("json null body", Raw.post("new_stocks", "null"));
        cases.put("trailing garbage", Raw.post("new_stocks", "{\"new_name\":\"a\"} x"));
        cases.put("duplicate property", Raw.post("new_stocks", "{\"new_name\":\"a\",\"new_name\":\"b\"}"));
        cases.put("number beyond double in body", Raw.post("new_stocks", "{\"new_availablecount\":1e400}"));
        cases.put("integer beyond int64 in body", Raw.post("new_stocks", "{\"new_availablecount\":99999999999999999999999}"));
        cases.put("fraction for an integer", Raw.post("new_stocks", "{\"new_availablecount\":1.5}"));
        cases.put("boolean for a string", Raw.post("new_stocks", "{\"new_name\":true}"));
        cases.put("object for a string", Raw.post("new_stocks", "{\"new_name\":{\"a\":1}}"));
        cases.put("deeply nested arrays", Raw.post("new_stocks", nestedDeep));
        cases.put("deeply nested objects", Raw.post("new_stocks", nestedObjects));
        cases.put("huge string", Raw.post("new_stocks", huge));
        cases.put("thousands of unknown properties", Raw.post("new_stocks", manyProps));
        cases.put("invalid utf-8 in body", new Raw("POST", "new_stocks", "application/json", badUtf8));
        cases.put("NUL character in a string", Raw.post("new_stocks", "{\"new_name\":\"a\\u0000b\"}"));
        cases.put("unicode property name", Raw.post("new_stocks", "{\"n\u00e9w_name\":\"\u65e5\u672c\"}"));
        cases.put("guid column with a bad guid", Raw.post("new_stocks", "{\"new_stockid\":\"not-a-guid\"}"));
        cases.put("bind to a non-url", Raw.post("new_bookings", "{\"new_StockId@odata.bind\":\"not a url\"}"));
        cases.put("bind to a missing row", Raw.post("new_bookings", "{\"new_StockId@odata.bind\":\"/new_stocks(" + ghost + ")\"}"));
        cases.put("bind to the wrong table", Raw.post("new_bookings", "{\"new_StockId@odata.bind\":\"/accounts(" + ghost + ")\"}"));
        cases.put("bind with a number", Raw.post("new_bookings", "{\"new_StockId@odata.bind\":42}"));
        cases.put("patch with a bad key", new Raw("PATCH", "new_stocks(not-a-guid)", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)));
        cases.put("xml body", new Raw("POST", "new_stocks", "application/xml",
                "<new_stock><new_name>a</new_name></new_stock>".getBytes(StandardCharsets.UTF_8)));

        // inputs a server may also answer with 200 (they are well-formed, only odd); never with a 5xx
        Map<String, Raw> odd = new LinkedHashMap<>();
        odd.put("invalid utf-8 in filter value", Raw.get("new_stocks?$filter=new_name%20eq%20'%C3%28%FF'"));
        odd.put("number beyond double in filter", Raw.get("new_stocks?$filter=new_availablecount%20eq%201e400"));
        odd.put("integer beyond int64 in filter", Raw.get("new_stocks?$filter=new_availablecount%20eq%20999999999999999999999999"));
        odd.put("unicode filter value", Raw.get("new_stocks?$filter=new_name%20eq%20'%E6%97%A5%F0%9F%98%80'"));

        Stream<DynamicTest> odds = odd.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + " (never 5xx)", () -> {
            RawResponse r = e.getValue().send();
            String where = e.getKey() + ": " + r.status + " " + abbreviate(r.body);
            assertTrue(r.status < 500, "expected no 5xx; " + where);
            if (r.status >= 400) {
                assertErrorBody(r, where);
            }
        }));

        return Stream.concat(cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            RawResponse r = e.getValue().send();
            String where = e.getKey() + ": " + r.status + " " + abbreviate(r.body);
            assertTrue(r.status >= 400 && r.status < 500, "expected a 4xx; " + where);
            assertErrorBody(r, where);
        })), odds);
    }

    private static void assertErrorBody(RawResponse r, String where) throws IOException {
        assertNotNull(r.header("content-type"), "no Content-Type; " + where);
        assertTrue(r.header("content-type").startsWith("application/json"), "not JSON; " + where);
        JsonNode error = JSON.readTree(r.body).get("error");
        assertNotNull(error, "no error object; " + where);
        assertTrue(error.hasNonNull("code") && error.get("code").isTextual(), "no error.code; " + where);
        assertTrue(error.hasNonNull("message") && error.get("message").isTextual(), "no error.message; " + where);
        assertNoJavaInternals(r.body, where);
    }

    /**
     * Dataverse's own messages quote .NET type names (Microsoft.OData.ODataException); anything that looks like a
     * Java exception or stack frame is a leak.
     */
    private static void assertNoJavaInternals(String body, String where) {
        String scrubbed = body.replace("Microsoft.OData.ODataException", "").replace("System.IO.IOException", "")
                .replace("InnerException", "");
        for (String leak : List.of("at dev.", "at org.", "at java.", "java.lang", "dev.dvemu", "org.apache", "com.fasterxml",
                "org.postgresql", ".java:", "Exception")) {
            assertFalse(scrubbed.contains(leak), "body leaks '" + leak + "'; " + where);
        }
    }

    // ---------- helpers ----------

    private static ValidatableResponse errorOf(Response r, int status) {
        return r.then().statusCode(status)
                .header("OData-Version", "4.0")
                .contentType(startsWith("application/json"))
                .body("error.code", notNullValue())
                .body("error.message", notNullValue())
                .body("error.message", not(containsString("at dev.")));
    }

    private static Response post(String set, String body) {
        return Api.given(dvemu).contentType("application/json").body(body).post(set);
    }

    private static String createStock(String name, int available) {
        String entityId = post("new_stocks", "{\"new_name\":\"" + name + "\",\"new_availablecount\":" + available + "}")
                .then().statusCode(204).extract().header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    private static void assertNoStock(String marker) {
        assertEquals(0, countWhere("new_stocks", "startswith(new_name,'" + marker + "')"), "a row was written");
    }

    private static long countWhere(String set, String filter) {
        String body = Api.given(dvemu).queryParam("$filter", filter).get(set + "/$count")
                .then().statusCode(200).extract().asString();
        return Long.parseLong(body.replace("\uFEFF", "").trim());
    }

    private static String marker() {
        return "e" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String manyUnknownProperties(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        return sb.append('}').toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /**
     * A request sent byte for byte over a socket: HTTP client libraries refuse to send many of these URLs
     * (bad percent escapes, unbalanced quotes), and the server must cope with them anyway.
     */
    private record Raw(String method, String path, String contentType, byte[] body) {
        static Raw get(String path) {
            return new Raw("GET", path, null, null);
        }

        static Raw post(String path, String json) {
            return new Raw("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        RawResponse send() throws IOException {
            String base = dvemu.webApiUrl().toString(); // http://host:port/api/data/v9.2/
            java.net.URI uri = java.net.URI.create(base);
            StringBuilder head = new StringBuilder();
            // HTTP/1.0 so the answer is neither chunked nor kept alive: read to end of stream
            head.append(method).append(' ').append(uri.getRawPath()).append(path).append(" HTTP/1.0\r\n");
            head.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            head.append("Authorization: Bearer test-token\r\n");
            head.append("Accept: application/json\r\n");
            head.append("OData-MaxVersion: 4.0\r\nOData-Version: 4.0\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                InputStream in = s.getInputStream();
                return RawResponse.parse(in.readAllBytes());
            }
        }
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        static RawResponse parse(byte[] bytes) {
            String all = new String(bytes, StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new AssertionError("no HTTP response: " + abbreviate(all));
            }
            String[] lines = all.substring(0, split).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            byte[] body = new byte[bytes.length - split - 4];
            System.arraycopy(bytes, split + 4, body, 0, body.length);
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }
}
