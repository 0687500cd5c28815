package dev.dvemu.server.http;

import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.error.DataverseError;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Requests Jetty refuses before any servlet runs (bad percent-encoding, a URL or headers too long, a broken
 * request line) get a Dataverse-style JSON error too, never Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    /** Errors always come back as JSON (§0); Jetty writes a body by default only for GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        EarlyAnswers.jsonHeaders(response);
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        // a 5xx here is a failure of ours whose message would be an exception's (a class name): never echoed
        byte[] body = ApiServlet.errorBody(code >= 500 ? DataverseError.UNEXPECTED.exception()
                : DataverseError.BAD_REQUEST.exception("Bad request - " + text));
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
