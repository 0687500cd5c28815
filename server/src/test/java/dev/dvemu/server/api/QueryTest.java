package dev.dvemu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collection queries (dataverse-web-api.md §8). Every test filters on a marker prefix only its own rows carry,
 * because the database is shared with other test classes.
 */
@DvemuTest(reset = Reset.NEVER)
class QueryTest {
    static Dvemu dvemu;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rows shared by the read-only tests below: names m-alpha..m-echo with known counts. */
    private static String m;

    @BeforeAll
    static void createRows() {
        m = marker();
        stock(m + "-alpha", 1, 10);
        stock(m + "-bravo", 2, 20);
        stock(m + "-charlie", 3, 3);
        stock(m + "-delta", 4, null);
        stock(m + "-echo", 5, 1);
    }

    // ---------- $select ----------

    @Test
    void selectReturnsOnlyIdChosenColumnsAndEtag() {
        JsonNode row = json(Api.given(dvemu)
                .queryParam("$select", "new_name,new_availablecount")
                .queryParam("$filter", "new_name eq '" + m + "-alpha'")
                .get("new_stocks").then().statusCode(200).extract().response()).get("value").get(0);
        Set<String> fields = new LinkedHashSet<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("@odata.etag", "new_stockid", "new_name", "new_availablecount"), fields);
        assertEquals(m + "-alpha", row.get("new_name").asText());
        assertEquals(1, row.get("new_availablecount").asInt());
        assertThat(row.get("@odata.etag").asText(), startsWith("W/\""));
    }

    @Test
    void selectNamesTheColumnsInTheContextUrl() {
        Api.given(dvemu)
                .queryParam("$select", "new_name,new_availablecount")
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .get("new_stocks").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#new_stocks(new_name,new_availablecount)"));
    }

    @Test
    void selectOfUnknownPropertyIs400PropertyNotFound() {
        Api.given(dvemu).queryParam("$select", "nosuch")
                .get("new_stocks").then().statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", equalTo("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.new_stock'."));
    }

    // ---------- $filter: comparison operators ----------

    @Test
    void filterEq() {
        assertThat(names("new_availablecount eq 3"), contains(m + "-charlie"));
    }

    @Test
    void filterNe() {
        assertThat(names("new_availablecount ne 3"), containsInAnyOrder(m + "-alpha", m + "-bravo", m + "-delta", m + "-echo"));
    }

    @Test
    void filterGt() {
        assertThat(names("new_availablecount gt 3"), containsInAnyOrder(m + "-delta", m + "-echo"));
    }

    @Test
    void filterGe() {
        assertThat(names("new_availablecount ge 3"), containsInAnyOrder(m + "-charlie", m + "-delta", m + "-echo"));
    }

    @Test
    void filterLt() {
        assertThat(names("new_availablecount lt 3"), containsInAnyOrder(m + "-alpha", m + "-bravo"));
    }

    @Test
    void filterLe() {
        assertThat(names("new_availablecount le 3"), containsInAnyOrder(m + "-alpha", m + "-bravo", m + "-charlie"));
    }

    @Test
    void filterAnd() {
        assertThat(names("new_availablecount gt 1 and new_availablecount lt 4"), containsInAnyOrder(m + "-bravo", m + "-charlie"));
    }

    @Test
    void filterOr() {
        assertThat(names("new_availablecount eq 1 or new_availablecount eq 5"), containsInAnyOrder(m + "-alpha", m + "-echo"));
    }

    @Test
    void filterNot() {
        assertThat(names("not (new_availablecount le 3)"), containsInAnyOrder(m + "-delta", m + "-echo"));
    }

    @Test
    void filterParenthesesChangePrecedence() {
        // without parentheses 'and' binds tighter: (eq 1) or (eq 2 and eq 5) would be alpha only
        assertThat(names("(new_availablecount eq 1 or new_availablecount eq 2) and new_bookedcount eq 20"), contains(m + "-bravo"));
        assertThat(names("new_availablecount eq 1 or new_availablecount eq 2 and new_bookedcount eq 10"), contains(m + "-alpha"));
    }

    @Test
    void filterEqNullFindsRowsWithoutValue() {
        assertThat(names("new_bookedcount eq null"), contains(m + "-delta"));
    }

    @Test
    void filterNeNullFindsRowsWithValue() {
        assertThat(names("new_bookedcount ne null"), containsInAnyOrder(m + "-alpha", m + "-bravo", m + "-charlie", m + "-echo"));
    }

    // ---------- $filter: string functions and case ----------

    @Test
    void containsIgnoresCase() {
        assertThat(names("contains(new_name,'-CHARL')"), contains(m + "-charlie"));
    }

    @Test
    void startswithIgnoresCase() {
        String upper = m.toUpperCase() + "-BR";
        assertThat(namesWhere("startswith(new_name,'" + upper + "')"), contains(m + "-bravo"));
    }

    @Test
    void endswithIgnoresCase() {
        assertThat(names("endswith(new_name,'-DELTA')"), contains(m + "-delta"));
    }

    @Test
    void stringEqualityIgnoresCase() {
        assertThat(namesWhere("new_name eq '" + m.toUpperCase() + "-ECHO'"), contains(m + "-echo"));
    }

    @Test
    void stringOrderingComparisonIgnoresCase() {
        // the names are lower case and the bound upper case: byte-wise every name would sort after it
        assertThat(names("new_name lt '" + m.toUpperCase() + "-C'"), containsInAnyOrder(m + "-alpha", m + "-bravo"));
    }

    @Test
    void filterComparesTwoColumnsOfTheSameRow() {
        assertThat(names("new_availablecount eq new_bookedcount"), contains(m + "-charlie"));
        assertThat(names("new_availablecount gt new_bookedcount"), contains(m + "-echo"));
    }

    @Test
    void filterUsesParameterAlias() {
        List<String> names = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "') and new_availablecount eq @p1")
                .queryParam("@p1", "4")
                .get("new_stocks").then().statusCode(200).extract().jsonPath().getList("value.new_name");
        assertThat(names, contains(m + "-delta"));
    }

    @Test
    void filterUsesStringParameterAlias() {
        List<String> names = Api.given(dvemu)
                .queryParam("$filter", "new_name eq @p1")
                .queryParam("@p1", "'" + m + "-bravo'")
                .get("new_stocks").then().statusCode(200).extract().jsonPath().getList("value.new_name");
        assertThat(names, contains(m + "-bravo"));
    }

    @Test
    void filterOnLookupValue() {
        String stockA = stock(marker(), 1, 0);
        String stockB = stock(marker(), 1, 0);
        String bm = marker();
        booking(bm + "-1", stockA);
        booking(bm + "-2", stockB);
        booking(bm + "-3", stockA);
        List<String> names = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + bm + "') and _new_stockid_value eq " + stockA)
                .queryParam("$orderby", "new_name")
                .get("new_bookings").then().statusCode(200).extract().jsonPath().getList("value.new_name");
        assertThat(names, contains(bm + "-1", bm + "-3"));
    }

    @Test
    void filterValueWithEscapedQuote() {
        String prefix = marker();
        stock(prefix + " O'Bryan", 1, 1);
        stock(prefix + " OBryan", 1, 1);
        assertThat(namesWhere("new_name eq '" + prefix + " O''Bryan'"), contains(prefix + " O'Bryan"));
    }

    @Test
    void sqlInjectionLookingValueIsTreatedAsData() {
        // must match no row at all, not every row
        Api.given(dvemu)
                .queryParam("$filter", "new_name eq 'x'' or 1=1 --'")
                .get("new_stocks").then().statusCode(200)
                .body("value", empty());
    }

    @Test
    void sqlInjectionLookingValueIsStoredAndFoundVerbatim() {
        String name = marker() + "'; DROP TABLE new_stock; --";
        stock(name, 1, 1);
        assertThat(namesWhere("new_name eq '" + name.replace("'", "''") + "'"), contains(name));
    }

    @Test
    void fractionalLiteralIsComparedExactlyNotTruncated() {
        // 1 < 1.5 but 1 is not < 1 (what truncating 1.5 to an integer would ask)
        assertThat(names("new_availablecount lt 1.5"), contains(m + "-alpha"));
        assertThat(names("new_availablecount eq 2.5"), empty());
    }

    @Test
    void literalBeyondInt32NeverMatchesAWrappedValue() {
        // 4294967297 = 2^32 + 1: wrapping it to an int would match the row with 1
        Response r = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "') and new_availablecount eq 4294967297")
                .get("new_stocks");
        if (r.statusCode() == 400) {
            r.then().contentType(startsWith("application/json")).body("error.code", equalTo("0x0"));
        } else {
            r.then().statusCode(200).body("value", empty());
        }
    }

    // ---------- $filter: refusals ----------

    @Test
    void filterOnUnknownPropertyIs400PropertyNotFound() {
        Api.given(dvemu).queryParam("$filter", "nosuch eq 1")
                .get("new_stocks").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.code", equalTo("0x0"))
                .body("error.message", equalTo("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.new_stock'."));
    }

    @Test
    void filterFunctionOtherThanContainsStartswithEndswithIs400() {
        assertRefused(Api.given(dvemu).queryParam("$filter", "tolower(new_name) eq 'x'").get("new_stocks"));
    }

    @Test
    void filterArithmeticIs400() {
        assertRefused(Api.given(dvemu).queryParam("$filter", "new_availablecount add 1 eq 2").get("new_stocks"));
    }

    @Test
    void filterWithODataInOperatorIs400() {
        assertRefused(Api.given(dvemu).queryParam("$filter", "new_availablecount in (1,2)").get("new_stocks"));
    }

    // ---------- $orderby and $top ----------

    @Test
    void orderbyAscending() {
        assertThat(ordered("new_availablecount asc"),
                contains(m + "-alpha", m + "-bravo", m + "-charlie", m + "-delta", m + "-echo"));
    }

    @Test
    void orderbyDefaultsToAscending() {
        assertThat(ordered("new_availablecount"),
                contains(m + "-alpha", m + "-bravo", m + "-charlie", m + "-delta", m + "-echo"));
    }

    @Test
    void orderbyDescending() {
        assertThat(ordered("new_availablecount desc"),
                contains(m + "-echo", m + "-delta", m + "-charlie", m + "-bravo", m + "-alpha"));
    }

    @Test
    void orderbyMultipleKeys() {
        String p = marker();
        stock(p + "-a", 2, 1);
        stock(p + "-b", 1, 5);
        stock(p + "-c", 2, 9);
        stock(p + "-d", 1, 7);
        List<String> names = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + p + "')")
                .queryParam("$orderby", "new_availablecount asc,new_bookedcount desc")
                .get("new_stocks").then().statusCode(200).extract().jsonPath().getList("value.new_name");
        assertThat(names, contains(p + "-d", p + "-b", p + "-c", p + "-a"));
    }

    @Test
    void orderbyUnknownPropertyIs400() {
        Api.given(dvemu).queryParam("$orderby", "nosuch")
                .get("new_stocks").then().statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", equalTo("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.new_stock'."));
    }

    @Test
    void topLimitsRowsInOrderAndGivesNoNextLink() {
        Response r = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .queryParam("$orderby", "new_availablecount desc")
                .queryParam("$top", "2")
                .get("new_stocks").then().statusCode(200).extract().response();
        assertThat(r.jsonPath().getList("value.new_name"), contains(m + "-echo", m + "-delta"));
        assertThat(r.jsonPath().get("'@odata.nextLink'"), nullValue());
    }

    // ---------- $count ----------

    @Test
    void countTrueAddsODataCountRightAfterContext() {
        Response r = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .queryParam("$count", "true")
                .get("new_stocks").then().statusCode(200).extract().response();
        JsonNode body = json(r);
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("@odata.context", "@odata.count", "value"), keys);
        assertEquals(5, body.get("@odata.count").asInt());
    }

    @Test
    void countFalseOmitsODataCount() {
        Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .queryParam("$count", "false")
                .get("new_stocks").then().statusCode(200)
                .body("'@odata.count'", nullValue());
    }

    @Test
    void countSegmentReturnsPlainTextNumber() {
        String body = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "') and new_availablecount ge 2")
                .get("new_stocks/$count").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .extract().asString();
        // an older Dataverse prefixed a BOM (§8); the number is what matters
        assertEquals("4", body.replace("\uFEFF", "").trim());
    }

    // ---------- paging ----------

    @Test
    void maxPageSizeIsAppliedAndEchoed() {
        Response r = pageRequest(m).get("new_stocks").then().statusCode(200)
                .header("Preference-Applied", equalTo("odata.maxpagesize=2"))
                .extract().response();
        JsonNode body = json(r);
        assertEquals(2, body.get("value").size());
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("@odata.context", "value", "@odata.nextLink"), keys);
        assertThat(body.get("@odata.nextLink").asText(), startsWith(dvemu.webApiUrl().toString() + "new_stocks?"));
    }

    @Test
    void followingNextLinksReturnsEveryRowOnceInOrder() {
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String next = null;
        Response r = pageRequest(m).queryParam("$orderby", "new_name").get("new_stocks");
        while (true) {
            r.then().statusCode(200);
            pages++;
            JsonNode body = json(r);
            assertTrue(body.get("value").size() <= 2, "page larger than maxpagesize");
            body.get("value").forEach(v -> seen.add(v.get("new_name").asText()));
            next = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (next == null) {
                break;
            }
            assertTrue(pages < 10, "paging does not end");
            r = pagedFollow(next);
        }
        assertEquals(List.of(m + "-alpha", m + "-bravo", m + "-charlie", m + "-delta", m + "-echo"), seen);
        assertEquals(3, pages);
    }

    @Test
    void pagingWithoutOrderbyAlsoReturnsEveryRowOnce() {
        List<String> seen = followAll(pageRequest(m).get("new_stocks"));
        assertThat(seen, containsInAnyOrder(m + "-alpha", m + "-bravo", m + "-charlie", m + "-delta", m + "-echo"));
    }

    @Test
    void pagingOrderedByNonUniqueColumnReturnsEveryRowOnce() {
        String p = marker();
        for (int i = 0; i < 7; i++) {
            stock(p + "-" + i, i % 2, 0); // many ties on the sort key
        }
        List<String> seen = followAll(pageRequest(p).queryParam("$orderby", "new_availablecount desc").get("new_stocks"));
        assertThat(seen, hasSize(7));
        assertThat(new LinkedHashSet<>(seen), hasSize(7));
        assertThat(seen.subList(0, 3), containsInAnyOrder(p + "-1", p + "-3", p + "-5"));
    }

    @Test
    void pagingStaysStableWhenRowsAreInsertedAndDeletedBetweenPages() {
        String p = marker();
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String s : List.of("b", "d", "f", "h", "j", "l")) {
            ids.put(p + "-" + s, stock(p + "-" + s, 1, 1));
        }
        Response first = pageRequest(p).queryParam("$orderby", "new_name").get("new_stocks");
        JsonNode page1 = json(first.then().statusCode(200).extract().response());
        List<String> seen = new ArrayList<>();
        page1.get("value").forEach(v -> seen.add(v.get("new_name").asText()));
        assertEquals(List.of(p + "-b", p + "-d"), seen);

        // before the already-read position and after it
        stock(p + "-a", 1, 1);
        stock(p + "-c", 1, 1);
        stock(p + "-g", 1, 1);
        delete(ids.get(p + "-b"));
        delete(ids.get(p + "-f"));

        String next = page1.get("@odata.nextLink").asText();
        while (next != null) {
            JsonNode page = json(pagedFollow(next).then().statusCode(200).extract().response());
            page.get("value").forEach(v -> seen.add(v.get("new_name").asText()));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        assertEquals(new LinkedHashSet<>(seen).size(), seen.size(), "a row was returned twice: " + seen);
        // every surviving row after the read position appears; rows inserted after it appear too
        assertEquals(List.of(p + "-b", p + "-d", p + "-g", p + "-h", p + "-j", p + "-l"), seen);
    }

    @Test
    void nextLinkKeepsTheFilter() {
        Response r = pageRequest(m).get("new_stocks");
        String next = json(r).get("@odata.nextLink").asText();
        for (JsonNode v : json(pagedFollow(next).then().statusCode(200).extract().response()).get("value")) {
            assertThat(v.get("new_name").asText(), startsWith(m));
        }
    }

    @Test
    void maxPageSizeAboveFiveThousandIsNotApplied() {
        Api.given(dvemu).header("Prefer", "odata.maxpagesize=6000")
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .get("new_stocks").then().statusCode(200)
                .header("Preference-Applied", nullValue())
                .body("value", hasSize(5));
    }

    @Test
    void skipTokenThatWasNotIssuedIs400() {
        Response r = Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .queryParam("$skiptoken", "garbage!")
                .get("new_stocks");
        assertRefused(r);
    }

    // ---------- unsupported options ----------

    @Test
    void skipIsRefusedAsInDataverse() {
        Api.given(dvemu).queryParam("$skip", "2")
                .get("new_stocks").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.code", notNullValue())
                .body("error.message", equalTo("The query parameter $skip is not supported"));
    }

    @Test
    void searchIsRefusedAsInDataverse() {
        Api.given(dvemu).queryParam("$search", "abc")
                .get("new_stocks").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.message", equalTo("The query parameter $search is not supported"));
    }

    // ---------- helpers ----------

    private static void assertRefused(Response r) {
        r.then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.code", notNullValue())
                .body("error.message", notNullValue());
    }

    /** Names of the shared marker rows matching {@code condition}, in name order. */
    private static List<String> names(String condition) {
        return namesWhere("startswith(new_name,'" + m + "') and (" + condition + ")");
    }

    private static List<String> namesWhere(String filter) {
        return Api.given(dvemu)
                .queryParam("$filter", filter)
                .queryParam("$orderby", "new_name")
                .get("new_stocks").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .extract().jsonPath().getList("value.new_name");
    }

    private static List<String> ordered(String orderby) {
        return Api.given(dvemu)
                .queryParam("$filter", "startswith(new_name,'" + m + "')")
                .queryParam("$orderby", orderby)
                .get("new_stocks").then().statusCode(200).extract().jsonPath().getList("value.new_name");
    }

    private static io.restassured.specification.RequestSpecification pageRequest(String prefix) {
        return Api.given(dvemu).header("Prefer", "odata.maxpagesize=2")
                .queryParam("$filter", "startswith(new_name,'" + prefix + "')");
    }

    /** Clients resend the same maxpagesize and must not alter the link (§8). */
    private static Response pagedFollow(String nextLink) {
        return Api.given(dvemu).header("Prefer", "odata.maxpagesize=2").urlEncodingEnabled(false).get(nextLink);
    }

    private static List<String> followAll(Response first) {
        List<String> seen = new ArrayList<>();
        Response r = first;
        for (int pages = 1; ; pages++) {
            JsonNode body = json(r.then().statusCode(200).extract().response());
            assertTrue(body.get("value").size() <= 2);
            body.get("value").forEach(v -> seen.add(v.get("new_name").asText()));
            if (!body.has("@odata.nextLink")) {
                return seen;
            }
            assertTrue(pages < 50, "paging does not end");
            r = pagedFollow(body.get("@odata.nextLink").asText());
        }
    }

    static String marker() {
        return "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates a stock row and returns its id. */
    static String stock(String name, Integer available, Integer booked) {
        String body = "{\"new_name\":" + quote(name)
                + ",\"new_availablecount\":" + available
                + ",\"new_bookedcount\":" + booked + "}";
        String entityId = Api.given(dvemu).contentType("application/json").body(body)
                .post("new_stocks").then().statusCode(204).extract().header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    static void booking(String name, String stockId) {
        Api.given(dvemu).contentType("application/json")
                .body("{\"new_name\":" + quote(name) + ",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\"}")
                .post("new_bookings").then().statusCode(204);
    }

    static void delete(String id) {
        Api.given(dvemu).delete("new_stocks(" + id + ")").then().statusCode(204);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(Response r) {
        try {
            return JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }
}
