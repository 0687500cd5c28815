package dev.dvemu.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Turns an error answer (status, headers, body) into the typed exception; one table, by code first. */
final class ErrorMapper {
    static final String VERSION_MISMATCH = "0x80060882";
    static final String DUPLICATE_RECORD = "0x80040237";
    static final String DUPLICATE_KEY = "0x80060892";
    static final String GENERIC_SQL_ERROR = "0x80044150";
    /** The same codes in decimal, as Dataverse's .NET SDK reports them. */
    private static final Map<String, String> DECIMAL = Map.of(
            "-2147088254", VERSION_MISMATCH, "-2147220937", DUPLICATE_RECORD,
            "-2147088238", DUPLICATE_KEY, "-2147204784", GENERIC_SQL_ERROR);
    /** Service protection codes, hex as Dataverse's Web API sends them and decimal as its SDK compares them. */
    private static final Set<String> THROTTLING = Set.of("0x80072322", "0x80072321", "0x80072326",
            "-2147015902", "-2147015903", "-2147015898");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorMapper() {
    }

    static DataverseException fromResponse(int status, String body, String retryAfterHeader) {
        String code = "";
        String message = body == null ? "" : body;
        try {
            JsonNode error = body == null || body.isBlank() ? null : JSON.readTree(body).path("error");
            if (error != null && !error.isMissingNode()) {
                code = error.path("code").asText("");
                message = error.path("message").asText("");
            }
        } catch (Exception notJson) {
            // keep the raw body as the message
        }
        if (message.isEmpty()) {
            message = "HTTP " + status;
        }
        return of(status, code, message, parseRetryAfter(retryAfterHeader), null);
    }

    static DataverseException of(int status, String rawCode, String message, Duration retryAfter, Integer index) {
        // classify by the hex code; keep the code exactly as the service sent it
        String code = DECIMAL.getOrDefault(rawCode, rawCode);
        if (VERSION_MISMATCH.equalsIgnoreCase(code)) {
            return new VersionConflictException(status, rawCode, message, index, 1);
        }
        if (DUPLICATE_RECORD.equalsIgnoreCase(code) || DUPLICATE_KEY.equalsIgnoreCase(code)) {
            return new DuplicateRecordException(status, rawCode, message, index, 1);
        }
        if (status == 429 || THROTTLING.contains(code.toLowerCase())) {
            return new ServiceProtectionException(status, rawCode, message, retryAfter, index);
        }
        if (GENERIC_SQL_ERROR.equalsIgnoreCase(code)) {
            // the service knows it rolled the request back (or never ran it), whatever status it chose
            return new TransientException(status, rawCode, message, retryAfter, index, null, false);
        }
        if (status == 502 || status == 503 || status == 504) {
            // a gateway, or a commit the service lost track of (0x80040216): it may have taken effect
            return new TransientException(status, rawCode, message, retryAfter, index, null, true);
        }
        if (status == 404) {
            return new NotFoundException(status, rawCode, message, index);
        }
        if (status == 412 && (code.isEmpty() || "0x0".equals(code))) {
            // Dataverse's documented 412 for a stale If-Match once had an empty code (dataverse-web-api.md §2)
            return new VersionConflictException(status, rawCode, message, index, 1);
        }
        if (status >= 400 && status < 500) {
            return new BadRequestException(status, rawCode, message, index);
        }
        return new DataverseException(status, rawCode, message, index, null);
    }

    /** Whether the code says the service rolled the request back or never ran it ({@code 0x80044150}, hex or decimal). */
    static boolean rolledBack(String code) {
        return code != null && GENERIC_SQL_ERROR.equalsIgnoreCase(DECIMAL.getOrDefault(code, code));
    }

    static DataverseException copy(DataverseException e, int index) {
        if (e instanceof TransientException t) {
            // kept as it is: a lost answer's failure has a status and code that would map to another type
            return new TransientException(t.status(), t.code(), t.getMessage(), t.retryAfter().orElse(null), index,
                    t.getCause(), t.outcomeUnknown());
        }
        Duration retryAfter = e instanceof ServiceProtectionException s ? s.retryAfter().orElse(null) : null;
        return of(e.status(), e.code(), e.getMessage(), retryAfter, index);
    }

    /**
     * The failure of a write that was sent again after an answer was lost. That first send may have taken effect,
     * and no later answer can say it did not: a conflict or duplicate may be the first send's own doing, a rollback,
     * throttling or a not-found speak only for the last send. So the caller learns that the outcome is unknown, with
     * the last answer as the cause. Only a bad request stays as it is: the request itself is at fault.
     */
    static DataverseException afterLostAnswer(DataverseException last) {
        if (last instanceof BadRequestException || (last instanceof TransientException t && t.outcomeUnknown())) {
            return last;
        }
        return new TransientException(last.status(), last.code(),
                "the request was sent again after its answer was lost, so it may have taken effect; the last answer: "
                        + last.getMessage(),
                null, last.operationIndex().isPresent() ? last.operationIndex().getAsInt() : null, last, true);
    }

    /** {@code Retry-After} in seconds (what Dataverse sends); an HTTP date is not used by Dataverse and ignored. */
    static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(header.trim());
            return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
