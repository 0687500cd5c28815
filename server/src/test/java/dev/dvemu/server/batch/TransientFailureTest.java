package dev.dvemu.server.batch;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two changesets that update the same two rows in opposite order deadlock in PostgreSQL; the one PostgreSQL
 * aborts is answered as Dataverse answers a deadlock victim (500 with its generic SQL error code
 * 0x80044150) and none of its writes are visible, while the other commits.
 */
@DvemuTest(reset = Reset.NEVER)
class TransientFailureTest {
    static Dvemu dvemu;

    private static UUID stock() {
        UUID id = UUID.randomUUID();
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"deadlock\",\"new_availablecount\":0}")
                .patch("new_stocks(" + id + ")").then().statusCode(204);
        return id;
    }

    private static String changeset(UUID first, UUID second, int value) {
        return BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + first + ")", "{\"new_availablecount\":" + value + "}")
                // a second statement on the first row holds its lock a little longer, so the other changeset
                // has taken its own first row by the time this one reaches for it
                .op("2", "PATCH", "new_stocks(" + first + ")", "{\"new_bookedcount\":" + value + "}")
                .op("3", "PATCH", "new_stocks(" + second + ")", "{\"new_availablecount\":" + value + "}")
                .endChangeset().build();
    }

    private static Response send(String body) {
        String boundary = body.substring(2, body.indexOf("\r\n"));
        return Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
    }

    @Test
    @Timeout(120)
    void aDeadlockedChangesetIsAnsweredAsRetryableAndLeavesNothingBehind() throws Exception {
        for (int attempt = 0; attempt < 15; attempt++) {
            UUID a = stock();
            UUID b = stock();
            String ab = changeset(a, b, 1);
            String ba = changeset(b, a, 2);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> await(go, ab));
            CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> await(go, ba));
            go.countDown();
            List<Response> both = List.of(first.get(), second.get());
            Response loser = both.stream().filter(r -> r.statusCode() != 200).findFirst().orElse(null);
            if (loser == null) {
                continue; // the two happened not to overlap; try again
            }
            Response winner = both.get(0) == loser ? both.get(1) : both.get(0);
            assertEquals(200, winner.statusCode(), winner.asString());
            assertEquals(400, loser.statusCode());
            String text = loser.asString();
            assertTrue(text.contains("HTTP/1.1 500 Internal Server Error"), text);
            assertTrue(text.contains("\"code\":\"0x80044150\""), text);
            int winnerValue = winner == first.get() ? 1 : 2;
            for (UUID id : List.of(a, b)) {
                Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200)
                        .body("new_availablecount", org.hamcrest.Matchers.equalTo(winnerValue));
            }
            Api.given(dvemu).get("new_stocks(" + (winnerValue == 1 ? a : b) + ")").then()
                    .body("new_bookedcount", org.hamcrest.Matchers.equalTo(winnerValue));
            Api.given(dvemu).get("new_stocks(" + (winnerValue == 1 ? b : a) + ")").then()
                    .body("new_bookedcount", org.hamcrest.Matchers.nullValue());
            return;
        }
        fail("no two changesets deadlocked in 15 attempts");
    }

    private static Response await(CountDownLatch go, String body) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return send(body);
    }
}
