package dev.dvemu.server.http;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behind a TLS front or a path prefix, the links the server writes ({@code OData-EntityId}, {@code Location},
 * {@code @odata.context}, {@code @odata.nextLink}) must name the address clients use: --public-url sets it, and
 * Forwarded / X-Forwarded-* headers are believed only from --trusted-proxies.
 */
@DvemuTest(reset = Reset.NEVER)
class PublicUrlTest {
    static Dvemu dvemu;

    private static final String PUBLIC = "https://dv.example.com/prefix/api/data/v9.2/";

    @Test
    void createAnswersWithTheEntityIdUnderThePublicUrl() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--public-url", "https://dv.example.com/prefix/").build())) {
            String entityId = create(server, "public-url");
            assertTrue(entityId.startsWith(PUBLIC + "new_stocks("), entityId);
        }
    }

    @Test
    void collectionContextAndNextLinkUseThePublicUrl() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--public-url", "https://dv.example.com/prefix").build())) {
            String name = "paged-" + UUID.randomUUID();
            create(server, name);
            create(server, name);
            Response page = Api.given(server).header("Prefer", "odata.maxpagesize=1")
                    .queryParam("$filter", "new_name eq '" + name + "'").get("new_stocks");
            page.then().statusCode(200);
            String context = page.jsonPath().getString("'@odata.context'");
            String next = page.jsonPath().getString("'@odata.nextLink'");
            assertTrue(context.startsWith(PUBLIC + "$metadata#new_stocks"), context);
            assertTrue(next.startsWith(PUBLIC + "new_stocks?"), next);
        }
    }

    @Test
    void batchPartsAnswerWithLocationUnderThePublicUrl() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--public-url", "https://dv.example.com:8443/prefix/").build())) {
            String text = batchCreate(server);
            assertTrue(text.contains("Location: https://dv.example.com:8443/prefix/api/data/v9.2/new_stocks("), text);
            assertTrue(text.contains("OData-EntityId: https://dv.example.com:8443/prefix/api/data/v9.2/new_stocks("), text);
        }
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressAreIgnored() {
        Dvemu server = dvemu;
        String entityId = forwardedCreate(server);
        assertTrue(entityId.startsWith(server.webApiUrl() + "new_stocks("), entityId);
    }

    @Test
    void forwardedHeadersFromATrustedProxyAreHonoured() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--trusted-proxies", "10.0.0.0/8,127.0.0.1", "--allowed-hosts", "proxy.example").build())) {
            String entityId = forwardedCreate(server);
            assertTrue(entityId.startsWith("https://proxy.example/api/data/v9.2/new_stocks("), entityId);
        }
    }

    @Test
    void theStandardForwardedHeaderFromATrustedProxyIsHonoured() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--trusted-proxies", "127.0.0.0/8", "--allowed-hosts", "proxy.example").build())) {
            String entityId = Api.given(server).contentType("application/json")
                    .header("Forwarded", "for=192.0.2.1;proto=https;host=proxy.example:9443")
                    .body("{\"new_name\":\"forwarded\"}").post("new_stocks")
                    .then().statusCode(204).extract().header("OData-EntityId");
            assertTrue(entityId.startsWith("https://proxy.example:9443/api/data/v9.2/new_stocks("), entityId);
        }
    }

    @Test
    void aTrustedProxyNotMatchingTheClientIsNotTrusted() throws Exception {
        try (Dvemu server = Dvemu.start(DvemuConfig.builder().args("--trusted-proxies", "10.1.2.3").build())) {
            String entityId = forwardedCreate(server);
            assertTrue(entityId.startsWith(server.webApiUrl() + "new_stocks("), entityId);
        }
    }

    private static String forwardedCreate(Dvemu server) {
        return Api.given(server).contentType("application/json")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "proxy.example").header("X-Forwarded-Port", "443")
                .body("{\"new_name\":\"forwarded\"}").post("new_stocks")
                .then().statusCode(204).extract().header("OData-EntityId");
    }

    private static String create(Dvemu server, String name) {
        return Api.given(server).contentType("application/json").body("{\"new_name\":\"" + name + "\"}")
                .post("new_stocks").then().statusCode(204).extract().header("OData-EntityId");
    }

    static String batchCreate(Dvemu server) {
        String body = "--batch_p\r\nContent-Type: multipart/mixed; boundary=changeset_p\r\n\r\n"
                + "--changeset_p\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST new_stocks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"new_name\":\"batch\"}\r\n"
                + "--changeset_p--\r\n--batch_p--\r\n";
        Response r = Api.given(server).contentType("multipart/mixed; boundary=batch_p").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("$batch");
        assertEquals(200, r.statusCode(), r.asString());
        return r.asString();
    }
}
