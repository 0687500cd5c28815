package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.RequestNormalizer;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.edm.DataverseEdmProvider;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ODataServerError;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.deserializer.DeserializerException;
import org.apache.olingo.server.api.processor.ErrorProcessor;
import org.apache.olingo.server.core.ContentNegotiatorException;
import org.apache.olingo.server.core.ODataHandlerException;
import org.apache.olingo.server.core.uri.parser.UriParserSemanticException;
import org.apache.olingo.server.core.uri.parser.UriParserSyntaxException;
import org.apache.olingo.server.core.uri.validator.UriValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every failure inside Olingo's pipeline leaves through here as a Dataverse error body (§6, principle 4):
 * our own {@link DataverseException}s as they are, Olingo's parser and protocol errors mapped to the Dataverse code
 * and message for the same mistake, and anything unforeseen as a logged 500 without a stack trace.
 */
public final class ErrorBodyProcessor implements ErrorProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorBodyProcessor.class);
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Optional<String> DATABASE_RETRY_AFTER = Optional.of("5");

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // stateless
    }

    @Override
    public void processError(ODataRequest request, ODataResponse response, ODataServerError serverError, ContentType format) {
        DataverseException e = classify(request, serverError);
        response.setStatusCode(e.status());
        response.setHeader(Http.CONTENT_TYPE, Http.JSON);
        response.setHeader(Http.ODATA_VERSION, "4.0");
        response.setContent(new ByteArrayInputStream(body(e)));
        retryAfter(e).ifPresent(seconds -> response.setHeader(Http.RETRY_AFTER, seconds));
    }

    public static byte[] body(DataverseException e) {
        return RowJson.error(e.code(), e.getMessage(), e.annotations());
    }

    /** The Retry-After of an error, if it has one: a database that is down is being restarted (or is gone for good). */
    public static Optional<String> retryAfter(DataverseException e) {
        return e.error() == DataverseError.DATABASE_UNAVAILABLE ? DATABASE_RETRY_AFTER : Optional.empty();
    }

    static DataverseException noResource(ODataRequest request) {
        return DataverseError.NO_HTTP_RESOURCE.exception(request.getRawRequestUri());
    }

    static DataverseException classify(ODataRequest request, ODataServerError serverError) {
        Exception ex = serverError.getException();
        if (ex instanceof DataverseException d) {
            return d;
        }
        String message = ex == null ? serverError.getMessage() : ex instanceof ODataLibraryException le
                ? le.getTranslatedMessage(Locale.ENGLISH).getMessage() : ex.getMessage();
        if (ex instanceof UriParserSemanticException u) {
            switch ((UriParserSemanticException.MessageKeys) u.getMessageKey()) {
                case EXPRESSION_PROPERTY_NOT_IN_TYPE, PROPERTY_NOT_IN_TYPE -> {
                    String[] q = quoted(message);
                    // "The property 'x', used in a query expression, is not defined in type 'T'." / "The type 'T' has no property 'x'."
                    boolean typeFirst = u.getMessageKey() == UriParserSemanticException.MessageKeys.PROPERTY_NOT_IN_TYPE;
                    if (q.length >= 2) {
                        String property = typeFirst ? q[1] : q[0];
                        String type = typeFirst ? q[0] : q[1];
                        return DataverseError.PROPERTY_NOT_FOUND.exception(property, qualified(type));
                    }
                }
                case RESOURCE_NOT_FOUND -> {
                    String[] q = quoted(message);
                    return DataverseError.RESOURCE_NOT_FOUND_FOR_SEGMENT.exception(q.length > 0 ? q[0] : "");
                }
                case FUNCTION_NOT_FOUND, UNKNOWN_PART -> {
                    return noResource(request);
                }
                default -> {
                    // by status below
                }
            }
        }
        if (ex instanceof UriParserSyntaxException || ex instanceof UriValidationException) {
            if (serverError.getStatusCode() == 405) {
                return DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod());
            }
            return DataverseError.BAD_URI.exception("Bad Request - Error in query syntax. " + message);
        }
        if (ex instanceof ODataHandlerException h) {
            switch ((ODataHandlerException.MessageKeys) h.getMessageKey()) {
                case HTTP_METHOD_NOT_ALLOWED, INVALID_HTTP_METHOD, AMBIGUOUS_XHTTP_METHOD -> {
                    return DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod());
                }
                case MISSING_CONTENT_TYPE, INVALID_CONTENT_TYPE, UNSUPPORTED_CONTENT_TYPE -> {
                    return unsupportedMediaType(request);
                }
                case PROCESSOR_NOT_IMPLEMENTED, FUNCTIONALITY_NOT_IMPLEMENTED -> {
                    return Requests.notYet(describe(request));
                }
                default -> {
                    // by status below
                }
            }
        }
        if (ex instanceof ContentNegotiatorException c
                && c.getMessageKey() == ContentNegotiatorException.MessageKeys.UNSUPPORTED_CONTENT_TYPE
                && request.getHeader(Http.CONTENT_TYPE) != null) {
            return unsupportedMediaType(request);
        }
        if (ex instanceof DeserializerException) {
            return DataverseError.PAYLOAD_ERROR.exception("", "Microsoft.OData.ODataException: " + message);
        }
        if (ex instanceof ODataApplicationException a && a.getStatusCode() < 500) {
            return new DataverseException(DataverseError.BAD_REQUEST, a.getMessage());
        }
        int status = serverError.getStatusCode();
        if (status == 406) {
            return DataverseError.NOT_ACCEPTABLE.exception(message);
        }
        if (status == 415) {
            return unsupportedMediaType(request);
        }
        if (status == 404) {
            return noResource(request);
        }
        if (status >= 400 && status < 500) {
            return DataverseError.BAD_REQUEST.exception(message);
        }
        if (status == 501) {
            return DataverseError.NOT_IMPLEMENTED.exception(message);
        }
        LOG.error("unexpected failure on {} {}", request.getMethod(), request.getRawRequestUri(), ex);
        return DataverseError.UNEXPECTED.exception();
    }

    /** {@code The request 'GET new_stocks/$ref' (at the segment '$ref')}, from the raw path. */
    private static String describe(ODataRequest request) {
        String path = request.getRawODataPath() == null ? "" : request.getRawODataPath();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return "The request '" + request.getMethod() + " " + RequestNormalizer.decode(trimmed) + "' (at the segment '"
                + RequestNormalizer.decode(last) + "')";
    }

    private static DataverseException unsupportedMediaType(ODataRequest request) {
        String ct = request.getHeader(Http.CONTENT_TYPE);
        return DataverseError.UNSUPPORTED_MEDIA_TYPE.exception("", ct == null ? "(none)" : ct);
    }

    private static String qualified(String type) {
        return type.contains(".") ? type : DataverseEdmProvider.NAMESPACE + "." + type;
    }

    private static String[] quoted(String message) {
        if (message == null) {
            return new String[0];
        }
        Matcher m = QUOTED.matcher(message);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.toArray(new String[0]);
    }
}
