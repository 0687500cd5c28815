package dev.dvemu.server.batch;

import dev.dvemu.server.db.Database;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A changeset is rolled back whatever goes wrong inside it — an {@link Error}, a backend killed under it — and the
 * client is told truthfully whether it may resend: writes known to be rolled back are answered 500 {@code 0x80044150}
 * (Dataverse's answer to a deadlock victim, which clients retry), never as an unexpected error.
 */
@DvemuTest(reset = Reset.NEVER)
class ChangesetFailureTest {
    static Dvemu dvemu;


    @Test
    void anErrorThrownInsideAChangesetCommitsNothing() throws Exception {
        Database database = new Database(dataSource());
        String name = "error-" + UUID.randomUUID();
        assertThrows(StackOverflowError.class, () -> UnitOfWork.changeset(database, unit -> {
            unit.write(c -> insertStock(c, name));
            throw new StackOverflowError("thrown mid-changeset");
        }));
        assertEquals(0, stocksNamed(name), "an Error inside a changeset must not commit the writes before it");
    }

    @Test
    void aRuntimeFailureInsideAChangesetCommitsNothing() throws Exception {
        Database database = new Database(dataSource());
        String name = "failure-" + UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> UnitOfWork.changeset(database, unit -> {
            unit.write(c -> insertStock(c, name));
            throw new IllegalStateException("thrown mid-changeset");
        }));
        assertEquals(0, stocksNamed(name));
    }

    @Test
    @Timeout(60)
    void aChangesetWhoseBackendIsKilledIsAnsweredRetryableAndLeavesNothing() throws Exception {
        UUID first = stock();
        UUID second = stock();
        String body = BatchBody.crlf().beginChangeset()
                .op("1", "PATCH", "new_stocks(" + first + ")", "{\"new_availablecount\":7}")
                .op("2", "PATCH", "new_stocks(" + second + ")", "{\"new_availablecount\":7}")
                .endChangeset().build();
        Response answer = whileLocked(second, () -> send(body));
        String text = answer.asString();
        assertEquals(400, answer.statusCode(), text);
        assertTrue(text.contains("HTTP/1.1 500 Internal Server Error"), text);
        assertTrue(text.contains("\"code\":\"0x80044150\""), "a changeset known to be rolled back is retryable: " + text);
        Api.given(dvemu).get("new_stocks(" + first + ")").then().statusCode(200)
                .body("new_availablecount", equalTo(0));
    }

    @Test
    @Timeout(60)
    void aStandaloneWriteWhoseBackendIsKilledSaysItsOutcomeIsUnknown() throws Exception {
        UUID id = stock();
        Response answer = whileLocked(id, () -> Api.given(dvemu).contentType("application/json")
                .body("{\"new_availablecount\":9}").patch("new_stocks(" + id + ")"));
        assertEquals(503, answer.statusCode(), answer.asString());
        assertEquals("0x80040216", answer.jsonPath().getString("error.code"));
        assertTrue(answer.jsonPath().getString("error.message").contains("may or may not have been written"),
                answer.asString());
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(0));
    }

    /**
     * Sends the request while the test holds the row's lock, finds the server's backend waiting for it, kills that
     * backend, and returns the answer.
     */
    private static Response whileLocked(UUID row, java.util.function.Supplier<Response> request) throws Exception {
        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM new_stock WHERE new_stockid = ? FOR UPDATE")) {
                lock.setObject(1, row);
                lock.executeQuery().close();
            }
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(request);
            int victim = waitingBackend(holder);
            try (PreparedStatement kill = holder.prepareStatement("SELECT pg_terminate_backend(?)")) {
                kill.setInt(1, victim);
                kill.executeQuery().close();
            }
            Response response = answer.get();
            holder.rollback();
            return response;
        }
    }

    private static int waitingBackend(Connection c) throws Exception {
        for (int i = 0; i < 400; i++) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = 'dvemu'"
                         + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the server never waited for the locked row");
    }

    private static UUID stock() {
        UUID id = UUID.randomUUID();
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"kill\",\"new_availablecount\":0}")
                .patch("new_stocks(" + id + ")").then().statusCode(204);
        return id;
    }

    private static Response send(String body) {
        String boundary = body.substring(2, body.indexOf("\r\n"));
        return Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(dvemu.jdbcUrl(), "postgres", null);
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(dvemu.jdbcUrl());
        ds.setUser("postgres");
        return ds;
    }

    private static int insertStock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO new_stock (new_stockid, new_name, versionnumber, createdon, modifiedon)"
                + " VALUES (?, ?, nextval('dvemu_versionnumber_seq'), now(), now())")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            return ps.executeUpdate();
        }
    }

    private static int stocksNamed(String name) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM new_stock WHERE new_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
