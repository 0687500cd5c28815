package dev.dvemu.server.api;

import dev.dvemu.server.api.query.ExpressionLimits;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and malformed input: expressions built to overflow a parser's stack, bytes that are not UTF-8, bodies
 * whose errors would make a parser or the database talk about itself. Each gets a Dataverse-style 4xx, answered per
 * part inside a batch, with nothing written and nothing of our internals in the body.
 */
@DvemuTest(reset = Reset.NEVER)
class HostileInputTest {
    static Dvemu dvemu;

    private static final String[] INTERNAL_WORDS = {"jackson", "JsonNode", "java.", "olingo", "PostgreSQL", "postgres",
            "SQLSTATE", "StackOverflow", "invalid byte sequence", "`"};

    private static void assertNamesNoInternals(Response r) {
        String body = r.asString();
        for (String word : INTERNAL_WORDS) {
            assertFalse(body.toLowerCase().contains(word.toLowerCase()), "the error names '" + word + "': " + body);
        }
    }

    private static Response getFiltered(String filter) {
        return Api.given(dvemu).urlEncodingEnabled(false).get("new_stocks?$select=new_name&$filter=" + enc(filter));
    }

    // ---------- expressions built to overflow a stack ----------

    @Test
    void aFilterNestedAThousandParenthesesDeepIsA400() {
        Response r = getFiltered("(".repeat(1000) + "new_name eq 'a'" + ")".repeat(1000));
        r.then().statusCode(400).body("error.message", containsString("nested more than 64 levels"));
        assertNamesNoInternals(r);
    }

    @Test
    void aFilterOfThreeHundredNestedNotsIsA400() {
        getFiltered("not ".repeat(300) + "(new_availablecount eq 1)").then().statusCode(400)
                .body("error.message", containsString("nested more than 64 levels"));
    }

    @Test
    void aFilterNestedWithinTheLimitIsAnswered() {
        getFiltered("(".repeat(60) + "new_name eq 'a'" + ")".repeat(60)).then().statusCode(200);
    }

    @Test
    void parenthesesInsideAStringLiteralDoNotCount() {
        getFiltered("new_name eq '" + "(".repeat(200) + "'").then().statusCode(200).body("value", hasSize(0));
    }

    @Test
    void anAliasNestedTooDeeplyIsA400() {
        Api.given(dvemu).urlEncodingEnabled(false)
                .get("new_stocks?$filter=" + enc("new_availablecount eq @p") + "&@p=" + enc("(".repeat(500) + "1" + ")".repeat(500)))
                .then().statusCode(400).body("error.message", containsString("nested more than 64 levels"));
    }

    @Test
    void aBatchPartWithTenThousandOrTermsIsAnsweredAloneAfterTheChangesetBeforeItCommitted() {
        String name = "hostile-" + UUID.randomUUID();
        String filter = IntStream.range(0, 10_000).mapToObj(i -> "new_availablecount eq " + i).collect(Collectors.joining(" or "));
        String body = "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n"
                + "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_name\":\"" + name + "\"}\r\n--cs--\r\n"
                + "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks?$filter=" + enc(filter) + " HTTP/1.1\r\nAccept: application/json\r\n\r\n--b--\r\n";
        Response r = batch("b", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode(), r.asString());
        String text = r.asString();
        assertTrue(text.contains("HTTP/1.1 204 No Content"), text);
        assertTrue(text.contains("HTTP/1.1 414"), text);
        getFiltered("new_name eq '" + name + "'").then().statusCode(200).body("value", hasSize(1));
    }

    @Test
    void aLongOrChainWithinTheBatchUrlLimitIsAnswered() {
        String filter = IntStream.range(0, 1_700).mapToObj(i -> "new_availablecount eq " + i).collect(Collectors.joining(" or "));
        String url = "new_stocks?$select=new_name&$filter=" + enc(filter);
        assertTrue(url.length() < 65_536);
        String body = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET " + url + " HTTP/1.1\r\nAccept: application/json\r\n\r\n--b--\r\n";
        Response r = batch("b", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("HTTP/1.1 200 OK"), r.asString());
    }

