package dev.dvemu.server.batch;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An external PostgreSQL restarted under a load of changesets: every changeset either commits whole (and is then
 * there after the restart) or is answered as retryable, and none is ever half-applied.
 */
class DatabaseRestartTest {
    private static final int CLIENTS = 4;
    private static final int ROWS_PER_CHANGESET = 3;
    private static final Pattern PART_STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");
    private static final Pattern CODE = Pattern.compile("\"code\":\"([^\"]*)\"");

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void aChangesetLoadSurvivesARestartOfTheDatabase() throws Exception {
        int pgPort;
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(pgPort);
        String url = "jdbc:postgresql://localhost:" + pgPort + "/postgres";
        Dvemu server = Dvemu.start(DvemuConfig.builder().database(url, "postgres", null).build());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        List<String> wrongAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger retryable = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        String prefix = "restart-" + UUID.randomUUID();
                        attempted.add(prefix);
                        Response r = send(server, changeset(prefix));
                        String verdict = verdict(r);
                        switch (verdict) {
                            case "ok" -> acknowledged.add(prefix);
                            case "retryable" -> retryable.incrementAndGet();
                            default -> wrongAnswers.add(verdict);
                        }
                    }
                    return null;
                }));
            }
            awaitAtLeast(acknowledged, 20);
            pg.close(); // fast shutdown: PostgreSQL terminates every session, the changesets in flight among them
            pg = start(pgPort);
            int before = acknowledged.size();
            awaitAtLeast(acknowledged, before + 20);
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            assertTrue(wrongAnswers.isEmpty(), "every failure must be answered as retryable: " + wrongAnswers);
            try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
                for (String prefix : attempted) {
                    int rows = rowsWith(c, prefix);
                    if (acknowledged.contains(prefix)) {
                        assertEquals(ROWS_PER_CHANGESET, rows, "an acknowledged changeset is all there: " + prefix);
                    } else {
                        assertTrue(rows == 0 || rows == ROWS_PER_CHANGESET, "a changeset is never half-applied: " + prefix + " has " + rows);
                    }
                }
            }
        } finally {
            stop.set(true);
            clients.shutdownNow();
            server.close();
            pg.close();
        }
    }

    private EmbeddedPostgres start(int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void awaitAtLeast(Set<String> acknowledged, int n) throws InterruptedException {
        while (acknowledged.size() < n) {
            Thread.sleep(20);
        }
    }

    private static String changeset(String prefix) {
        BatchBody body = BatchBody.crlf().beginChangeset();
        for (int i = 1; i <= ROWS_PER_CHANGESET; i++) {
            body.op(Integer.toString(i), "POST", "new_stocks", "{\"new_name\":\"" + prefix + "-" + i + "\"}");
        }
        return body.endChangeset().build();
    }

    private static Response send(Dvemu server, String body) {
        String boundary = body.substring(2, body.indexOf("\r\n"));
        return Api.given(server).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
    }

    /** "ok", "retryable", or a description of an answer a client could not act on. */
    private static String verdict(Response r) {
        String text = r.asString();
        if (r.statusCode() == 200) {
            Matcher m = PART_STATUS.matcher(text);
            int parts = 0;
            while (m.find()) {
                parts++;
                if (!m.group(1).equals("204")) {
                    return "200 with a failed part: " + text;
                }
            }
            return parts == ROWS_PER_CHANGESET ? "ok" : "200 with " + parts + " parts: " + text;
        }
        int status = r.statusCode();
        String code = "";
        if (status == 400 && r.getContentType().startsWith("multipart/")) {
            Matcher m = PART_STATUS.matcher(text);
            status = m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
        Matcher c = CODE.matcher(text);
        if (c.find()) {
            code = c.group(1);
        }
        boolean retryable = code.equals("0x80044150") || status == 503;
        return retryable ? "retryable" : status + " " + code + ": " + text;
    }

    private static int rowsWith(Connection c, String prefix) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM new_stock WHERE new_name LIKE ?")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
