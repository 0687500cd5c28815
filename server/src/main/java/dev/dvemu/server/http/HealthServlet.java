package dev.dvemu.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.db.DatabaseHealth;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health}: 200 when the API is serving and the database answers. The server only listens once
 * migrations and the schema check have passed, so a 200 means "ready". Otherwise 503 with the reason, within
 * about two seconds: at once when the database is known to be down.
 */
public final class HealthServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final transient DatabaseHealth health;

    public HealthServlet(DatabaseHealth health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> problem = health.problem();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", problem.isEmpty() ? "ok" : "database unavailable");
        problem.ifPresent(reason -> body.put("reason", reason));
        resp.setStatus(problem.isEmpty() ? 200 : 503);
        resp.setContentType("application/json");
        resp.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
