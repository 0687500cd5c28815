package dev.dvemu.server.relationships;

import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Associating and disassociating rows of a one-to-many relationship with {@code $ref} (§10b). */
@DvemuTest(reset = Reset.NEVER)
class ReferenceTest {
    static Dvemu dvemu;

    private static String create(String set, String json) {
        return Api.create(dvemu, set, json);
    }

    private static String account() {
        return create("accounts", "{\"name\":\"ref " + UUID.randomUUID() + "\"}");
    }

    private static String contact() {
        return create("contacts", "{\"fullname\":\"ref " + UUID.randomUUID() + "\"}");
    }

    private static String parentOf(String contact) {
        return Api.given(dvemu).queryParam("$select", "_parentcustomerid_value").get("contacts(" + contact + ")")
                .then().statusCode(200).extract().jsonPath().getString("_parentcustomerid_value");
    }

    private static void ref(String method, String path, String odataId, int status) {
        var r = Api.given(dvemu);
        if (odataId != null) {
            r.contentType("application/json").body("{\"@odata.id\":\"" + odataId + "\"}");
        }
        var answer = r.request(method, path);
        assertEquals(status, answer.statusCode(), () -> method + " " + path + ": " + answer.asString());
    }

    @Test
    void aSingleValuedNavigationIsSetReadAndCleared() {
        String account = account();
        String contact = contact();
        ref("PUT", "contacts(" + contact + ")/parentcustomerid_account/$ref", "accounts(" + account + ")", 204);
        assertEquals(account, parentOf(contact));
        Api.given(dvemu).get("contacts(" + contact + ")/parentcustomerid_account/$ref").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#$ref"))
                .body("'@odata.id'", endsWith("/accounts(" + account + ")"));
        ref("DELETE", "contacts(" + contact + ")/parentcustomerid_account/$ref", null, 204);
        assertNull(parentOf(contact));
        Api.given(dvemu).get("contacts(" + contact + ")/parentcustomerid_account/$ref").then().statusCode(204);
    }

    @Test
    void aRowIsAddedToACollectionWithAnAbsoluteUrlOfAnyHost() {
        String account = account();
        String contact = contact();
        ref("POST", "accounts(" + account + ")/contact_customer_accounts/$ref",
                "https://contoso.crm.dynamics.com/api/data/v9.2/contacts(" + contact + ")", 204);
        assertEquals(account, parentOf(contact));
        Api.given(dvemu).get("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Collection($ref)"))
                .body("value.'@odata.id'", equalTo(List.of(dvemu.webApiUrl() + "contacts(" + contact + ")")));
    }

    @Test
    void aRowIsRemovedFromACollectionByItsKeyOrByDollarId() {
        String account = account();
        String first = contact();
        String second = contact();
        ref("POST", "accounts(" + account + ")/contact_customer_accounts/$ref", "contacts(" + first + ")", 204);
        ref("POST", "accounts(" + account + ")/contact_customer_accounts/$ref", "/contacts(" + second + ")", 204);
        ref("DELETE", "accounts(" + account + ")/contact_customer_accounts(" + first + ")/$ref", null, 204);
        assertNull(parentOf(first));
        Api.given(dvemu).queryParam("$id", dvemu.webApiUrl() + "contacts(" + second + ")")
                .delete("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(204);
        assertNull(parentOf(second));
        // removing what is not there any more changes nothing
        ref("DELETE", "accounts(" + account + ")/contact_customer_accounts(" + first + ")/$ref", null, 204);
    }

    @Test
    void removingARowRelatedToAnotherRowLeavesItRelated() {
        String account = account();
        String other = account();
        String contact = contact();
        ref("POST", "accounts(" + other + ")/contact_customer_accounts/$ref", "contacts(" + contact + ")", 204);
        ref("DELETE", "accounts(" + account + ")/contact_customer_accounts(" + contact + ")/$ref", null, 204);
        assertEquals(other, parentOf(contact));
    }

    @Test
    void referencesToRowsThatAreNotThereOrOfAnotherTableAreRefused() {
        String account = account();
        String contact = contact();
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"contacts(" + UUID.randomUUID() + ")\"}")
                .post("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"contacts(" + contact + ")\"}")
                .post("accounts(" + UUID.randomUUID() + ")/contact_customer_accounts/$ref").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
        Api.given(dvemu).contentType("application/json").body("{\"@odata.id\":\"accounts(" + account + ")\"}")
                .post("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(400);
        Api.given(dvemu).contentType("application/json").body("{\"id\":\"contacts(" + contact + ")\"}")
                .post("accounts(" + account + ")/contact_customer_accounts/$ref").then().statusCode(400);
        assertNull(parentOf(contact));
    }

    @Test
    void inAChangesetAReferenceMayNameARowCreatedEarlierAndAllOrNothingCommits() {
        String account = account();
        String name = "ref-batch-" + UUID.randomUUID();
        BatchBody ok = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "contacts", "{\"fullname\":\"" + name + "\"}")
                .op("2", "POST", "accounts(" + account + ")/contact_customer_accounts/$ref", "{\"@odata.id\":\"$1\"}")
                .endChangeset();
        Api.given(dvemu).contentType(ok.contentType()).body(ok.build().getBytes(StandardCharsets.UTF_8)).post("$batch")
                .then().statusCode(200);
        List<String> related = Api.given(dvemu).queryParam("$select", "fullname").get("accounts(" + account + ")/contact_customer_accounts")
                .then().statusCode(200).extract().jsonPath().getList("value.fullname");
        assertEquals(List.of(name), related);

        String contact = contact();
        BatchBody failing = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "accounts(" + account + ")/contact_customer_accounts/$ref", "{\"@odata.id\":\"contacts(" + contact + ")\"}")
                .op("2", "PATCH", "contacts(" + UUID.randomUUID() + ")", "{\"fullname\":\"x\"}", "If-Match: *")
                .endChangeset();
        String answer = Api.given(dvemu).contentType(failing.contentType()).body(failing.build().getBytes(StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(400).extract().asString();
        assertTrue(answer.contains("0x80040217"), answer);
        assertNull(parentOf(contact), "the association of the failed changeset is rolled back");
    }

    @Test
    void dollarIdOutsideADeleteOfAReferenceIsRefused() {
        var answer = Api.given(dvemu).queryParam("$id", "contacts(" + UUID.randomUUID() + ")").get("contacts");
        assertEquals(400, answer.statusCode(), answer.asString());
    }
}
