package dev.dvemu.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.testkit.Dvemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Plain HTTP against a real server: Web API requests with a client's headers, admin calls, JSON bodies read. */
final class AdminHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private AdminHttp() {
    }

    /** A request to {@code path} below the server root ({@code /_dvemu/faults}, {@code /api/data/v9.2/x}). */
    static HttpResponse<String> send(Dvemu server, String method, String path, String body, String... headers) {
        String host = server.baseUrl().getHost();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer test-token")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Web API request: {@code path} is below {@code /api/data/v9.2/}. */
    static HttpResponse<String> api(Dvemu server, String method, String path, String body, String... headers) {
        return send(server, method, "/api/data/v9.2/" + path, body, headers);
    }

    /** A {@code $batch} with the given multipart body and content type. */
    static HttpResponse<String> batch(Dvemu server, String contentType, String body) {
        return send(server, "POST", "/api/data/v9.2/$batch", body, "Content-Type", contentType);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new stock row with {@code available} items; returns its id. */
    static UUID stock(Dvemu server, String name, int available) {
        UUID id = UUID.randomUUID();
        HttpResponse<String> r = api(server, "PATCH", "new_stocks(" + id + ")",
                "{\"new_name\":\"" + name + "\",\"new_availablecount\":" + available + ",\"new_bookedcount\":0}");
        if (r.statusCode() != 204) {
            throw new IllegalStateException("cannot create a stock row: " + r.statusCode() + " " + r.body());
        }
        return id;
    }

    /** Adds a fault rule; fails unless it is accepted. Returns its id. */
    static long rule(Dvemu server, String body) {
        HttpResponse<String> r = send(server, "POST", "/_dvemu/faults", body);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("rule refused: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("id").asLong();
    }
}
