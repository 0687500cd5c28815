package dev.dvemu.server;

import dev.dvemu.server.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

class ServerSmokeTest {
    @Test
    void healthAnswers200OnceServing() {
        io.restassured.RestAssured.given().baseUri(TestServer.base().replace("/api/data/v9.2/", ""))
                .get("/health").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void createdRowCanBeReadBackWithItsEtag() {
        String location = TestServer.api().contentType("application/json")
                .body("{\"new_name\":\"smoke\",\"new_availablecount\":3}")
                .post("new_stocks").then().statusCode(204)
                .header("OData-Version", "4.0")
                .extract().header("OData-EntityId");
        TestServer.api().get(location).then().statusCode(200)
                .header("ETag", startsWith("W/\""))
                .body("new_name", equalTo("smoke"))
                .body("new_availablecount", equalTo(3));
    }
}
