package dev.dvemu.server.api;

import dev.dvemu.server.api.json.Annotations;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DvemuTest(reset = Reset.NEVER)
class FormattedValueAnnotationsTest {
    static Dvemu dvemu;

    private static final String FORMATTED = "@OData.Community.Display.V1.FormattedValue";

    private static String createBooking() {
        UUID stock = UUID.randomUUID();
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"annotated stock\"}")
                .patch("new_stocks(" + stock + ")").then().statusCode(204);
        UUID booking = UUID.randomUUID();
        Api.given(dvemu).contentType("application/json")
                .body("{\"new_name\":\"annotated\",\"new_quantity\":1200,\"new_StockId@odata.bind\":\"/new_stocks(" + stock + ")\"}")
                .patch("new_bookings(" + booking + ")").then().statusCode(204);
        return "new_bookings(" + booking + ")";
    }

    @Test
    void allAnnotationsAddChoiceLabelsNumbersAndLookupNames() {
        String url = createBooking();
        Response r = Api.given(dvemu).header("Prefer", "odata.include-annotations=\"*\"").get(url);
        r.then().statusCode(200)
                .header("Preference-Applied", containsString("odata.include-annotations=\"*\""))
                .body("'new_status" + FORMATTED + "'", equalTo("Pending"))
                .body("'new_quantity" + FORMATTED + "'", equalTo("1,200"))
                .body("'_new_stockid_value@Microsoft.Dynamics.CRM.lookuplogicalname'", equalTo("new_stock"))
                .body("'_new_stockid_value@Microsoft.Dynamics.CRM.associatednavigationproperty'", equalTo("new_StockId"));
        String body = r.asString();
        assertTrue(body.indexOf("new_status" + FORMATTED) < body.indexOf("\"new_status\""),
                "an annotation precedes the property it annotates");
    }

    @Test
    void onlyTheNamedAnnotationIsWritten() {
        String url = createBooking();
        Api.given(dvemu).header("Prefer", "odata.include-annotations=\"" + FORMATTED.substring(1) + "\"").get(url)
                .then().statusCode(200)
                .body("'new_status" + FORMATTED + "'", equalTo("Pending"))
                .body("'_new_stockid_value@Microsoft.Dynamics.CRM.lookuplogicalname'", nullValue());
    }

    @Test
    void withoutThePreferenceThereAreNoAnnotations() {
        String url = createBooking();
        String body = Api.given(dvemu).get(url).then().statusCode(200).extract().asString();
        assertFalse(body.contains(FORMATTED));
    }

    @Test
    void annotationsAreAlsoWrittenOnCollectionsAndWithReturnRepresentation() {
        createBooking();
        Api.given(dvemu).header("Prefer", "odata.include-annotations=\"*\"")
                .queryParam("$filter", "new_name eq 'annotated'").queryParam("$top", "1")
                .get("new_bookings").then().statusCode(200)
                .body("value[0].'new_status" + FORMATTED + "'", equalTo("Pending"));
        Api.given(dvemu).contentType("application/json")
                .header("Prefer", "return=representation,odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"")
                .body("{\"new_name\":\"annotated rep\",\"new_status\":100000001}")
                .post("new_bookings").then().statusCode(201)
                .body("'new_status" + FORMATTED + "'", equalTo("Confirmed"));
    }

    @Test
    void exclusionsWinOverWildcards() {
        Annotations a = Annotations.parse(java.util.Optional.of("\"*,-Microsoft.Dynamics.CRM.lookuplogicalname\""));
        assertTrue(a.includes(Annotations.FORMATTED_VALUE));
        assertFalse(a.includes(Annotations.LOOKUP_LOGICAL_NAME));
        Annotations b = Annotations.parse(java.util.Optional.of("OData.Community.Display.V1.*"));
        assertTrue(b.includes(Annotations.FORMATTED_VALUE));
        assertFalse(b.includes(Annotations.ASSOCIATED_NAVIGATION_PROPERTY));
    }
}
