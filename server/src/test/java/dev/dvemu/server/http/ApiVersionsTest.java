package dev.dvemu.server.http;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients and code generators hard-code {@code v9.0} or {@code v9.1} (dataverse-web-api.md §0: code written for
 * v9.0 keeps working against v9.0 URLs): the API answers on all three, and links echo the version asked for.
 */
@DvemuTest(reset = Reset.NEVER)
class ApiVersionsTest {
    static Dvemu dvemu;

    @ParameterizedTest
    @ValueSource(strings = {"v9.0", "v9.1"})
    void readsAnswerWithTheirVersionInTheContext(String version) {
        Api.given(dvemu).baseUri(base(version)).queryParam("$top", "1").get("new_stocks").then().statusCode(200)
                .body("'@odata.context'", startsWith(base(version) + "$metadata#new_stocks"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v9.0", "v9.1"})
    void createsAnswerWithTheirVersionInTheEntityId(String version) {
        String entityId = Api.given(dvemu).baseUri(base(version)).contentType("application/json")
                .body("{\"new_name\":\"" + version + "\"}").post("new_stocks")
                .then().statusCode(204).extract().header("OData-EntityId");
        assertTrue(entityId.startsWith(base(version) + "new_stocks("), entityId);
        Api.given(dvemu).get(entityId.replace("/" + version + "/", "/v9.2/")).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v9.0", "v9.1"})
    void batchesRunAndAnswerWithTheirVersion(String version) {
        String body = "--batch_v\r\nContent-Type: multipart/mixed; boundary=changeset_v\r\n\r\n"
                + "--changeset_v\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_name\":\"batch " + version + "\"}\r\n"
                + "--changeset_v--\r\n--batch_v--\r\n";
        Response r = Api.given(dvemu).baseUri(base(version)).contentType("multipart/mixed; boundary=batch_v").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch");
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("Location: " + base(version) + "new_stocks("), r.asString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v9.0", "v9.1", "v9.2"})
    void everyVersionNeedsABearerToken(String version) {
        RestAssured.given().baseUri(base(version)).get("new_stocks").then().statusCode(401);
    }

    private static String base(String version) {
        Dvemu server = dvemu;
        return server.webApiUrl().toString().replace("/v9.2/", "/" + version + "/");
    }
}
