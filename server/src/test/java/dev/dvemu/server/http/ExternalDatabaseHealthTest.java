package dev.dvemu.server.http;

import dev.dvemu.server.support.TcpProxy;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health} with an external database ({@code --db-url}) that drops off the network answers 503 with a
 * reason well before the pool's 10 s wait for a connection would end: a load balancer's probe must not hang.
 */
@DvemuTest(reset = Reset.NEVER)
class ExternalDatabaseHealthTest {
    static Dvemu dvemu;

    private static final Pattern PORT = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/.*");

    @Test
    void healthAnswers503PromptlyWhenTheExternalDatabaseBecomesUnreachable() throws Exception {
        Matcher db = PORT.matcher(dvemu.jdbcUrl());
        assertTrue(db.matches(), dvemu.jdbcUrl());
        TcpProxy network = new TcpProxy(db.group(1), Integer.parseInt(db.group(2)));
        Dvemu server = Dvemu.start(DvemuConfig.builder()
                .database("jdbc:postgresql://127.0.0.1:" + network.port() + "/postgres", "postgres", null).build());
        try {
            HttpClient http = HttpClient.newHttpClient();
            // the client gives up after 6 s, well short of the pool's 10 s connection timeout
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .timeout(Duration.ofSeconds(6)).build();
            assertEquals(200, http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());

            // idle past the pool's 500 ms in which a connection is handed out without a check: the pool now checks
            // each idle connection (up to 5 s each) before giving up after 10 s, as it would in production
            Thread.sleep(1000);
            network.blackhole();

            HttpResponse<String> down = http.send(health, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("\"status\":\"database unavailable\""), down.body());
            assertTrue(down.body().contains("\"reason\":\"the database does not answer"), down.body());
        } finally {
            network.close(); // first: the pool's attempts to connect through it end with it
            server.close();
        }
    }
}
