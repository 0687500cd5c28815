package dev.dvemu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.client.BookingWorkflow;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPatch;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The same workloads as {@link Baseline}, through dvemu's Web API as a plain HTTP client (or the SDK) sends them. */
final class DvemuWorkloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String[] DATA_TEMPLATE = {
            "INSERT INTO new_stock (new_stockid, new_name, new_availablecount, new_bookedcount, versionnumber, createdon, modifiedon) "
                    + "SELECT lpad(to_hex(n),32,'0')::uuid, 'stock '||n, 1000000000, 0, nextval('dvemu_versionnumber_seq'), now(), now() "
                    + "FROM generate_series(1,%STOCKS%) n",
            "INSERT INTO new_booking (new_bookingid, new_name, new_quantity, new_status, new_stockid, new_bookingnumber, versionnumber, createdon, modifiedon) "
                    + "SELECT lpad(to_hex(n),32,'0')::uuid, 'booking '||n, 1, 100000000, lpad(to_hex(1 + (n % 100)),32,'0')::uuid, 'BK-'||n, "
                    + "nextval('dvemu_versionnumber_seq'), now(), now() FROM generate_series(1,%BOOKINGS%) n",
            "VACUUM ANALYZE new_stock", "VACUUM ANALYZE new_booking"};

    private final URI base;
    private final CloseableHttpClient http;

    DvemuWorkloads(URI base) {
        this.base = base;
        this.http = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(512).setMaxConnPerRoute(512).build()).disableAutomaticRetries()
                // a server that stops answering (scenario 6 against a server whose threads are all taken) shows as
                // errors, not as a benchmark that never ends
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build()).build();
    }

    /** A status and a body, read completely so the connection goes back to the pool. */
    private record Answer(int status, byte[] body) {
    }

    private Answer send(ClassicHttpRequest r) throws IOException {
        r.setHeader("Authorization", "Bearer bench");
        r.setHeader("Accept", "application/json");
        r.setHeader("OData-MaxVersion", "4.0");
        r.setHeader("OData-Version", "4.0");
        return http.execute(r, response -> new Answer(response.getCode(),
                response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
    }

    private static ByteArrayEntity json(String body) {
        return new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON);
    }

    static String[] data(int stocks, int bookings) {
        String[] out = new String[DATA_TEMPLATE.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = DATA_TEMPLATE[i].replace("%STOCKS%", Integer.toString(stocks)).replace("%BOOKINGS%", Integer.toString(bookings));
        }
        return out;
    }

    private record Versioned(String etag, int available) {
    }

    private Versioned read(UUID stock) throws Exception {
        Answer r = send(new HttpGet(base.resolve("new_stocks(" + stock + ")?$select=new_availablecount")));
        if (r.status() != 200) {
            throw new IllegalStateException("GET stock answered " + r.status());
        }
        JsonNode n = JSON.readTree(r.body());
        return new Versioned(n.get("@odata.etag").asText(), n.get("new_availablecount").asInt());
    }

    /** Scenario 6: GET one random row. */
    Load.Task readRow(int rows) {
        return () -> {
            read(BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(rows)));
            return Load.Outcome.OK;
        };
    }

    /** Scenario 8: one GET of a query URL (relative to the Web API) whose answer must be a 200; its body as JSON. */
    JsonNode query(String pathAndQuery) throws IOException {
        Answer r = send(new HttpGet(base.resolve(pathAndQuery)));
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " answered " + r.status() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(r.body());
    }

    /**
     * Scenario 8: the same GET in a loop; a 200 is a success. The body is read whole but not parsed, as a client that
     * only moves the page along would (the answer's shape is checked once, outside the measured loop).
     */
    Load.Task get(String pathAndQuery) {
        return () -> {
            Answer r = send(new HttpGet(base.resolve(pathAndQuery)));
            if (r.status() != 200) {
                throw new IllegalStateException("GET answered " + r.status());
            }
            return Load.Outcome.OK;
        };
    }

    /** Scenario 1: GET the row (its ETag), then PATCH with If-Match; a 412 is a lost race, not a success. */
    Load.Task optimisticUpdate(int rows) {
        return () -> {
            UUID id = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(rows));
            Versioned v = read(id);
            HttpPatch patch = new HttpPatch(base.resolve("new_stocks(" + id + ")"));
            patch.setEntity(json("{\"new_availablecount\":" + (v.available() - 1) + "}"));
            patch.setHeader("If-Match", v.etag());
            Answer r = send(patch);
            if (r.status() == 204) {
                return Load.Outcome.OK;
            }
            if (r.status() == 412) {
                return Load.Outcome.FAILED;
            }
            throw new IllegalStateException("PATCH answered " + r.status());
        };
    }

    /**
     * Scenario 1 with a held ETag: each client owns its share of the rows (so nobody else moves their versions),
     * reads a row once, and from then on PATCHes with the ETag the previous PATCH returned
     * ({@code Prefer: return=representation} answers with the new version): one request per transaction.
     */
    Load.Task optimisticUpdateHeldEtag(int rows, int client, int clients) {
        java.util.Map<UUID, Versioned> held = new java.util.HashMap<>();
        int share = Math.max(1, rows / clients);
        return () -> {
            UUID id = BenchDatabase.id(1 + client + (long) clients * ThreadLocalRandom.current().nextInt(share) % rows);
            Versioned v = held.get(id);
            if (v == null) {
                v = read(id);
            }
            HttpPatch patch = new HttpPatch(base.resolve("new_stocks(" + id + ")?$select=new_availablecount"));
            patch.setEntity(json("{\"new_availablecount\":" + (v.available() - 1) + "}"));
            patch.setHeader("If-Match", v.etag());
            patch.setHeader("Prefer", "return=representation");
            Answer r = send(patch);
            if (r.status() == 200) {
                JsonNode n = JSON.readTree(r.body());
                held.put(id, new Versioned(n.get("@odata.etag").asText(), n.get("new_availablecount").asInt()));
                return Load.Outcome.OK;
            }
            held.remove(id);
            if (r.status() == 412) {
                return Load.Outcome.FAILED;
            }
            throw new IllegalStateException("PATCH answered " + r.status());
        };
    }

    /**
     * Scenario 2: pre-read the stock's ETag, then one changeset: create a slot (unique per attempt, so the key
     * never collides, as in c_tx), confirm a booking, PATCH the stock with If-Match.
     */
    Load.Task bookingChangeset(int stocks, int bookings, int client) {
        return () -> {
            UUID stock = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(stocks));
            UUID booking = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(bookings));
            int slot = Slots.next();
            Versioned v = read(stock);
            String b = "batch_" + client;
            String cs = "changeset_" + client;
            String body = "--" + b + "\r\nContent-Type: multipart/mixed; boundary=" + cs + "\r\n\r\n"
                    + part(cs, 1, "POST new_bookingslots", "{\"new_slotnumber\":" + slot + ",\"new_StockId@odata.bind\":\"/new_stocks("
                    + stock + ")\",\"new_BookingId@odata.bind\":\"/new_bookings(" + booking + ")\"}", null)
                    + part(cs, 2, "PATCH new_bookings(" + booking + ")", "{\"new_status\":100000001}", "*")
                    + part(cs, 3, "PATCH new_stocks(" + stock + ")", "{\"new_availablecount\":" + (v.available() - 1) + "}", v.etag())
                    + "--" + cs + "--\r\n--" + b + "--\r\n";
            HttpPost post = new HttpPost(base.resolve("$batch"));
            post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), ContentType.create("multipart/mixed")));
            post.setHeader("Content-Type", "multipart/mixed; boundary=" + b);
            Answer r = send(post);
            if (r.status() == 200) {
                return Load.Outcome.OK;
            }
            if (r.status() == 400) {
                return Load.Outcome.FAILED;
            }
            throw new IllegalStateException("$batch answered " + r.status());
        };
    }

    private static String part(String cs, int id, String requestLine, String json, String ifMatch) {
        return "--" + cs + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " + id + "\r\n\r\n"
                + requestLine + " HTTP/1.1\r\nContent-Type: application/json\r\n" + (ifMatch == null ? "" : "If-Match: " + ifMatch + "\r\n")
                + "\r\n" + json + "\r\n";
    }

    /** Scenario 3: the SDK's booking workflow against one hot stock, with the given retry policy. */
    static Load.Task hotStockBooking(BookingWorkflow workflow, UUID stock, int client, int bookings) {
        int[] k = {0};
        return () -> {
            UUID booking = BenchDatabase.id(1 + (client * 997L + (k[0]++)) % bookings);
            BookingWorkflow.Result r = workflow.book(stock, booking);
            return new Load.Outcome(r.attempts(), r.outcome() == BookingWorkflow.Outcome.CONFIRMED);
        };
    }
}
