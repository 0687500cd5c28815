package dev.dvemu.server.http;

import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.error.DataverseError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Anything outside {@code /api/data/v9.2/} and {@code /health}: a Dataverse-style 404 rather than an HTML page. */
public final class NotFoundServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(RequestLogFilter.CODE, DataverseError.NO_HTTP_RESOURCE.code());
        ApiServlet.writeError(resp, DataverseError.NO_HTTP_RESOURCE.exception(req.getRequestURL()));
    }
}
