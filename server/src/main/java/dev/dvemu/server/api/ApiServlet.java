package dev.dvemu.server.api;

import dev.dvemu.server.api.batch.BatchHandler;
import dev.dvemu.server.api.json.PayloadReader;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.api.processor.ErrorBodyProcessor;
import dev.dvemu.server.control.FaultRule;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.http.RequestLogFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Web API endpoint: turns the servlet request into an OData request, serves the common single-row requests by
 * the {@link DirectRoute}, applies Dataverse's deviations to the rest
 * ({@link RequestNormalizer}), lets Olingo route it to the processors, and writes the answer.
 */
public final class ApiServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Dataverse's limit on a request URL (§0). */
    static final int MAX_URL = 32_768;
    private final transient Api api;
    /** {@code --public-url} without its trailing slash, or null: links then use the request's own scheme and host. */
    private final String publicUrl;

    public ApiServlet(Api api, Optional<URI> publicUrl) {
        this.api = api;
        this.publicUrl = publicUrl.map(URI::toString).orElse(null);
    }

    /** The most body bytes a request to {@code path} may carry: {@code $batch} has a larger limit than JSON bodies. */
    public static int maxBodyBytes(String path) {
        return path.endsWith("/$batch") || path.regionMatches(true, path.length() - 9, "/%24batch", 0, 9)
                ? BatchHandler.MAX_BODY_BYTES : PayloadReader.MAX_BODY_BYTES;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            answer(req, resp);
        } finally {
            api.faults().end();
        }
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ODataResponse answer;
        try {
            if (req.getRequestURI().length() + (req.getQueryString() == null ? 0 : req.getQueryString().length() + 1) > MAX_URL) {
                throw DataverseError.URL_TOO_LONG.exception(MAX_URL);
            }
            ODataRequest raw = toODataRequest(req);
            if (isBatch(raw)) {
                BatchHandler.Answer batch = api.batches.handle(raw, resp.getHeader("REQ_ID"));
                if (!dropped(req, batch.status() < 400)) {
                    writeBatch(resp, batch);
                }
                return;
            }
            answer = api.process(raw, api.standalone());
        } catch (DataverseException e) {
            req.setAttribute(RequestLogFilter.CODE, e.code());
            if (!dropped(req, false)) {
                writeError(resp, e);
            }
            return;
        } catch (RuntimeException | StackOverflowError e) {
            DataverseException failure = unexpected(req.getMethod() + " " + req.getRequestURI(), e);
            req.setAttribute(RequestLogFilter.CODE, failure.code());
            writeError(resp, failure);
            return;
        }
        byte[] errorBody = null;
        if (answer.getStatusCode() >= 400 && answer.getContent() != null) {
            errorBody = answer.getContent().readAllBytes();
            req.setAttribute(RequestLogFilter.CODE, errorCode(errorBody));
        }
        if (dropped(req, answer.getStatusCode() < 400)) {
            return;
        }
        resp.setStatus(answer.getStatusCode());
        for (Map.Entry<String, List<String>> h : answer.getAllHeaders().entrySet()) {
            for (String v : h.getValue()) {
                resp.addHeader(h.getKey(), v);
            }
        }
        resp.setHeader(Http.ODATA_VERSION, "4.0");
        if (errorBody != null) {
            resp.getOutputStream().write(errorBody);
        } else if (answer.getContent() != null) {
            try (InputStream in = answer.getContent(); OutputStream out = resp.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    /**
     * The answer is about to be written: fault rules may hold it, or close the connection instead of answering (a
     * lost answer: what was committed stays committed). True when the connection was closed.
     */
    private boolean dropped(HttpServletRequest req, boolean succeeded) {
        if (!api.faults().beforeAnswer(succeeded)) {
            return false;
        }
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(req);
        if (jetty == null) {
            return false; // not served by Jetty's servlet container: there is no connection to close
        }
        req.setAttribute(RequestLogFilter.DROPPED, Boolean.TRUE);
        jetty.getConnectionMetaData().getConnection().getEndPoint().close();
        return true;
    }

    /** The Dataverse error code in an error body ({@code {"error":{"code":"0x...",...}}}), or null. */
    public static String errorCode(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int i = s.indexOf("\"code\":\"");
        int end = i < 0 ? -1 : s.indexOf('"', i + 8);
        return end < 0 ? null : s.substring(i + 8, end);
    }

    /** The answer of a fault rule's {@code respond}, shaped as every error answer. */
    static ODataResponse injectedResponse(FaultRule.Respond r) {
        ODataResponse response = new ODataResponse();
        response.setStatusCode(r.status());
        response.setHeader(Http.CONTENT_TYPE, Http.JSON);
        response.setHeader(Http.ODATA_VERSION, "4.0");
        response.setContent(new java.io.ByteArrayInputStream(RowJson.error(r.code(), r.message())));
        if (r.retryAfter() != null) {
            response.setHeader(Http.RETRY_AFTER, r.retryAfter().toString());
        }
        return response;
    }

    private ODataRequest toODataRequest(HttpServletRequest req) throws IOException {
        ODataRequest r = new ODataRequest();
        try {
            r.setMethod(HttpMethod.valueOf(req.getMethod()));
        } catch (IllegalArgumentException e) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception(req.getMethod());
        }
        r.setBody(req.getInputStream());
        r.setProtocol(req.getProtocol());
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(req);
        if (jetty != null) {
            // the fields as parsed, in one pass (asking the servlet API name by name scans them once per name)
            for (HttpField field : jetty.getHeaders()) {
                r.addHeader(field.getName(), field.getValue());
            }
        } else {
            for (String name : Collections.list(req.getHeaderNames())) {
                r.addHeader(name, Collections.list(req.getHeaders(name)));
            }
        }
        String prefix = req.getContextPath() + req.getServletPath();
        String uri = req.getRequestURI();
        String odataPath = uri.length() > prefix.length() ? uri.substring(prefix.length()) : "";
        String url = publicUrl == null ? req.getRequestURL().toString() : publicUrl + uri;
        r.setRawBaseUri(url.substring(0, url.length() - odataPath.length()));
        r.setRawODataPath(odataPath);
        r.setRawQueryPath(req.getQueryString());
        r.setRawRequestUri(url + (req.getQueryString() == null ? "" : "?" + req.getQueryString()));
        r.setRawServiceResolutionUri(null);
        return r;
    }

    private static boolean isBatch(ODataRequest request) {
        String path = request.getRawODataPath();
        return path.equals("/$batch") || path.equals("/%24batch");
    }

    private static void writeBatch(HttpServletResponse resp, BatchHandler.Answer answer) throws IOException {
        resp.setStatus(answer.status());
        resp.setHeader(Http.ODATA_VERSION, "4.0");
        resp.setHeader(Http.CONTENT_TYPE, answer.contentType());
        if (answer.continuedOnError()) {
            resp.setHeader(Http.PREFERENCE_APPLIED, "odata.continue-on-error");
        }
        resp.getOutputStream().write(answer.body());
    }

    /**
     * A failure nobody foresaw (a bug): logged with its stack trace for us, answered without it — the body names
     * neither our classes nor our libraries.
     */
    public static DataverseException unexpected(String what, Throwable e) {
        LOG.error("unexpected failure on {}", what, e);
        return DataverseError.UNEXPECTED.exception();
    }

    /** An error as an OData response, for a batch part. */
    public static ODataResponse errorResponse(DataverseException e) {
        ODataResponse r = new ODataResponse();
        r.setStatusCode(e.status());
        r.setHeader(Http.CONTENT_TYPE, Http.JSON);
        r.setHeader(Http.ODATA_VERSION, "4.0");
        r.setContent(new java.io.ByteArrayInputStream(ErrorBodyProcessor.body(e)));
        ErrorBodyProcessor.retryAfter(e).ifPresent(seconds -> r.setHeader(Http.RETRY_AFTER, seconds));
        return r;
    }

    /** A Dataverse error body, for answers written before any servlet runs. */
    public static byte[] errorBody(DataverseException e) {
        return ErrorBodyProcessor.body(e);
    }

    /** Writes a Dataverse error body; used for failures that happen before Olingo sees the request. */
    public static void writeError(HttpServletResponse resp, DataverseException e) throws IOException {
        resp.setStatus(e.status());
        resp.setHeader(Http.ODATA_VERSION, "4.0");
        resp.setHeader(Http.CONTENT_TYPE, Http.JSON);
        ErrorBodyProcessor.retryAfter(e).ifPresent(seconds -> resp.setHeader(Http.RETRY_AFTER, seconds));
        resp.getOutputStream().write(ErrorBodyProcessor.body(e));
    }
}
