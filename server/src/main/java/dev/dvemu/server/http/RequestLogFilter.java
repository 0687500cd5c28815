package dev.dvemu.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.dvemu.server.admin.AdminServlet;
import dev.dvemu.server.control.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id (sent back as {@code REQ_ID} and {@code x-ms-service-request-id}, like Dataverse) and
 * logs one line when it ends: method, path, status, milliseconds, request id. Never headers or bodies, so no
 * tokens reach the log. Records the request in the {@link Journal} too (admin calls and {@code /health} excepted).
 */
public final class RequestLogFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger("dvemu.access");
    /** Set (to {@code true}) on the Jetty server with {@code --quiet}: answers given before the servlets are not logged either. */
    public static final String QUIET_ATTRIBUTE = "dev.dvemu.quiet";
    /** Request attribute: the Dataverse error code of the answer, set by whoever writes an error body. */
    public static final String CODE = "dvemu.code";
    /** Request attribute: present when the connection was closed without an answer (a fault rule's drop). */
    public static final String DROPPED = "dvemu.dropped";

    private final boolean quiet;
    private final Journal journal;

    public RequestLogFilter() {
        this(false, Journal.OFF);
    }

    /** With {@code quiet} ({@code --quiet}), requests get their id but no log line; the journal records them anyway. */
    public RequestLogFilter(boolean quiet, Journal journal) {
        this.quiet = quiet;
        this.journal = journal;
    }

    /**
     * A random version-4 UUID from the thread's own generator: request ids need to be unique, not unpredictable,
     * and {@link UUID#randomUUID()} serialises every request thread on one SecureRandom.
     */
    static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        long start = System.nanoTime();
        long startMillis = journal.enabled() ? System.currentTimeMillis() : 0;
        String id = requestId();
        resp.setHeader("REQ_ID", id);
        resp.setHeader("x-ms-service-request-id", id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (!quiet) {
                log(req.getMethod(), req.getRequestURI(), resp.getStatus(), start, id);
            }
            if (journal.enabled()) {
                journal(req, resp, start, startMillis, id);
            }
        }
    }

    private void journal(HttpServletRequest req, HttpServletResponse resp, long start, long startMillis, String id) {
        String uri = req.getRequestURI();
        if (uri.startsWith(AdminServlet.PATH) && (uri.length() == AdminServlet.PATH.length() || uri.charAt(AdminServlet.PATH.length()) == '/')
                || uri.equals("/health")) {
            return;
        }
        boolean dropped = req.getAttribute(DROPPED) != null;
        journal.request(startMillis, id, req.getMethod(), uri, req.getQueryString(), dropped ? 0 : resp.getStatus(),
                (String) req.getAttribute(CODE), (System.nanoTime() - start) / 1_000_000);
    }

    /** The access log line; also written for requests answered before the servlets (see {@link EarlyAnswers}). */
    static void log(String method, String path, int status, long startNanos, String id) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {}ms {}", method, path, status, (System.nanoTime() - startNanos) / 1_000_000, id);
        }
    }
}
