package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fault rule as the server holds it.
 *
 * @param id        the rule's id, for {@link Faults#remove(long)}
 * @param matched   how many operations it has matched so far
 * @param remaining how many more it will match ({@code -1}: unlimited)
 * @param json      the rule as the server answered it
 */
public record FaultRule(long id, long matched, long remaining, JsonNode json) {
    static FaultRule of(JsonNode n) {
        return new FaultRule(n.path("id").asLong(), n.path("matched").asLong(0),
                n.hasNonNull("remaining") ? n.get("remaining").asLong() : -1, n);
    }
}
