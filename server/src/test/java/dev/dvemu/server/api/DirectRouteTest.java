package dev.dvemu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.Database;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The direct route answers exactly what the Olingo route answers. Every case runs twice on twin rows (same values,
 * different ids): once through {@link DirectRoute}, once through Olingo's handler as it ran before the direct route
 * existed; the two answers must agree in status, headers and body, up to the ids and versions that differ between
 * the twins. Requests the direct route must leave to Olingo are checked to be left.
 */
@DvemuTest(reset = Reset.NEVER)
class DirectRouteTest {
    static Dvemu dvemu;

    private static final String ROOT = "http://localhost/api/data/v9.2/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HikariDataSource pool;
    private static Api api;

    @BeforeAll
    static void start() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(dvemu.jdbcUrl());
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(2);
        // the catalog the emulator serves: the built-in tables, loaded as the server loads them
        api = new Api(MetadataSources.of(List.of(ServerConfig.BUILTIN_METADATA)).load(), new Database(pool));
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** One request: method, path below the service root, query, headers, body. */
    record Call(HttpMethod method, String path, String query, Map<String, String> headers, String body) {
        static Call of(HttpMethod method, String path) {
            return new Call(method, path, null, standardHeaders(), null);
        }

        Call query(String q) {
            return new Call(method, path, q, headers, body);
        }

        Call header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (value == null) {
                h.remove(name);
            } else {
                h.put(name, value);
            }
            return new Call(method, path, query, h, body);
        }

        Call body(String json) {
            return new Call(method, path, query, headers, json).header("Content-Type", "application/json");
        }

        ODataRequest request(String id) {
            ODataRequest r = new ODataRequest();
            r.setMethod(method);
            String p = "/" + path.replace("{id}", id);
            r.setRawBaseUri(ROOT.substring(0, ROOT.length() - 1));
            r.setRawODataPath(p);
            r.setRawQueryPath(query);
            r.setRawRequestUri(ROOT + p.substring(1) + (query == null ? "" : "?" + query));
            r.setRawServiceResolutionUri(null);
            r.setProtocol("HTTP/1.1");
            headers.forEach((k, v) -> r.addHeader(k, v.replace("{id}", id)));
            r.setBody(new ByteArrayInputStream(body == null ? new byte[0] : body.replace("{id}", id).getBytes(StandardCharsets.UTF_8)));
            return r;
        }

