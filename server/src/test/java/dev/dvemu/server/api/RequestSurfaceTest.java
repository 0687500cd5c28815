package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit of every query option, {@code Prefer} preference and header that changes what Dataverse returns: each
 * row sends it and checks that dvemu implements it, refuses it by name (400 where Dataverse refuses it, 501 where
 * dvemu does not have it yet), or ignores it — answering exactly as without it. A last test checks that every item
 * of {@link RequestSurface}'s tables has a row here, so the table and the audit cannot drift apart.
 */
@DvemuTest(reset = Reset.NEVER)
class RequestSurfaceTest {
    static Dvemu dvemu;

    private static String prefix;
    private static String stockId;
    /** A query only this class's rows answer, in a fixed order. */
    private static String base;

    @BeforeAll
    static void rows() {
        Rows.use(dvemu);
        prefix = "surface-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 3; i++) {
            String id = Rows.create("new_stocks", "new_stockid",
                    "{\"new_name\":\"" + prefix + "-" + i + "\",\"new_availablecount\":" + (1000 + i) + "}").id();
            if (i == 1) {
                stockId = id;
            }
        }
        base = "new_stocks?$select=new_name,new_availablecount&$filter=" + enc("startswith(new_name,'" + prefix + "')")
                + "&$orderby=new_name";
    }

    /** What the audit expects of one item. */
    sealed interface Expect permits Refused, Ignored, Implemented {
    }

    /** Refused with this status, code and a message naming the item. */
    record Refused(int status, String code, String names) implements Expect {
    }

    /** Answered exactly as the same request without the item (status and body). */
    record Ignored(Request without) implements Expect {
    }

    /** Implemented: the answer passes this check. */
    record Implemented(Consumer<Response> check) implements Expect {
    }

    record Request(String method, String url, Map<String, String> headers, String body) {
        static Request get(String url, String... headers) {
            return new Request("GET", url, headerMap(headers), null);
        }

        static Request send(String method, String url, String body, String... headers) {
            return new Request(method, url, headerMap(headers), body);
        }

        Response send() {
            RequestSpecification spec = Api.given(dvemu).urlEncodingEnabled(false).headers(headers);
            if (body != null) {
                spec = spec.contentType("application/json").body(body);
            }
            return spec.request(method, url);
        }
    }

    record Row(String kind, String item, Request request, Expect expect) {
        @Override
        public String toString() {
            return kind + " " + item;
        }
    }

    static Stream<Row> surface() {
        String single = "new_stocks(" + stockId + ")";
        String metadata = "$metadata";
        String patchBody = "{\"new_bookedcount\":1}";
        List<Row> rows = new ArrayList<>(List.of(
                // system query options (§8)
                option("$select", Request.get(base), implemented(r -> r.then().statusCode(200).body("value", hasSize(3)))),
                option("$filter", Request.get(base), implemented(r -> r.then().statusCode(200).body("value[0].new_name", equalTo(prefix + "-1")))),
                option("$orderby", Request.get(base.replace("$orderby=new_name", "$orderby=new_name%20desc")),
                        implemented(r -> r.then().statusCode(200).body("value[0].new_name", equalTo(prefix + "-3")))),
                option("$top", Request.get(base + "&$top=1"), implemented(r -> r.then().statusCode(200).body("value", hasSize(1)))),
                option("$count", Request.get(base + "&$count=true"), implemented(r -> r.then().statusCode(200).body("'@odata.count'", equalTo(3)))),
                option("$skiptoken", Request.get(base, "Prefer", "odata.maxpagesize=2"), implemented(r -> {
                    String next = r.then().statusCode(200).extract().path("'@odata.nextLink'");
                    Api.given(dvemu).urlEncodingEnabled(false).get(next.substring(next.indexOf("new_stocks")))
                            .then().statusCode(200).body("value", hasSize(1)).body("value[0].new_name", equalTo(prefix + "-3"));
                })),
                option("$expand", Request.get(base + "&$expand=new_stock_bookings($select=new_name)"),
                        implemented(r -> r.then().statusCode(200).body("value[0].new_stock_bookings", hasSize(0)))),
                option("$expand on PATCH", Request.send("PATCH", single + "?$expand=new_StockId", patchBody),
                        new Ignored(Request.send("PATCH", single, patchBody))),
                option("$apply", Request.get("new_stocks?$apply=" + enc("aggregate(new_availablecount with sum as total)")), notYet("$apply")),
                option("$deltatoken", Request.get("new_stocks?$select=new_name&$deltatoken=919042"), notYet("Change tracking")),
                option("$id", Request.send("DELETE", single + "/new_stock_bookings/$ref?$id=" + enc("new_bookings(" + UUID.randomUUID() + ")"), null),
                        implemented(r -> r.then().statusCode(404).body("error.code", equalTo("0x80040217")))),
                option("$skip", Request.get(base + "&$skip=1"), notSupported("$skip")),
                option("$search", Request.get(base + "&$search=blue"), notSupported("$search")),
                option("$format", Request.get(base + "&$format=json"), notSupported("$format")),
                option("$compute", Request.get(base + "&$compute=" + enc("new_availablecount add 1 as more")), notSupported("$compute")),
                option("$levels", Request.get(base + "&$levels=2"), notSupported("$levels")),
                option("$index", Request.get(base + "&$index=1"), notSupported("$index")),
                option("$schemaversion", Request.get(base + "&$schemaversion=1"), notSupported("$schemaversion")),
                option("an unknown $option", Request.get(base + "&$unheardof=1"), notSupported("$unheardof")),
                // custom query options Dataverse knows
                custom("fetchxml", Request.get("new_stocks?fetchXml=" + enc("<fetch top=\"1\"><entity name=\"new_stock\"/></fetch>")), notYet("FetchXML")),
                custom("savedquery", Request.get("new_stocks?savedQuery=" + UUID.randomUUID()), notYet("Saved queries")),
                custom("userquery", Request.get("new_stocks?userQuery=" + UUID.randomUUID()), notYet("User queries")),
                custom("tag", Request.get(base + "&tag=abc"), new Ignored(Request.get(base))),
                custom("tag on a write", Request.send("PATCH", single + "?tag=abc", patchBody), new Ignored(Request.send("PATCH", single, patchBody))),
                custom("annotations", Request.get(metadata + "?annotations=true"), notYet("annotations=true")),
                custom("annotations=false", Request.get(metadata + "?annotations=false"), new Ignored(Request.get(metadata))),
                custom("an unknown custom option", Request.get(base + "&somethingelse=1"), new Ignored(Request.get(base))),
                // Prefer (§0, §8)
                preference("return", Request.send("POST", "new_stocks", "{\"new_name\":\"post-" + prefix + "\"}", "Prefer", "return=representation"),
                        implemented(r -> r.then().statusCode(201).header("Preference-Applied", "return=representation"))),
                preference("odata.include-annotations", Request.get(base, "Prefer", "odata.include-annotations=\"*\""),
                        implemented(r -> r.then().statusCode(200)
                                .body("value[0].'new_availablecount@OData.Community.Display.V1.FormattedValue'", equalTo("1,001")))),
                preference("odata.include-annotations totalrecordcount", Request.get(base + "&$count=true", "Prefer",
                                "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\""),
                        implemented(r -> r.then().statusCode(200).body("'@Microsoft.Dynamics.CRM.totalrecordcount'", equalTo(3))
                                .body("'@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'", equalTo(false)))),
                preference("odata.include-annotations totalrecordcount without $count", Request.get(base, "Prefer",
                                "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount\""),
                        implemented(r -> r.then().statusCode(200).body("'@Microsoft.Dynamics.CRM.totalrecordcount'", equalTo(-1)))),
                preference("odata.maxpagesize", Request.get(base, "Prefer", "odata.maxpagesize=1"),
                        implemented(r -> r.then().statusCode(200).header("Preference-Applied", "odata.maxpagesize=1")
                                .body("'@odata.nextLink'", notNullValue()))),
                preference("odata.continue-on-error", Request.get(base, "Prefer", "odata.continue-on-error"), new Ignored(Request.get(base))),
                preference("odata.track-changes", Request.get(base, "Prefer", "odata.track-changes"), notYet("Change tracking")),
                preference("odata.track-changes on one row", Request.get(single, "Prefer", "odata.track-changes"), notYet("Change tracking")),
                preference("odata.track-changes among others", Request.get(base, "Prefer", "odata.include-annotations=\"*\", odata.track-changes"),
                        notYet("Change tracking")),
                preference("respond-async", Request.get(base, "Prefer", "respond-async"), new Ignored(Request.get(base))),
                preference("odata.callback", Request.get(base, "Prefer", "odata.callback; url=\"http://example.com/cb\""), new Ignored(Request.get(base))),
                preference("wait", Request.get(base, "Prefer", "wait=10"), new Ignored(Request.get(base))),
                preference("odata.allow-entityreferences", Request.get(base, "Prefer", "odata.allow-entityreferences"), new Ignored(Request.get(base))),
                preference("handling", Request.get(base, "Prefer", "handling=strict"), new Ignored(Request.get(base))),
                // headers (§0, dataverse-features.md §f)
                header("if-match", Request.send("PATCH", single, patchBody, "If-Match", "W/\"1\""),
                        implemented(r -> r.then().statusCode(412).body("error.code", equalTo("0x80060882")))),
                header("if-none-match", Request.get(single, "If-None-Match", "null"), implemented(r -> r.then().statusCode(200))),
                header("prefer", Request.get(base, "Prefer", "odata.maxpagesize=1"), implemented(r -> r.then().statusCode(200)
                        .header("Preference-Applied", "odata.maxpagesize=1"))),
                header("mscrmcallerid", Request.get("WhoAmI", "MSCRMCallerID", "11111111-2222-3333-4444-555555555555"),
                        implemented(r -> r.then().statusCode(200).body("UserId", equalTo("11111111-2222-3333-4444-555555555555")))),
                header("callerobjectid", Request.get("WhoAmI", "CallerObjectId", "66666666-2222-3333-4444-555555555555"),
                        implemented(r -> r.then().statusCode(200).body("UserId", equalTo("66666666-2222-3333-4444-555555555555")))),
                header("mscrmcallerid that is not a GUID", Request.get("WhoAmI", "MSCRMCallerID", "somebody"),
                        new Refused(400, "0x0", "MSCRMCallerID")),
                header("mscrm.suppressduplicatedetection", Request.send("PATCH", single, patchBody, "MSCRM.SuppressDuplicateDetection", "false"),
                        new Ignored(Request.send("PATCH", single, patchBody))),
                header("mscrm.bypasscustompluginexecution", Request.send("PATCH", single, patchBody, "MSCRM.BypassCustomPluginExecution", "true"),
                        new Ignored(Request.send("PATCH", single, patchBody))),
                header("mscrm.bypassbusinesslogicexecution", Request.send("PATCH", single, patchBody, "MSCRM.BypassBusinessLogicExecution", "CustomSync"),
                        new Ignored(Request.send("PATCH", single, patchBody))),
                header("mscrm.bypassbusinesslogicexecutionstepids", Request.send("PATCH", single, patchBody,
                        "MSCRM.BypassBusinessLogicExecutionStepIds", UUID.randomUUID().toString()), new Ignored(Request.send("PATCH", single, patchBody))),
                header("mscrm.solutionuniquename", Request.get(base, "MSCRM.SolutionUniqueName", "mysolution"), new Ignored(Request.get(base))),
                header("mscrm.mergelabels", Request.get(base, "MSCRM.MergeLabels", "true"), new Ignored(Request.get(base))),
                header("consistency", Request.get(base, "Consistency", "Strong"), new Ignored(Request.get(base)))));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surface")
    void answersAsTheAuditSays(Row row) {
        Response answer = row.request().send();
        if (row.expect() instanceof Refused refused) {
            answer.then().statusCode(refused.status()).body("error.code", equalTo(refused.code()))
                    .body("error.message", containsString(refused.names()));
        } else if (row.expect() instanceof Ignored ignored) {
            Response without = ignored.without().send();
            assertEquals(without.statusCode(), answer.statusCode(), answer.asString());
            assertEquals(masked(without.asString()), masked(answer.asString()));
        } else {
            ((Implemented) row.expect()).check().accept(answer);
        }
    }

    @Test
    void inABatchARefusedGetPartIsAnsweredByName() {
        String boundary = "batch_" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET new_stocks?fetchXml=" + enc("<fetch top=\"1\"><entity name=\"new_stock\"/></fetch>") + " HTTP/1.1\r\n"
                + "Accept: application/json\r\n\r\n--" + boundary + "--\r\n";
        String answer = Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch").then().statusCode(400).extract().asString();
        assertTrue(answer.contains("HTTP/1.1 501"), answer);
        assertTrue(answer.contains("FetchXML"), answer);
    }

    @Test
    void everyItemOfTheSurfaceHasARowInThisAudit() {
        Set<String> audited = surface().map(r -> r.kind() + " " + r.item()).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        Map<String, Map<String, RequestSurface.Item>> tables = new LinkedHashMap<>();
        tables.put("option", RequestSurface.SYSTEM_QUERY_OPTIONS);
        tables.put("custom", RequestSurface.CUSTOM_QUERY_OPTIONS);
        tables.put("preference", RequestSurface.PREFERENCES);
        tables.put("header", RequestSurface.HEADERS);
        tables.forEach((kind, table) -> table.keySet().stream().filter(name -> !audited.contains(kind + " " + name))
                .forEach(name -> missing.add(kind + " " + name)));
        assertTrue(missing.isEmpty(), "items of RequestSurface without an audit row: " + missing);
    }

    /** Row versions and timestamps change with every write; the rest of an answer must be identical. */
    private static String masked(String body) {
        return body.replaceAll("W/\\\\?\"\\d+\\\\?\"", "W/\"n\"").replaceAll("\"versionnumber\":\\d+", "\"versionnumber\":n")
                .replaceAll("\"modifiedon\":\"[^\"]*\"", "\"modifiedon\":\"t\"");
    }

    private static Row option(String item, Request request, Expect expect) {
        return new Row("option", item, request, expect);
    }

    private static Row custom(String item, Request request, Expect expect) {
        return new Row("custom", item, request, expect);
    }

    private static Row preference(String item, Request request, Expect expect) {
        return new Row("preference", item, request, expect);
    }

    private static Row header(String item, Request request, Expect expect) {
        return new Row("header", item, request, expect);
    }

    private static Expect implemented(Consumer<Response> check) {
        return new Implemented(check);
    }

    private static Expect notYet(String names) {
        return new Refused(501, "0x80060888", names);
    }

    private static Expect notSupported(String option) {
        return new Refused(400, "0x0", "The query parameter " + option + " is not supported");
    }

    private static Map<String, String> headerMap(String... nameValues) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.put(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
