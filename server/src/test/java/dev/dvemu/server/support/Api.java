package dev.dvemu.server.support;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.testkit.Dvemu;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

import java.net.URI;

/** Requests with the headers Dataverse clients send, against a server's Web API root. */
public final class Api {
    private Api() {
    }

    /** Against the emulator of a {@code @DvemuTest} class or a {@code Dvemu.start(...)}. */
    public static RequestSpecification given(Dvemu dvemu) {
        return given(dvemu.webApiUrl());
    }

    /** Against a server started in-process by the test itself. */
    public static RequestSpecification given(DvemuServer server) {
        return given(server.baseUri());
    }

    /** An admin API request ({@code /_dvemu/...}) with a bearer token, against the emulator's root. */
    public static RequestSpecification admin(Dvemu dvemu) {
        return RestAssured.given()
                .baseUri("http://" + RawHttp.hostOf(dvemu))
                .header("Authorization", "Bearer test-token")
                .contentType("application/json");
    }

    /** Creates a row with {@code POST <set>} (204 expected) and returns its id, read from {@code OData-EntityId}. */
    public static String create(Dvemu dvemu, String set, String json) {
        String entityId = given(dvemu).contentType("application/json").body(json).post(set)
                .then().statusCode(204).extract().header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    /** Against a Web API root, e.g. {@code http://127.0.0.1:41234/api/data/v9.2/}. */
    public static RequestSpecification given(URI webApiUrl) {
        return RestAssured.given()
                .config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .baseUri(webApiUrl.toString())
                .header("Authorization", "Bearer test-token")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .header("Accept", "application/json");
    }
}
