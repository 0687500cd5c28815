package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** JSON over HTTP to {@code /_dvemu/}; an error answer becomes a {@link DvemuException} with the server's message. */
final class AdminHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String adminUrl;
    private final String token;

    AdminHttp(String baseUrl, String token) {
        this.adminUrl = baseUrl + "/_dvemu/";
        this.token = token;
    }

    JsonNode get(String path) {
        return send("GET", path, null, Duration.ofSeconds(60));
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body, Duration.ofSeconds(120));
    }

    JsonNode post(String path, Object body, Duration timeout) {
        return send("POST", path, body, timeout);
    }

    void delete(String path) {
        send("DELETE", path, null, Duration.ofSeconds(60));
    }

    static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    private JsonNode send(String method, String path, Object body, Duration timeout) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DvemuException(method + " /_dvemu/" + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DvemuException(method + " /_dvemu/" + path + " was interrupted", e);
        }
        JsonNode json = null;
        if (response.body().length > 0) {
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                if (response.statusCode() < 300) {
                    throw new DvemuException(response.statusCode(), null, method + " /_dvemu/" + path
                            + " answered something other than JSON: " + new String(response.body(), StandardCharsets.UTF_8));
                }
            }
        }
        if (response.statusCode() >= 300) {
            JsonNode error = json == null ? null : json.path("error");
            if (error != null && error.isObject()) {
                throw new DvemuException(response.statusCode(), error.path("code").asText(null),
                        error.path("message").asText(method + " /_dvemu/" + path + " answered " + response.statusCode()));
            }
            throw new DvemuException(response.statusCode(), null, method + " /_dvemu/" + path + " answered "
                    + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return json == null ? JSON.nullNode() : json;
    }
}
