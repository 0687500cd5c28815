package dev.dvemu.server.admin;

import dev.dvemu.server.error.DataverseException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API, {@code /_dvemu/<resource>/...}: JSON in and out, on the API's port, never under
 * {@code /api/data/}. Routes by the first path segment to an {@link AdminResource}; every failure is answered as
 * {@code {"error":{"code","message"}}}, never as a stack trace.
 */
public final class AdminServlet extends HttpServlet {
    public static final String PATH = "/_dvemu";
    private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);

    private final transient Map<String, AdminResource> resources = new LinkedHashMap<>();

    public AdminServlet(List<AdminResource> resources) {
        for (AdminResource r : resources) {
            if (this.resources.put(r.name(), r) != null) {
                throw new IllegalArgumentException("two admin resources named " + r.name());
            }
        }
    }

    /** The resource names served, for {@code /_dvemu/info}. */
    public List<String> names() {
        return List.copyOf(resources.keySet());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        List<String> segments = new ArrayList<>();
        for (String s : info.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        AdminExchange exchange = new AdminExchange(req, resp, segments.isEmpty() ? List.of() : segments.subList(1, segments.size()));
        try {
            AdminResource resource = segments.isEmpty() ? null : resources.get(segments.get(0));
            if (resource == null) {
                throw AdminException.notFound("No admin resource at " + req.getRequestURI() + "; served: "
                        + String.join(", ", resources.keySet().stream().map(n -> PATH + "/" + n).toList()));
            }
            resource.handle(exchange);
        } catch (AdminException e) {
            error(resp, e.status(), e.code(), e.getMessage());
        } catch (DataverseException e) {
            // the database's failures, as the Web API answers them (503 when it is down, 500 on a deadlock...)
            error(resp, e.status(), e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            error(resp, 400, "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("admin call {} {} failed", req.getMethod(), req.getRequestURI(), e);
            error(resp, 500, "InternalError", "The admin call failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", code);
        inner.put("message", message);
        resp.setStatus(status);
        resp.setContentType("application/json; charset=utf-8");
        resp.getOutputStream().write(AdminExchange.JSON.writeValueAsBytes(Map.of("error", inner)));
    }

    /** {@code /_dvemu/...} when started with {@code --no-admin}: a 404 that says why. */
    public static final class Disabled extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            error(resp, 404, "AdminDisabled", "The admin API is off: this server was started with --no-admin (DVEMU_NO_ADMIN).");
        }
    }
}
