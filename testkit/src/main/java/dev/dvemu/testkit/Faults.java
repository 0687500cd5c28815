package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fault injection ({@code /_dvemu/faults}): answer matching operations with an error, delay them, or drop the
 * connection after they commit. Rules live in the memory of one server instance; a reset clears them.
 */
public final class Faults {
    private final AdminHttp http;

    Faults(AdminHttp http) {
        this.http = http;
    }

    /**
     * Answers matching operations with {@code status} instead of running them, with Dataverse's code and message for
     * it (429, 412, 503, 500...); in a changeset the part fails and the changeset rolls back.
     */
    public FaultRule respond(FaultMatch match, int status) {
        return respond(match, status, null, null, null);
    }

    /** As {@link #respond(FaultMatch, int)}, with this code, message and {@code Retry-After} (each may be null). */
    public FaultRule respond(FaultMatch match, int status, String code, String message, Integer retryAfterSeconds) {
        Map<String, Object> respond = new LinkedHashMap<>();
        respond.put("status", status);
        if (code != null) {
            respond.put("code", code);
        }
        if (message != null) {
            respond.put("message", message);
        }
        if (retryAfterSeconds != null) {
            respond.put("retryAfter", retryAfterSeconds);
        }
        return add(match, "respond", respond);
    }

    /** Dataverse's 429 "Number of requests exceeded" with {@code Retry-After}. */
    public FaultRule throttle(FaultMatch match, int retryAfterSeconds) {
        return respond(match, 429, null, null, retryAfterSeconds);
    }

    /** Delays matching operations by {@code delay} before they run. */
    public FaultRule latency(FaultMatch match, Duration delay) {
        return add(match, "latencyMs", delay.toMillis());
    }

    /**
     * Runs and commits matching operations, then closes the connection without an answer (for a part in a changeset,
     * the whole {@code $batch} connection after the changeset commits): the client cannot know it succeeded.
     */
    public FaultRule dropAfterCommit(FaultMatch match) {
        return add(match, "drop", "afterCommit");
    }

    /** Every rule with its counts. */
    public List<FaultRule> list() {
        List<FaultRule> rules = new ArrayList<>();
        for (JsonNode n : http.get("faults").path("value")) {
            rules.add(FaultRule.of(n));
        }
        return rules;
    }

    /** Removes one rule. */
    public void remove(long id) {
        http.delete("faults/" + id);
    }

    /** Removes one rule. */
    public void remove(FaultRule rule) {
        remove(rule.id());
    }

    /** Removes every rule and releases everything held. */
    public void clear() {
        http.delete("faults");
    }

    FaultRule add(FaultMatch match, String action, Object value) {
        Map<String, Object> rule = match.rule();
        rule.put(action, value);
        return FaultRule.of(http.post("faults", rule));
    }
}