    @Test
    void expressionLimitsCountConditionsJoinedByAndAndOr() {
        String atLimit = IntStream.range(0, ExpressionLimits.MAX_CONDITIONS).mapToObj(i -> "a eq " + i).collect(Collectors.joining(" or "));
        ExpressionLimits.check("$filter", atLimit);
        String over = atLimit + " and b eq 1";
        dev.dvemu.server.error.DataverseException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.dvemu.server.error.DataverseException.class, () -> ExpressionLimits.check("$filter", over));
        assertTrue(e.getMessage().contains("more than 5000 conditions"), e.getMessage());
    }

    // ---------- bytes that are not UTF-8 ----------

    @Test
    void anOverlongUtf8SequenceInABodyIsRefusedNotRewritten() {
        String name = "overlong-" + UUID.randomUUID();
        // "C0 AF" is an overlong '/': a lenient decoder stores the name with a slash the client never sent
        Response r = postRaw(bytes("{\"new_name\":\"" + name, new byte[]{(byte) 0xC0, (byte) 0xAF}, "x\"}"));
        r.then().statusCode(400).body("error.message", containsString("not valid UTF-8"));
        getFiltered("startswith(new_name,'" + name + "')").then().body("value", hasSize(0));
    }

    @Test
    void anEncodedSurrogateInABodyIsRefused() {
        postRaw(bytes("{\"new_name\":\"s", new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}"))
                .then().statusCode(400).body("error.message", containsString("not valid UTF-8"));
    }

    @Test
    void anUnpairedSurrogateEscapeInABodyIsRefused() {
        Response r = postRaw("{\"new_name\":\"lone \\ud800 surrogate\"}".getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message", containsString("unpaired surrogate"));
    }

    @Test
    void aPropertyNameWithAnUnpairedSurrogateIsA400WithAReadableMessage() {
        Response r = postRaw("{\"bad\\ud800name\":1}".getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message", containsString("bad\uFFFDname"));
    }

    @Test
    void invalidUtf8PercentEncodedInTheUrlIsRefused() {
        Api.given(dvemu).urlEncodingEnabled(false).get("new_stocks?$filter=new_name%20eq%20%27a%C0%AFb%27")
                .then().statusCode(400).body("error.message", containsString("not valid UTF-8"));
    }

    @Test
    void invalidUtf8InABatchBodyIsRefusedBeforeAnythingRuns() {
        String name = "batch-utf8-" + UUID.randomUUID();
        byte[] body = bytes("--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n"
                + "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_name\":\"" + name + "\"}\r\n"
                + "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n"
                + "POST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_name\":\"x", new byte[]{(byte) 0xC0, (byte) 0xAF},
                "\"}\r\n--cs--\r\n--b--\r\n");
        Response r = batch("b", body);
        r.then().statusCode(400).body("error.message", containsString("not valid UTF-8"));
        getFiltered("new_name eq '" + name + "'").then().body("value", hasSize(0));
    }

    @Test
    void invalidUtf8InABatchPartUrlIsThatPartsError() {
        byte[] body = ("--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks?$filter=new_name%20eq%20%27%C0%AF%27 HTTP/1.1\r\nAccept: application/json\r\n\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Response r = batch("b", body);
        assertEquals(400, r.statusCode());
        assertTrue(r.asString().contains("HTTP/1.1 400 Bad Request") && r.asString().contains("not valid UTF-8"), r.asString());
    }

    // ---------- error bodies that would name our libraries or the database ----------

    @Test
    void trailingContentAfterTheJsonIsDescribedInOurWords() {
        Response r = postRaw("{\"new_name\":\"a\"} {\"new_name\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message", containsString("Unexpected content after the end of the JSON value"));
        assertNamesNoInternals(r);
    }

    @Test
    void jsonNestedTooDeeplyIsDescribedInOurWords() {
        Response r = postRaw(("{\"new_name\":" + "[".repeat(100) + "]".repeat(100) + "}").getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message", containsString("nested more than 64 levels"));
        assertNamesNoInternals(r);
    }

    @Test
    void truncatedJsonIsDescribedInOurWords() {
        Response r = postRaw("{\"new_name\":\"a\"".getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message", containsString("ends before its value is complete"));
        assertNamesNoInternals(r);
    }

    @Test
    void aNulCharacterInAFilterLiteralIsA400ThatDoesNotQuoteTheDatabase() {
        Response r = Api.given(dvemu).urlEncodingEnabled(false).get("new_stocks?$filter=new_name%20eq%20%27a%00b%27");
        r.then().statusCode(400).body("error.message", containsString("cannot be stored"));
        assertNamesNoInternals(r);
    }

    @Test
    void aNulCharacterInAKeyIsA400ThatDoesNotQuoteTheDatabase() {
        Response r = Api.given(dvemu).urlEncodingEnabled(false).get("accounts(accountnumber=%27a%00b%27)");
        assertEquals(400, r.statusCode(), r.asString());
        assertNamesNoInternals(r);
    }

    @Test
    void aRequestPropertyNamedLikeAPlaceholderIsQuotedAsSent() {
        Response r = postRaw("{\"{1}\":1}".getBytes(StandardCharsets.UTF_8));
        r.then().statusCode(400).body("error.message",
                equalTo("An error occurred while validating input parameters: Microsoft.OData.ODataException: Invalid property '{1}' was found in entity 'Microsoft.Dynamics.CRM.new_stock'."));
    }

    // ---------- helpers ----------

    private static Response postRaw(byte[] body) {
        return Api.given(dvemu).contentType("application/json").body(body).post("new_stocks");
    }

    private static Response batch(String boundary, byte[] body) {
        return Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary).body(body).post("$batch");
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
