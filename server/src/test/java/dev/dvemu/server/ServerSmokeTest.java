package dev.dvemu.server;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.RequestPattern;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@DvemuTest
class ServerSmokeTest {
    @Test
    void healthAnswers200OnceServing(Dvemu dvemu) {
        RestAssured.given().baseUri(dvemu.baseUrl().toString())
                .get("/health").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void createdRowCanBeReadBackWithItsEtag(Dvemu dvemu) {
        String location = api(dvemu).contentType("application/json")
                .body("{\"new_name\":\"smoke\",\"new_availablecount\":3}")
                .post("new_stocks").then().statusCode(204)
                .header("OData-Version", "4.0")
                .extract().header("OData-EntityId");
        api(dvemu).get(location).then().statusCode(200)
                .header("ETag", startsWith("W/\""))
                .body("new_name", equalTo("smoke"))
                .body("new_availablecount", equalTo(3));
        // the instance is this class's alone and reset before each test: the count is exact
        api(dvemu).get("new_stocks").then().statusCode(200).body("value.size()", equalTo(1));
        dvemu.verify(1, RequestPattern.post("new_stocks").status(204));
    }

    private static RequestSpecification api(Dvemu dvemu) {
        return RestAssured.given().baseUri(dvemu.webApiUrl().toString())
                .header("Authorization", "Bearer " + dvemu.token())
                .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0").header("Accept", "application/json");
    }
}
