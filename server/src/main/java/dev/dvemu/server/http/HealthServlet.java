package dev.dvemu.server.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code GET /health}: 200 when the API is serving and the database answers. The server only listens once
 * migrations and the schema check have passed, so a 200 means "ready".
 */
public final class HealthServlet extends HttpServlet {
    private final transient DataSource dataSource;

    public HealthServlet(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean up;
        try (Connection c = dataSource.getConnection()) {
            up = c.isValid(2);
        } catch (SQLException e) {
            up = false;
        }
        resp.setStatus(up ? 200 : 503);
        resp.setContentType("application/json");
        resp.getOutputStream().write((up ? "{\"status\":\"ok\"}" : "{\"status\":\"database unavailable\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