        private static Map<String, String> standardHeaders() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Accept", "application/json");
            h.put("OData-MaxVersion", "4.0");
            h.put("OData-Version", "4.0");
            return h;
        }
    }

    /** What a response says once the twin's id, versions and timestamps are set aside. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    // ------------------------------------------------------------------------------------------ reads

    @Test
    void readsAgree() throws Exception {
        Call get = Call.of(HttpMethod.GET, "new_stocks({id})");
        for (Call c : List.of(
                get,
                get.header("Accept", null),
                get.header("Accept", "*/*"),
                get.header("Accept", "application/json;odata.metadata=minimal"),
                get.header("Accept", "application/json, */*"),
                get.header("OData-Version", null).header("OData-MaxVersion", null),
                get.query("$select=new_name,new_availablecount"),
                get.query("$select=new_name,new_name"),
                get.query("$select=new_stockid"),
                get.header("Prefer", "odata.include-annotations=\"*\""),
                get.header("Prefer", "return=representation"),
                get.header("If-None-Match", "W/\"1\""),
                get.header("If-None-Match", "null"),
                get.header("If-None-Match", "*"),
                Call.of(HttpMethod.GET, "new_stocks(" + UUID.randomUUID() + ")"),
                Call.of(HttpMethod.GET, "new_stocks(" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + ")"),
                Call.of(HttpMethod.GET, "new_bookings({id})"))) {
            assertAgree(c, "{\"new_name\":\"twin\",\"new_availablecount\":5}");
        }
    }

    @Test
    void notModifiedAgrees() throws Exception {
        String a = stock("{\"new_name\":\"twin\"}");
        long version = version(a);
        Call c = Call.of(HttpMethod.GET, "new_stocks(" + a + ")").header("If-None-Match", "W/\"" + version + "\"");
        Answer direct = answer(serveDirect(c.request(a)), a);
        Answer olingo = answer(serveOlingo(c.request(a)), a);
        assertEquals(304, direct.status());
        assertEquals(olingo, direct);
    }

    // ------------------------------------------------------------------------------------------ writes

    @Test
    void updatesAgree() throws Exception {
        Call patch = Call.of(HttpMethod.PATCH, "new_stocks({id})").body("{\"new_availablecount\":4}");
        for (Call c : List.of(
                patch,
                patch.header("If-Match", "*"),
                patch.header("If-Match", "W/\"1\""),
                patch.header("If-None-Match", "*"),
                patch.header("Prefer", "return=representation"),
                patch.header("Prefer", "return=representation").query("$select=new_availablecount"),
                patch.header("Prefer", "return=representation,odata.include-annotations=\"*\""),
                patch.header("Content-Type", "application/json; charset=utf-8"),
                patch.header("Content-Type", "application/json;odata.metadata=minimal"),
                patch.body("{\"new_availablecount\":"),
                patch.body("{\"new_nosuchcolumn\":1}"),
                patch.body("{\"new_availablecount\":\"many\"}"),
                patch.body("{\"new_name\":\"" + "x".repeat(101) + "\"}"),
                patch.body("{\"new_stockid\":\"" + UUID.randomUUID() + "\"}"),
                patch.body("[]"),
                patch.body(""))) {
            assertAgree(c, "{\"new_name\":\"twin\",\"new_availablecount\":5}");
        }
    }

    @Test
    void upsertsAndDeletesAgree() throws Exception {
        Call missing = Call.of(HttpMethod.PATCH, "new_stocks({new})").body("{\"new_name\":\"upserted\"}");
        Call delete = Call.of(HttpMethod.DELETE, "new_stocks({id})");
        for (Call c : List.of(
                missing,
                missing.header("Prefer", "return=representation"),
                missing.header("If-Match", "*"),
                missing.header("If-None-Match", "*"),
                delete,
                delete.header("If-Match", "W/\"1\""),
                delete.header("If-Match", "*"),
                delete.header("Prefer", "return=representation"),
                Call.of(HttpMethod.DELETE, "new_stocks({new})"))) {
            assertAgree(c, "{\"new_name\":\"twin\"}");
        }
    }

    @Test
    void createsAgree() throws Exception {
        Call post = Call.of(HttpMethod.POST, "new_bookings").body("{\"new_name\":\"b\",\"new_StockId@odata.bind\":\"new_stocks({id})\"}");
        for (Call c : List.of(
                post,
                post.header("Prefer", "return=representation"),
                post.header("Prefer", "return=representation").query("$select=new_name,_new_stockid_value"),
                post.header("Prefer", "return=representation,odata.include-annotations=\"*\""),
                post.body("{\"new_name\":\"b\",\"new_StockId@odata.bind\":\"new_stocks(" + UUID.randomUUID() + ")\"}"),
                post.body("{\"new_name\":\"b\",\"new_status\":7}"),
                post.body("{\"new_bookingid\":\"{id}\"}"),
                post.body("not json"))) {
            assertAgree(c, "{\"new_name\":\"twin\"}");
        }
    }

    // ------------------------------------------------------------------------------------------ left to Olingo

    @Test
    void leavesEverythingElseToOlingo() {
        String id = UUID.randomUUID().toString();
        Call get = Call.of(HttpMethod.GET, "new_stocks(" + id + ")");
        Call patch = Call.of(HttpMethod.PATCH, "new_stocks(" + id + ")").body("{}");
        for (Call c : List.of(
                get.header("Accept", "application/xml"),
                get.header("Accept", "application/json;odata.metadata=full"),
                get.header("Accept-Charset", "iso-8859-1"),
                get.header("OData-MaxVersion", "3.0"),
                get.header("X-HTTP-Method", "DELETE"),
                get.header(Http.ALTERNATE_KEY, "new_name='x'"),
                get.query("$select=new_nosuchcolumn"),
                get.query("$select=*"),
                get.query("$select="),
                get.query("%24select=new_name"),
                get.query("$select=new_name&$expand=x"),
                get.query("$filter=new_name eq 'x'"),
                Call.of(HttpMethod.GET, "new_stocks(" + id + ")/new_name"),
                Call.of(HttpMethod.GET, "new_stocks(" + id + ")/"),
                Call.of(HttpMethod.GET, "new_stocks(" + id.replace('-', 'x') + ")"),
                Call.of(HttpMethod.GET, "new_stocks(new_stockid=" + id + ")"),
                Call.of(HttpMethod.GET, "new_stocks"),
                Call.of(HttpMethod.GET, "nosuchset(" + id + ")"),
                Call.of(HttpMethod.PUT, "new_stocks(" + id + ")").body("{}"),
                Call.of(HttpMethod.POST, "new_stocks(" + id + ")").body("{}"),
                Call.of(HttpMethod.POST, "new_stocks/x").body("{}"),
                patch.header("Content-Type", "text/plain"),
                patch.header("Content-Type", null),
                patch.header("Content-Type", "application/json;charset=iso-8859-1"))) {
            assertNull(api.direct.serve(c.request(id), api.standalone()), () -> "the direct route took " + c);
        }
    }

    // ------------------------------------------------------------------------------------------ machinery

    private static void assertAgree(Call c, String twinBody) throws Exception {
        String a = stock(twinBody);
        String b = stock(twinBody);
        String newA = UUID.randomUUID().toString();
        String newB = UUID.randomUUID().toString();
        ODataResponse direct = serveDirect(withNew(c, newA).request(a));
        ODataResponse olingo = serveOlingo(withNew(c, newB).request(b));
        Answer d = answer(direct, a, newA);
        Answer o = answer(olingo, b, newB);
        assertEquals(o, d, () -> "routes disagree on " + c);
    }

    private static Call withNew(Call c, String id) {
        String path = c.path().replace("{new}", id);
        return new Call(c.method(), path, c.query(), c.headers(), c.body());
    }

    private static ODataResponse serveDirect(ODataRequest r) {
        ODataResponse response = api.direct.serve(r, api.standalone());
        assertNotNull(response, () -> "the direct route left " + r.getMethod() + " " + r.getRawRequestUri() + " to Olingo");
        return response;
    }

    private static ODataResponse serveOlingo(ODataRequest r) {
        return api.newHandler(api.standalone()).process(RequestNormalizer.normalize(r, api.catalog()));
    }

    private static String stock(String body) {
        ODataResponse created = api.process(Call.of(HttpMethod.POST, "new_stocks").body(body).request(""), api.standalone());
        assertEquals(204, created.getStatusCode());
        String entityId = created.getHeader(Http.ODATA_ENTITY_ID);
        return entityId.substring(entityId.indexOf('(') + 1, entityId.length() - 1);
    }

    private static long version(String id) throws IOException {
        ODataResponse r = api.process(Call.of(HttpMethod.GET, "new_stocks(" + id + ")").request(id), api.standalone());
        return JSON.readTree(r.getContent()).get("versionnumber").asLong();
    }

    /** The response with the twin's own ids replaced by placeholders and every version and timestamp masked. */
    private static Answer answer(ODataResponse r, String... ids) throws IOException {
        String body = "";
        InputStream content = r.getContent();
        if (content != null) {
            body = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> generated = new ArrayList<>();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.getAllHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        if (headers.containsKey(Http.ODATA_ENTITY_ID)) {
            String e = headers.get(Http.ODATA_ENTITY_ID);
            generated.add(e.substring(e.indexOf('(') + 1, e.length() - 1));
        }
        if (headers.containsKey(Http.ETAG)) {
            headers.put(Http.ETAG, "W/\"*\"");
        }
        if (body.startsWith("{")) {
            JsonNode json = JSON.readTree(body);
            if (json instanceof ObjectNode o) {
                mask(o, generated);
            }
            body = JSON.writeValueAsString(json);
        }
        Map<String, String> masked = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            masked.put(h.getKey().toLowerCase(Locale.ROOT), replaceIds(h.getValue(), ids, generated));
        }
        return new Answer(r.getStatusCode(), masked, replaceIds(body, ids, generated));
    }

    private static void mask(ObjectNode o, List<String> generated) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            if (k.equals("new_bookingid") || k.equals("new_stockid")) {
                generated.add(f.getValue().asText());
            }
            if (k.equals("@odata.etag") || k.startsWith("versionnumber") || k.startsWith("modifiedon") || k.startsWith("createdon")
                    || k.startsWith("new_bookingnumber")) {
                f.setValue(JSON.getNodeFactory().textNode("*"));
            }
        }
    }

    private static String replaceIds(String s, String[] ids, List<String> generated) {
        String out = s;
        for (int i = 0; i < ids.length; i++) {
            out = out.replace(ids[i], "{id" + i + "}").replace(ids[i].toUpperCase(Locale.ROOT), "{ID" + i + "}");
        }
        for (String g : generated) {
            out = out.replace(g, "{generated}");
        }
        return out;
    }
}
