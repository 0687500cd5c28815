package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain Web API calls for the tests (no SDK, so what is tested is the testkit). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static Answer send(Dvemu dvemu, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dvemu.webApiUrl() + path))
                .header("Authorization", "Bearer " + dvemu.token())
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0")
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Answer get(Dvemu dvemu, String path) {
        return send(dvemu, "GET", path, null);
    }

    /** Creates a stock row named {@code name}; returns its id. */
    static String createStock(Dvemu dvemu, String name) {
        Answer a = send(dvemu, "POST", "new_stocks", "{\"new_name\":\"" + name + "\"}");
        if (a.status() != 204) {
            throw new AssertionError("creating a stock answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    static Answer createStockAnswer(Dvemu dvemu, String name) {
        return send(dvemu, "POST", "new_stocks", "{\"new_name\":\"" + name + "\"}");
    }

    /** How many stock rows there are (all of them, not only the caller's). */
    static int countStocks(Dvemu dvemu) {
        Answer a = get(dvemu, "new_stocks?$select=new_name");
        if (a.status() != 200) {
            throw new AssertionError("listing stocks answered " + a.status() + ": " + a.body());
        }
        return a.json().path("value").size();
    }
}
