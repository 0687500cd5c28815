package dev.dvemu.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a user books one unit of a stock over the plain Web API, the way the field report does it with a Power
 * Automate changeset:
 * <ol>
 *   <li>read the stock (its counts and {@code @odata.etag});</li>
 *   <li>nothing available: mark the booking "No stock left" and stop;</li>
 *   <li>otherwise send ONE changeset in a {@code $batch}: create the slot row {@code booked + 1} (the alternate key
 *       (stock, slot number) lets only one booking take a slot), confirm the booking, and write the new counts to
 *       the stock with {@code If-Match: <the ETag read>};</li>
 *   <li>outer 200: confirmed. Outer 400 whose changeset is answered by one 412, for the slot (Content-ID 1: slot
 *       already taken) or for the stock (Content-ID 3: stale ETag): nothing of the changeset was written; wait a
 *       short random time and start again from the read.</li>
 * </ol>
 * Any other answer is recorded as unexpected (with its raw text) and also retried, so a test can both see it and
 * still check where the data ended up. Every booking gives up after a bounded number of retries.
 */
final class BookingClient {
    static final int PENDING = 100_000_000;
    static final int CONFIRMED = 100_000_001;
    static final int NO_STOCK_LEFT = 100_000_002;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INNER_STATUS = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3})");
    private static final Pattern CONTENT_ID = Pattern.compile("(?m)^Content-ID: *(\\S+)");
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");

    enum Result { CONFIRMED, NO_STOCK_LEFT, GAVE_UP }

    /**
     * The end of one booking: how it ended, how many reads-and-tries it took, why the failed tries failed (stale
     * ETag on the stock vs. slot already taken), and every answer that was neither success nor a 412 changeset.
     */
    record Outcome(String bookingId, Result result, int attempts, int staleEtags, int slotsTaken,
                   List<String> unexpected) {
    }

    /** One row of new_stocks as read. */
    record Stock(int available, int booked, String etag) {
    }

    /** One row of new_bookingslots as read. */
    record Slot(int number, String bookingId) {
    }

    /** One row of new_bookings as read. */
    record Booking(String id, String name, int status) {
    }

    private final HttpClient http;
    private final URI base;
    private final int maxRetries;

    /** @param base the Web API root, e.g. {@code http://host:port/api/data/v9.2/} */
    BookingClient(HttpClient http, URI base, int maxRetries) {
        this.http = http;
        this.base = base;
        this.maxRetries = maxRetries;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    // ---------- the booking ----------

    Outcome book(String stockId, String bookingId) {
        List<String> unexpected = new ArrayList<>();
        int staleEtags = 0;
        int slotsTaken = 0;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            if (attempt > 1) {
                pause();
            }
            HttpResponse<String> read = send("GET",
                    "new_stocks(" + stockId + ")?$select=new_availablecount,new_bookedcount", null, null);
            if (read.statusCode() != 200) {
                unexpected.add(describe("read stock", read));
                continue;
            }
            Stock stock = parseStock(read.body());
            if (stock.available() <= 0) {
                HttpResponse<String> turnedDown = send("PATCH", "new_bookings(" + bookingId + ")",
                        "{\"new_status\":" + NO_STOCK_LEFT + "}", "*");
                if (turnedDown.statusCode() == 204) {
                    return new Outcome(bookingId, Result.NO_STOCK_LEFT, attempt, staleEtags, slotsTaken, unexpected);
                }
                unexpected.add(describe("mark no stock left", turnedDown));
                continue;
            }
            HttpResponse<String> batch = sendBatch(bookingChangeset(stockId, bookingId, stock));
            List<String> inner = matches(INNER_STATUS, batch.body());
            if (batch.statusCode() == 200 && inner.equals(List.of("204", "204", "204"))) {
                return new Outcome(bookingId, Result.CONFIRMED, attempt, staleEtags, slotsTaken, unexpected);
            }
            if (batch.statusCode() == 400 && inner.equals(List.of("412"))) {
                // the changeset is answered by its failing operation alone, carrying that operation's Content-ID
                List<String> failed = matches(CONTENT_ID, batch.body());
                if (failed.equals(List.of("3"))) {
                    staleEtags++;
                    continue;
                }
                if (failed.equals(List.of("1"))) {
                    slotsTaken++;
                    continue;
                }
            }
            unexpected.add(describe("changeset", batch));
        }
        return new Outcome(bookingId, Result.GAVE_UP, maxRetries + 1, staleEtags, slotsTaken, unexpected);
    }

    /** The three operations of the field report, in one changeset, with CRLF line endings. */
    private String bookingChangeset(String stockId, String bookingId, Stock stock) {
        int slot = stock.booked() + 1;
        String changeset = "changeset_" + UUID.randomUUID();
        StringBuilder b = new StringBuilder();
        b.append("Content-Type: multipart/mixed; boundary=").append(changeset).append("\r\n\r\n");
        operation(b, changeset, 1, "POST", "new_bookingslots", null,
                "{\"new_name\":\"slot " + slot + "\",\"new_slotnumber\":" + slot
                        + ",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\""
                        + ",\"new_BookingId@odata.bind\":\"/new_bookings(" + bookingId + ")\"}");
        operation(b, changeset, 2, "PATCH", "new_bookings(" + bookingId + ")", "*",
                "{\"new_status\":" + CONFIRMED + "}");
        operation(b, changeset, 3, "PATCH", "new_stocks(" + stockId + ")", stock.etag(),
                "{\"new_availablecount\":" + (stock.available() - 1) + ",\"new_bookedcount\":" + slot + "}");
        b.append("--").append(changeset).append("--\r\n");
        return b.toString();
    }

    private void operation(StringBuilder b, String changeset, int contentId, String method, String path,
                           String ifMatch, String json) {
        b.append("--").append(changeset).append("\r\n");
        b.append("Content-Type: application/http\r\n");
        b.append("Content-Transfer-Encoding: binary\r\n");
        b.append("Content-ID: ").append(contentId).append("\r\n\r\n");
        b.append(method).append(' ').append(base.resolve(path)).append(" HTTP/1.1\r\n");
        b.append("Content-Type: application/json\r\n");
        if (ifMatch != null) {
            b.append("If-Match: ").append(ifMatch).append("\r\n");
        }
        b.append("\r\n").append(json).append("\r\n");
    }

    private HttpResponse<String> sendBatch(String changesetPart) {
        String boundary = "batch_" + UUID.randomUUID();
        String body = "--" + boundary + "\r\n" + changesetPart + "--" + boundary + "--\r\n";
        HttpRequest request = request("$batch")
                .header("Content-Type", "multipart/mixed; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return exchange(request);
    }

    private static void pause() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 51));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    // ---------- setting up and reading back ----------

    String createStock(String name, int available, int booked) {
        return create("new_stocks", "{\"new_name\":\"" + name + "\",\"new_availablecount\":" + available
                + ",\"new_bookedcount\":" + booked + "}");
    }

    /** A new booking of one unit of the stock, Pending as every new booking is. */
    String createBooking(String stockId, String name) {
        return create("new_bookings", "{\"new_name\":\"" + name + "\",\"new_quantity\":1"
                + ",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\"}");
    }

    /** Sets the stock's counts unconditionally (update only). */
    void setCounts(String stockId, int available, int booked) {
        HttpResponse<String> r = send("PATCH", "new_stocks(" + stockId + ")",
                "{\"new_availablecount\":" + available + ",\"new_bookedcount\":" + booked + "}", "*");
        expect(204, "update stock", r);
    }

    /** Renames the stock (update only): its counts stay, its version moves on. */
    void rename(String stockId, String name) {
        HttpResponse<String> r = send("PATCH", "new_stocks(" + stockId + ")", "{\"new_name\":\"" + name + "\"}", "*");
        expect(204, "rename stock", r);
    }

    Stock stock(String stockId) {
        HttpResponse<String> r = send("GET",
                "new_stocks(" + stockId + ")?$select=new_availablecount,new_bookedcount", null, null);
        expect(200, "read stock", r);
        return parseStock(r.body());
    }

    List<Slot> slots(String stockId) {
        List<Slot> slots = new ArrayList<>();
        for (JsonNode row : list("new_bookingslots?$select=new_slotnumber,_new_bookingid_value"
                + "&$filter=_new_stockid_value%20eq%20" + stockId)) {
            slots.add(new Slot(row.get("new_slotnumber").asInt(), row.get("_new_bookingid_value").asText()));
        }
        return slots;
    }

    List<Booking> bookings(String stockId) {
        List<Booking> bookings = new ArrayList<>();
        for (JsonNode row : list("new_bookings?$select=new_name,new_status"
                + "&$filter=_new_stockid_value%20eq%20" + stockId)) {
            bookings.add(new Booking(row.get("new_bookingid").asText(), row.get("new_name").asText(),
                    row.get("new_status").asInt()));
        }
        return bookings;
    }

    private List<JsonNode> list(String path) {
        HttpResponse<String> r = send("GET", path, null, null);
        expect(200, "query " + path, r);
        JsonNode page = readJson(r.body());
        if (page.has("@odata.nextLink")) {
            throw new IllegalStateException("more rows than one page: " + path);
        }
        List<JsonNode> rows = new ArrayList<>();
        page.get("value").forEach(rows::add);
        return rows;
    }

    private String create(String entitySet, String json) {
        HttpResponse<String> r = send("POST", entitySet, json, null);
        expect(204, "create in " + entitySet, r);
        String entityId = r.headers().firstValue("OData-EntityId")
                .orElseThrow(() -> new IllegalStateException("no OData-EntityId: " + describe("create", r)));
        Matcher m = ENTITY_ID.matcher(entityId);
        if (!m.find()) {
            throw new IllegalStateException("unexpected OData-EntityId " + entityId);
        }
        return m.group(1);
    }

    // ---------- HTTP ----------

    private HttpResponse<String> send(String method, String path, String json, String ifMatch) {
        HttpRequest.Builder b = request(path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return exchange(b.build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer booking-client")
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    private static Stock parseStock(String body) {
        JsonNode row = readJson(body);
        return new Stock(row.get("new_availablecount").asInt(), row.get("new_bookedcount").asInt(),
                row.get("@odata.etag").asText());
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static void expect(int status, String step, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ": " + describe(step, r));
        }
    }

    private static List<String> matches(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The raw answer, for failure messages. */
    static String describe(String step, HttpResponse<String> r) {
        return step + " -> " + r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("") + "\n" + r.body();
    }
}
