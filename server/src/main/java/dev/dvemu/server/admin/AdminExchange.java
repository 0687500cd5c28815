package dev.dvemu.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One admin call: the method, the path below the resource, the query, the JSON body, and the answer. */
public final class AdminExchange {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final List<String> segments;

    AdminExchange(HttpServletRequest request, HttpServletResponse response, List<String> segments) {
        this.request = request;
        this.response = response;
        this.segments = segments;
    }

    /** Upper-case HTTP method. */
    public String method() {
        return request.getMethod().toUpperCase(Locale.ROOT);
    }

    /** The decoded path segments after the resource name: {@code /_dvemu/snapshots/a/restore} gives {@code [a, restore]}. */
    public List<String> segments() {
        return segments;
    }

    /** The full path, for messages. */
    public String path() {
        return request.getRequestURI();
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(request.getParameter(name)).filter(v -> !v.isEmpty());
    }

    /** A query parameter that must be a whole number within bounds, or the default when absent. */
    public long longQuery(String name, long dflt, long min, long max) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AdminException.badRequest("'" + name + "' must be a whole number from " + min + " to " + max + ", not '" + v.get() + "'");
    }

    public HttpServletRequest servletRequest() {
        return request;
    }

    /** The JSON body, or {@link NullNode} when there is none; a body that is not JSON is a 400. */
    public JsonNode body() throws IOException {
        byte[] bytes = request.getInputStream().readAllBytes();
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw AdminException.badRequest("The body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Answers {@code status} with {@code body} written as JSON. */
    public void respond(int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    public void noContent() {
        response.setStatus(204);
    }

    /** Refuses any method but the listed ones. */
    public void allow(String... methods) {
        for (String m : methods) {
            if (m.equals(method())) {
                return;
            }
        }
        throw AdminException.methodNotAllowed(method(), path(), List.of(methods));
    }

    /** Refuses a path with more segments than the resource knows. */
    public AdminException unknownPath() {
        return AdminException.notFound("No admin resource at " + path() + ". See GET /_dvemu/info for what is served.");
    }
}
