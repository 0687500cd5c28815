package dev.dvemu.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Writes {@link RowValues} as a JSON body; lookups become {@code nav@odata.bind} URLs (or {@code $n} references). */
final class JsonBodies {
    private JsonBodies() {
    }

    /** {@code references} renders an operation reference inside a changeset; outside one there are none. */
    static String write(RowValues values, ObjectMapper json, Function<RowRef, String> references) {
        ObjectNode node = json.createObjectNode();
        for (Map.Entry<String, Object> e : values.entries().entrySet()) {
            Object v = e.getValue();
            String k = e.getKey();
            if (v == null) {
                node.putNull(k);
            } else if (v instanceof RowValues.Binding b) {
                if (b.target() == null) {
                    node.putNull(k);
                } else if (b.target().operationName().isPresent()) {
                    node.put(k, references.apply(b.target()));
                } else {
                    node.put(k, "/" + b.target().path());
                }
            } else if (v instanceof String s) {
                node.put(k, s);
            } else if (v instanceof Integer i) {
                node.put(k, i);
            } else if (v instanceof Long l) {
                node.put(k, l);
            } else if (v instanceof BigDecimal d) {
                node.put(k, d);
            } else if (v instanceof Boolean b) {
                node.put(k, b);
            } else if (v instanceof UUID u) {
                node.put(k, u.toString());
            } else if (v instanceof Instant t) {
                node.put(k, ODataLiterals.instantText(t));
            } else if (v instanceof LocalDate d) {
                node.put(k, d.toString());
            } else {
                throw new IllegalArgumentException("cannot send a " + v.getClass().getName() + " as a column value");
            }
        }
        return node.toString();
    }

    /** The body of a {@code $ref} write: {@code {"@odata.id":"<row URL or $n>"}}. */
    static String reference(String odataId, ObjectMapper json) {
        return json.createObjectNode().put("@odata.id", odataId).toString();
    }
}
