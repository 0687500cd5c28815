package dev.dvemu.server.http;

import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.error.DataverseException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Answers given in front of the servlets (a Host not allowed, a body too large or too slow): the Dataverse error
 * body and headers the API sends, a request id and an access log line like every other answer.
 */
final class EarlyAnswers {
    private static final String JSON = "application/json; odata.metadata=minimal";

    private EarlyAnswers() {
    }

    static void jsonHeaders(Response response) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put("OData-Version", "4.0");
    }

    /**
     * Writes {@code e} and completes {@code callback}. With {@code close}, the connection ends after the answer:
     * the body left unread is never read.
     */
    static void error(Request request, Response response, Callback callback, DataverseException e, boolean close) {
        String id = RequestLogFilter.requestId();
        response.setStatus(e.status());
        response.getHeaders().put("REQ_ID", id);
        response.getHeaders().put("x-ms-service-request-id", id);
        jsonHeaders(response);
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        response.write(true, ByteBuffer.wrap(ApiServlet.errorBody(e)), callback);
        if (!Boolean.TRUE.equals(request.getConnectionMetaData().getConnector().getServer()
                .getAttribute(RequestLogFilter.QUIET_ATTRIBUTE))) {
            RequestLogFilter.log(request.getMethod(), request.getHttpURI().getPath(), e.status(), request.getBeginNanoTime(), id);
        }
    }
}
