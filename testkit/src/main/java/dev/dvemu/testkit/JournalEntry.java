package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of the request journal ({@code GET /_dvemu/requests}): a request, or one part of a {@code $batch}.
 *
 * @param id        increasing with time
 * @param time      when it was received
 * @param requestId the {@code REQ_ID} answered
 * @param method    the HTTP method
 * @param url       path and query as received
 * @param table     the entity set name, or null
 * @param status    the HTTP status answered
 * @param code      the Dataverse error code answered, or null
 * @param ms        how long it took
 * @param batch     for a {@code $batch} part, the request id of its {@code $batch}; else null
 * @param changeset for a part in a changeset, the index of the changeset; else null
 * @param contentId the part's {@code Content-ID}, or null
 */
public record JournalEntry(long id, Instant time, String requestId, String method, String url, String table,
                           int status, String code, long ms, String batch, Integer changeset, String contentId) {

    static JournalEntry of(JsonNode n) {
        return new JournalEntry(n.path("id").asLong(), n.hasNonNull("time") ? Instant.parse(n.get("time").asText()) : null,
                text(n, "requestId"), text(n, "method"), text(n, "url"), text(n, "table"), n.path("status").asInt(),
                text(n, "code"), n.path("ms").asLong(), text(n, "batch"),
                n.hasNonNull("changeset") ? n.get("changeset").asInt() : null, text(n, "contentId"));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** True for a part of a {@code $batch}. */
    public boolean inBatch() {
        return batch != null;
    }

    /** True for a part inside a changeset of a {@code $batch}. */
    public boolean inChangeset() {
        return changeset != null;
    }

    @Override
    public String toString() {
        return method + " " + url + " -> " + status + (code == null ? "" : " " + code)
                + (batch == null ? "" : " (part of $batch " + batch + (changeset == null ? "" : ", changeset " + changeset) + ")");
    }
}
