package dev.dvemu.server.relationships;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "many" side of a one-to-many relationship as a path ({@code accounts(<id>)/contact_customer_accounts}) with the
 * query options of any collection, and both navigation properties in {@code $metadata}, partnered as Dataverse
 * declares them.
 */
@DvemuTest(reset = Reset.NEVER)
class CollectionNavigationTest {
    static Dvemu dvemu;

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static String account(String number) {
        return create("accounts", "{\"name\":\"account " + number + "\",\"accountnumber\":\"" + number + "\"}");
    }

    /** A short, unique account number (the column holds 20 characters). */
    private static String number() {
        return "N-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static String contact(String name, String account) {
        return create("contacts", "{\"fullname\":\"" + name + "\",\"parentcustomerid_account@odata.bind\":\"accounts(" + account + ")\"}");
    }

    @Test
    void theRowsWhoseLookupPointsAtTheRowAreItsCollection() {
        String account = account(number());
        String other = account(number());
        String first = contact("Ada", account);
        String second = contact("Grace", account);
        contact("Someone else", other);
        JsonPath body = Api.given(dvemu).queryParam("$select", "fullname").queryParam("$orderby", "fullname")
                .get("accounts(" + account + ")/contact_customer_accounts")
                .then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#contacts(fullname)"))
                .extract().jsonPath();
        assertEquals(List.of("Ada", "Grace"), body.getList("value.fullname"));
        assertEquals(List.of(first, second), body.getList("value.contactid"));
        assertTrue(body.getString("value[0].'@odata.etag'").startsWith("W/\""));
    }

    @Test
    void filterOrderTopAndCountApplyWithinTheRelatedRows() {
        String account = account(number());
        for (String name : List.of("Ann", "Bob", "Cid", "Dee")) {
            contact(name, account);
        }
        account(number());
        String path = "accounts(" + account + ")/contact_customer_accounts";
        JsonPath body = Api.given(dvemu).queryParam("$filter", "fullname ne 'Bob'").queryParam("$orderby", "fullname desc")
                .queryParam("$top", "2").queryParam("$count", "true").queryParam("$select", "fullname")
                .get(path).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("Dee", "Cid"), body.getList("value.fullname"));
        assertEquals(3, body.getInt("'@odata.count'"));
        Api.given(dvemu).get(path + "/$count").then().statusCode(200).body(equalTo("4"));
    }

    @Test
    void aPageSizePagesTheRelatedRowsWithANextLink() {
        String account = account(number());
        for (String name : List.of("P1", "P2", "P3")) {
            contact(name, account);
        }
        String path = "accounts(" + account + ")/contact_customer_accounts";
        JsonPath first = Api.given(dvemu).header("Prefer", "odata.maxpagesize=2").queryParam("$select", "fullname")
                .queryParam("$orderby", "fullname").get(path).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("P1", "P2"), first.getList("value.fullname"));
        String next = first.getString("'@odata.nextLink'");
        assertTrue(next.contains("/contact_customer_accounts?") && next.contains("$skiptoken="), next);
        JsonPath second = Api.given(dvemu).urlEncodingEnabled(false).header("Prefer", "odata.maxpagesize=2")
                .get(java.net.URI.create(next)).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("P3"), second.getList("value.fullname"));
    }

    @Test
    void theRowMayBeNamedByItsAlternateKey() {
        String number = number();
        String account = account(number);
        contact("Keyed", account);
        Api.given(dvemu).queryParam("$select", "fullname").get("accounts(accountnumber='" + number + "')/contact_customer_accounts")
                .then().statusCode(200).body("value.fullname", equalTo(List.of("Keyed")));
    }

    @Test
    void aRowThatDoesNotExistIsNotFound() {
        UUID missing = UUID.randomUUID();
        Api.given(dvemu).get("accounts(" + missing + ")/contact_customer_accounts").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    @Test
    void eachLookupsRelationshipIsOnOneSideAndItsPartnerOnTheOther() {
        String csdl = Api.given(dvemu).accept("application/xml").get("$metadata").then().statusCode(200).extract().asString();
        assertTrue(csdl.contains("<NavigationProperty Name=\"contact_customer_accounts\" Type=\"Collection(mscrm.contact)\" Partner=\"parentcustomerid_account\"")
                || csdl.contains("<NavigationProperty Name=\"contact_customer_accounts\" Type=\"Collection(Microsoft.Dynamics.CRM.contact)\" Partner=\"parentcustomerid_account\""), csdl);
        assertTrue(csdl.matches("(?s).*<NavigationProperty Name=\"parentcustomerid_account\"[^>]*Partner=\"contact_customer_accounts\".*"), csdl);
        assertTrue(csdl.matches("(?s).*<NavigationProperty Name=\"primarycontactid\"[^>]*Partner=\"account_primary_contact\".*"), csdl);
        assertTrue(csdl.contains("Name=\"account_primary_contact\""), csdl);
        assertTrue(csdl.contains("<NavigationPropertyBinding Path=\"new_stock_bookings\" Target=\"new_bookings\""), csdl);
    }

    @Test
    void whatIsNotServedYetIsRefusedByName() {
        String account = account(number());
        Api.given(dvemu).get("accounts(" + account + ")/contact_customer_accounts(" + UUID.randomUUID() + ")/fullname")
                .then().statusCode(501).body("error.message", containsString("not yet by dvemu"));
    }
}
