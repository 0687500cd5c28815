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
        if (status == 502 || status == 503 || status == 504 || GENERIC_SQL_ERROR.equalsIgnoreCase(code)) {
            return new TransientException(status, rawCode, message, retryAfter, index, null);
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

    static DataverseException copy(DataverseException e, int index) {
        Duration retryAfter = e instanceof ServiceProtectionException s ? s.retryAfter().orElse(null)
                : e instanceof TransientException t ? t.retryAfter().orElse(null) : null;
        if (e instanceof TransientException t && t.outcomeUnknown()) {
            return new TransientException(0, e.code(), e.getMessage(), retryAfter, index, e.getCause());
        }
        return of(e.status(), e.code(), e.getMessage(), retryAfter, index);
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
