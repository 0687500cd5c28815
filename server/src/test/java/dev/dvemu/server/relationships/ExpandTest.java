package dev.dvemu.server.relationships;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code $expand} on lookups and on the "many" side of one-to-many relationships (dataverse-features.md §b). */
@DvemuTest(reset = Reset.NEVER)
class ExpandTest {
    static Dvemu dvemu;

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static String account(String name) {
        return create("accounts", "{\"name\":\"" + name + "\"}");
    }

    private static String contact(String name, String account) {
        return create("contacts", "{\"fullname\":\"" + name + "\"" + (account == null ? ""
                : ",\"parentcustomerid_account@odata.bind\":\"accounts(" + account + ")\"") + "}");
    }

    @Test
    void aLookupExpandsToItsRowWithTheSelectedColumns() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String account = account("Contoso " + tag);
        contact("with " + tag, account);
        contact("without " + tag, null);
        JsonPath body = Api.given(dvemu).queryParam("$select", "fullname").queryParam("$filter", "endswith(fullname,'" + tag + "')")
                .queryParam("$orderby", "fullname").queryParam("$expand", "parentcustomerid_account($select=name)")
                .get("contacts").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#contacts(fullname,parentcustomerid_account(name))"))
                .extract().jsonPath();
        assertEquals("Contoso " + tag, body.getString("value[0].parentcustomerid_account.name"));
        assertEquals(account, body.getString("value[0].parentcustomerid_account.accountid"));
        assertTrue(body.getString("value[0].parentcustomerid_account.'@odata.etag'").startsWith("W/\""));
        Map<String, Object> expanded = body.getMap("value[0].parentcustomerid_account");
        assertTrue(!expanded.containsKey("revenue"), "only the selected columns: " + expanded);
        assertNull(body.get("value[1].parentcustomerid_account"), "no related row: null");
    }

    @Test
    void aRelationshipExpandsToItsRowsWithTheirOwnOptions() {
        String account = account("expand " + UUID.randomUUID());
        for (String name : List.of("Ann", "Bob", "Cid", "Dee")) {
            contact(name, account);
        }
        JsonPath body = Api.given(dvemu).queryParam("$select", "name")
                .queryParam("$expand", "contact_customer_accounts($select=fullname;$filter=fullname ne 'Bob';$orderby=fullname desc;$top=2)")
                .get("accounts(" + account + ")").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#accounts(name,contact_customer_accounts(fullname,_parentcustomerid_value))/$entity"))
                .extract().jsonPath();
        assertEquals(List.of("Dee", "Cid"), body.getList("contact_customer_accounts.fullname"));
        assertEquals(List.of(account, account), body.getList("contact_customer_accounts._parentcustomerid_value"),
                "each related row carries its back-reference, selected or not");
        String next = java.net.URLDecoder.decode(body.getString("'contact_customer_accounts@odata.nextLink'"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(next.endsWith("accounts(" + account + ")/contact_customer_accounts?$select=fullname&$filter=fullname ne 'Bob'&$orderby=fullname desc"), next);
    }

    @Test
    void eachParentOfAPageGetsItsOwnRelatedRowsAndTop() {
        String tag = "page-" + UUID.randomUUID().toString().substring(0, 8);
        String first = account(tag + "-1");
        String second = account(tag + "-2");
        String third = account(tag + "-3");
        for (String name : List.of("a", "b", "c")) {
            contact(name + "-" + tag, first);
            contact(name + "-" + tag, second);
        }
        JsonPath body = Api.given(dvemu).queryParam("$select", "name").queryParam("$filter", "startswith(name,'" + tag + "')")
                .queryParam("$orderby", "name").queryParam("$expand", "contact_customer_accounts($select=fullname;$orderby=fullname;$top=2)")
                .get("accounts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(first, second, third), body.getList("value.accountid"));
        assertEquals(List.of("a-" + tag, "b-" + tag), body.getList("value[0].contact_customer_accounts.fullname"));
        assertEquals(List.of("a-" + tag, "b-" + tag), body.getList("value[1].contact_customer_accounts.fullname"));
        assertEquals(List.of(), body.getList("value[2].contact_customer_accounts"));
    }

    @Test
    void whatDataverseRefusesInsideAnExpandIsRefusedWithItsCode() {
        Api.given(dvemu).queryParam("$expand", "parentcustomerid_account($orderby=name)").get("contacts").then().statusCode(400)
                .body("error.code", equalTo("0x80060888"))
                .body("error.message", equalTo("Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship."));
        Api.given(dvemu).queryParam("$expand", "contact_customer_accounts/$ref").get("accounts").then().statusCode(400)
                .body("error.code", equalTo("0x80060888"))
                .body("error.message", equalTo("Expand with $ref is only supported on lookup type navigation property."));
    }

    @Test
    void aLookupExpandedAsAReferenceGivesTheRowsUrlAndTheLookupValue() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String parent = account("ref-parent-" + tag);
        String contact = contact("ref-" + tag, parent);
        String orphan = contact("ref-orphan-" + tag, null);
        JsonPath body = Api.given(dvemu).queryParam("$select", "fullname").queryParam("$expand", "parentcustomerid_account/$ref")
                .queryParam("$filter", "endswith(fullname,'" + tag + "')").queryParam("$orderby", "fullname")
                .get("contacts").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#contacts(fullname,parentcustomerid_account,parentcustomerid_account/$ref())"))
                .extract().jsonPath();
        assertEquals(List.of(contact, orphan), body.getList("value.contactid"));
        assertEquals(dvemu.webApiUrl() + "accounts(" + parent + ")", body.getString("value[0].parentcustomerid_account.'@odata.id'"));
        assertEquals(parent, body.getString("value[0]._parentcustomerid_value"));
        assertTrue(body.getMap("value[1]").containsKey("parentcustomerid_account"));
        assertNull(body.get("value[1].parentcustomerid_account"));
        // on one row, too; options inside a reference expansion are refused
        Api.given(dvemu).queryParam("$expand", "parentcustomerid_account/$ref").get("contacts(" + contact + ")").then().statusCode(200)
                .body("parentcustomerid_account.'@odata.id'", endsWith("/accounts(" + parent + ")"));
        Api.given(dvemu).queryParam("$expand", "parentcustomerid_account/$ref($select=name)").get("contacts").then().statusCode(400);
    }

    @Test
    void withANestedExpansionMaxPageSizePagesEveryExpandedCollectionWithASkipToken() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String parent = account("paged-" + tag);
        for (String name : List.of("a", "b", "c")) {
            contact(name + "-" + tag, parent);
        }
        String expand = "contact_customer_accounts($select=fullname;$expand=parentcustomerid_account($select=name))";
        JsonPath first = Api.given(dvemu).header("Prefer", "odata.maxpagesize=2").queryParam("$select", "name")
                .queryParam("$expand", expand).get("accounts(" + parent + ")").then().statusCode(200).extract().jsonPath();
        List<String> pageOne = first.getList("contact_customer_accounts.fullname");
        assertEquals(2, pageOne.size());
        assertEquals("paged-" + tag, first.getString("contact_customer_accounts[0].parentcustomerid_account.name"));
        String next = first.getString("'contact_customer_accounts@odata.nextLink'");
        assertTrue(next.startsWith(dvemu.webApiUrl() + "accounts(" + parent + ")/contact_customer_accounts?$select=fullname&$expand="), next);
        assertTrue(next.contains("&$skiptoken="), next);

        // the link reads the rest, with its expansion, as a path
        JsonPath second = io.restassured.RestAssured.given().auth().oauth2(dvemu.token()).header("Prefer", "odata.maxpagesize=2")
                .urlEncodingEnabled(false).get(next).then().statusCode(200).extract().jsonPath();
        List<String> all = new java.util.ArrayList<>(pageOne);
        all.addAll(second.getList("value.fullname"));
        assertEquals(List.of("a-" + tag, "b-" + tag, "c-" + tag), all.stream().sorted().toList());
        assertEquals("paged-" + tag, second.getString("value[0].parentcustomerid_account.name"));
        assertNull(second.get("'@odata.nextLink'"));

        // without the preference nothing is paged and, in nested mode, there is no link
        JsonPath whole = Api.given(dvemu).queryParam("$expand", expand).get("accounts(" + parent + ")").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, whole.getList("contact_customer_accounts").size());
        assertNull(whole.get("'contact_customer_accounts@odata.nextLink'"));
    }

    @Test
    void expandedRowsExpandTheirOwnNavigationProperties() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String account = account("nested " + tag);
        contact("first " + tag, account);
        contact("second " + tag, account);
        JsonPath body = Api.given(dvemu).queryParam("$select", "name")
                .queryParam("$expand", "contact_customer_accounts($select=fullname;$expand=parentcustomerid_account($select=name))")
                .get("accounts(" + account + ")").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#accounts(name,contact_customer_accounts(fullname,_parentcustomerid_value,parentcustomerid_account(name)))/$entity"))
                .extract().jsonPath();
        assertEquals(List.of("nested " + tag, "nested " + tag), body.getList("contact_customer_accounts.parentcustomerid_account.name"));
        assertNull(body.get("'contact_customer_accounts@odata.nextLink'"), "nested expansions carry no nextLink without paging");

        // and the other way round, three levels deep: a contact, its account, the account's contacts
        JsonPath back = Api.given(dvemu).queryParam("$select", "fullname").queryParam("$filter", "fullname eq 'first " + tag + "'")
                .queryParam("$expand", "parentcustomerid_account($select=name;$expand=contact_customer_accounts($select=fullname))")
                .get("contacts").then().statusCode(200).extract().jsonPath();
        List<String> siblings = back.getList("value[0].parentcustomerid_account.contact_customer_accounts.fullname");
        assertEquals(2, siblings.size(), siblings::toString);
        assertTrue(siblings.containsAll(List.of("first " + tag, "second " + tag)), siblings::toString);
    }

    @Test
    void withANestedExpandAnywhereOnlySelectAndFilterAreTaken() {
        Api.given(dvemu).queryParam("$expand", "contact_customer_accounts($top=2;$expand=parentcustomerid_account)").get("accounts")
                .then().statusCode(400).body("error.code", equalTo("0x80060888"))
                .body("error.message", equalTo("Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship."));
    }

    @Test
    void aReadWithAnExpandIsNeverNotModified() {
        String account = account("etag " + UUID.randomUUID());
        String etag = Api.given(dvemu).get("accounts(" + account + ")").then().statusCode(200).extract().header("ETag");
        Api.given(dvemu).header("If-None-Match", etag).get("accounts(" + account + ")").then().statusCode(304);
        Api.given(dvemu).header("If-None-Match", etag).queryParam("$expand", "contact_customer_accounts")
                .get("accounts(" + account + ")").then().statusCode(200);
    }

    @Test
    void aCreateReturnsItsExpansionsAndAnUpdateIgnoresThem() {
        String account = account("rep " + UUID.randomUUID());
        Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .queryParam("$select", "fullname").queryParam("$expand", "parentcustomerid_account($select=name)")
                .body("{\"fullname\":\"created\",\"parentcustomerid_account@odata.bind\":\"accounts(" + account + ")\"}")
                .post("contacts").then().statusCode(201)
                .body("parentcustomerid_account.accountid", equalTo(account));
        Api.given(dvemu).contentType("application/json").header("Prefer", "return=representation")
                .queryParam("$select", "name").queryParam("$expand", "contact_customer_accounts")
                .body("{\"name\":\"renamed\"}").patch("accounts(" + account + ")").then().statusCode(200)
                .body("$", not(hasKey("contact_customer_accounts")));
    }
}
