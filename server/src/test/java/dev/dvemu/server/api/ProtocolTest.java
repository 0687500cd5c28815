package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.RestAssured;
import io.restassured.path.xml.XmlPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The protocol surface (dataverse-web-api.md §0, §10): versions, content types, service document, $metadata, WhoAmI. */
@DvemuTest(reset = Reset.NEVER)
class ProtocolTest {
    static Dvemu dvemu;

    private static final String JSON_MINIMAL = "application/json; odata.metadata=minimal";
    private static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    // ---------- OData-Version and Content-Type ----------

    @Test
    void successfulReadCarriesODataVersionAndMinimalMetadataContentType() {
        Api.given(dvemu).queryParam("$top", "1").get("new_stocks").then().statusCode(200)
                .header("OData-Version", "4.0")
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL));
    }

    @Test
    void singleRowReadCarriesMinimalMetadataContentType() {
        String id = createStock();
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200)
                .header("OData-Version", "4.0")
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL));
    }

    @Test
    void noContentResponseCarriesODataVersion() {
        String id = createStock();
        Api.given(dvemu).contentType("application/json").body("{\"new_availablecount\":9}")
                .patch("new_stocks(" + id + ")").then().statusCode(204)
                .header("OData-Version", "4.0");
    }

    @Test
    void notModifiedResponseCarriesODataVersion() {
        String id = createStock();
        String etag = Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).extract().header("ETag");
        Api.given(dvemu).header("If-None-Match", etag).get("new_stocks(" + id + ")").then().statusCode(304)
                .header("OData-Version", "4.0");
    }

    @Test
    void errorResponseCarriesODataVersionAndJsonContentType() {
        Api.given(dvemu).get("new_stocks(" + UUID.randomUUID() + ")").then().statusCode(404)
                .header("OData-Version", "4.0")
                .contentType(startsWith("application/json"));
    }

    @Test
    void unauthorizedResponseCarriesODataVersion() {
        RestAssured.given().baseUri(dvemu.webApiUrl().toString()).get("new_stocks").then().statusCode(401)
                .header("OData-Version", "4.0")
                .contentType(startsWith("application/json"));
    }

    // ---------- requests without the recommended headers (§0) ----------

    @Test
    void collectionReadWorksWithoutAcceptOrODataHeaders() {
        bare().queryParam("$top", "1").get("new_stocks").then().statusCode(200)
                .header("OData-Version", "4.0")
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL));
    }

    @Test
    void createAndReadWorkWithoutAcceptOrODataHeaders() {
        String name = "p" + UUID.randomUUID();
        String location = bare().contentType("application/json").body("{\"new_name\":\"" + name + "\"}")
                .post("new_stocks").then().statusCode(204).extract().header("OData-EntityId");
        bare().get(location).then().statusCode(200).body("new_name", equalTo(name));
    }

    @Test
    void whoAmIWorksWithoutAcceptOrODataHeaders() {
        bare().get("WhoAmI()").then().statusCode(200).body("UserId", matchesPattern(GUID));
    }

    @Test
    void getUrlsUpToDataverseLimitAreAccepted() {
        // Dataverse accepts GET URLs up to 32,768 characters (§0); about 29,000 once percent-encoded
        StringBuilder filter = new StringBuilder("new_availablecount eq -1");
        while (filter.length() < 22_000) {
            filter.append(" or new_availablecount eq -1");
        }
        Api.given(dvemu).queryParam("$filter", filter.toString()).queryParam("$top", "1")
                .get("new_stocks").then().statusCode(200)
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL));
    }

    // ---------- service document and $metadata (§10) ----------

    @Test
    void serviceDocumentListsEveryEntitySet() {
        Response r = Api.given(dvemu).get("").then().statusCode(200)
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL))
                .body("'@odata.context'", equalTo(dvemu.webApiUrl().toString() + "$metadata"))
                .extract().response();
        List<String> names = r.jsonPath().getList("value.name");
        assertThat(names, containsInAnyOrder("accounts", "contacts", "new_bookings", "new_bookingslots", "new_stocks"));
        assertThat(r.jsonPath().getList("value.kind"), everyItem(equalTo("EntitySet")));
        for (String n : names) {
            assertEquals(n, r.jsonPath().getString("value.find { it.name == '" + n + "' }.url"));
        }
    }

    @Test
    void metadataIsCsdlXmlInTheDataverseNamespace() {
        // clients send Accept: application/json on every call and still get XML: Dataverse has no JSON CSDL (OData 4.01)
        String xml = Api.given(dvemu).get("$metadata").then().statusCode(200)
                .header("OData-Version", "4.0")
                .contentType(startsWith("application/xml"))
                .extract().asString();
        assertThat(xml, containsString("Namespace=\"Microsoft.Dynamics.CRM\""));
        assertThat(xml, containsString("Alias=\"mscrm\""));
    }

    @Test
    void metadataDescribesNewStockWithItsKey() {
        XmlPath x = metadata();
        assertEquals("new_stockid", x.getString(
                "**.find { it.name() == 'EntityType' && it.@Name == 'new_stock' }.Key.PropertyRef.@Name"));
        assertEquals("Edm.Guid", x.getString(
                "**.find { it.name() == 'EntityType' && it.@Name == 'new_stock' }.Property.find { it.@Name == 'new_stockid' }.@Type"));
    }

    @Test
    void metadataDescribesTheLookupOfNewBookingAsValuePropertyAndNavigationProperty() {
        XmlPath x = metadata();
        String type = "**.find { it.name() == 'EntityType' && it.@Name == 'new_booking' }";
        assertEquals("Edm.Guid", x.getString(type + ".Property.find { it.@Name == '_new_stockid_value' }.@Type"));
        assertEquals("mscrm.new_stock", x.getString(type + ".NavigationProperty.find { it.@Name == 'new_StockId' }.@Type"));
    }

    @Test
    void metadataDeclaresTheWhoAmIFunction() {
        XmlPath x = metadata();
        assertEquals("mscrm.WhoAmIResponse", x.getString("**.find { it.name() == 'Function' && it.@Name == 'WhoAmI' }.ReturnType.@Type"));
        assertEquals("Microsoft.Dynamics.CRM.WhoAmI", x.getString("**.find { it.name() == 'FunctionImport' && it.@Name == 'WhoAmI' }.@Function"));
    }

    @Test
    void metadataIsServedWhenXmlIsAskedFor() {
        // DynamicsWebApi asks for $metadata with Accept: application/xml (§10)
        RestAssured.given().baseUri(dvemu.webApiUrl().toString()).header("Authorization", "Bearer test-token")
                .header("Accept", "application/xml")
                .get("$metadata").then().statusCode(200)
                .contentType(startsWith("application/xml"))
                .body(containsString("Namespace=\"Microsoft.Dynamics.CRM\""));
    }

    // ---------- WhoAmI (§10) ----------

    @Test
    void whoAmIReturnsTheThreeIds() {
        Api.given(dvemu).get("WhoAmI()").then().statusCode(200)
                .header("OData-Version", "4.0")
                .header("Content-Type", equalToIgnoringSpaces(JSON_MINIMAL))
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"))
                .body("BusinessUnitId", matchesPattern(GUID))
                .body("UserId", matchesPattern(GUID))
                .body("OrganizationId", matchesPattern(GUID));
    }

    @Test
    void whoAmIWithoutParenthesesAnswersTheSame() {
        Response withParens = Api.given(dvemu).get("WhoAmI()").then().statusCode(200).extract().response();
        Api.given(dvemu).get("WhoAmI").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"))
                .body("UserId", equalTo(withParens.path("UserId")))
                .body("BusinessUnitId", equalTo(withParens.path("BusinessUnitId")))
                .body("OrganizationId", equalTo(withParens.path("OrganizationId")));
    }

    // ---------- outside the Web API ----------

    @Test
    void healthAnswers200() {
        RestAssured.given().baseUri(dvemu.webApiUrl().toString().replace("/api/data/v9.2/", ""))
                .get("/health").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void responsesCarryARequestId() {
        String first = Api.given(dvemu).get("WhoAmI()").then().statusCode(200)
                .header("REQ_ID", matchesPattern(GUID)).extract().header("REQ_ID");
        String second = Api.given(dvemu).get("new_stocks(" + UUID.randomUUID() + ")").then().statusCode(404)
                .header("REQ_ID", not(emptyOrNullString())).extract().header("REQ_ID");
        assertThat("each request gets its own id", second, not(equalTo(first)));
    }

    // ---------- helpers ----------

    /** Only the bearer token: no Accept, OData-Version or OData-MaxVersion. */
    private static RequestSpecification bare() {
        return RestAssured.given().baseUri(dvemu.webApiUrl().toString()).header("Authorization", "Bearer test-token");
    }

    /** The CSDL, asked for as XML so these checks do not depend on content negotiation (tested separately). */
    private static XmlPath metadata() {
        return new XmlPath(Api.given(dvemu).header("Accept", "application/xml").get("$metadata")
                .then().statusCode(200).extract().asString());
    }

    private static String createStock() {
        String location = Api.given(dvemu).contentType("application/json")
                .body("{\"new_name\":\"p" + UUID.randomUUID() + "\",\"new_availablecount\":1}")
                .post("new_stocks").then().statusCode(204).header("OData-Version", "4.0").extract().header("OData-EntityId");
        return location.substring(location.lastIndexOf('(') + 1, location.length() - 1);
    }

    private static org.hamcrest.Matcher<String> equalToIgnoringSpaces(String expected) {
        return org.hamcrest.Matchers.equalToCompressingWhiteSpace(expected);
    }
}
