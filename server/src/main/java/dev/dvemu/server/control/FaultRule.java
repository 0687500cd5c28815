package dev.dvemu.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.Catalog;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One fault rule of {@code POST /_dvemu/faults}: which operations it matches, how often, and what it does to them.
 * {@link #parse} validates a body completely and names the first bad field; a rule is immutable but for its
 * counters, which {@link #tryMatch} updates under the rule's own lock (so a seeded probability draws the same
 * sequence every run).
 */
public final class FaultRule {
    /** Where a hold stops an operation. */
    public enum At { BEFORE_WRITE, BEFORE_COMMIT, BEFORE_ANSWER }

    public record Match(String method, String table, Pattern path, Boolean inChangeset) {
    }

    public record Respond(int status, String code, String message, Integer retryAfter) {
    }

    public record Hold(String name, At at, int releaseWhen, long timeoutMs) {
    }

    static final Pattern HOLD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");
    private static final Set<String> FIELDS = Set.of("match", "times", "probability", "seed", "respond", "latencyMs", "drop", "hold");
    private static final Set<String> MATCH_FIELDS = Set.of("method", "table", "path", "inChangeset");
    private static final Set<String> RESPOND_FIELDS = Set.of("status", "code", "message", "retryAfter");
    private static final Set<String> HOLD_FIELDS = Set.of("name", "at", "releaseWhen", "timeoutMs");
    static final long MAX_MS = 600_000;

    final long id;
    final Match match;
    final Long times;
    final double probability;
    final Long seed;
    final Respond respond;
    final Long latencyMs;
    final boolean drop;
    final Hold hold;

    private final Random random;
    private long matched;

    private FaultRule(long id, Match match, Long times, double probability, Long seed, Respond respond, Long latencyMs,
                      boolean drop, Hold hold) {
        this.id = id;
        this.match = match;
        this.times = times;
        this.probability = probability;
        this.seed = seed;
        this.respond = respond;
        this.latencyMs = latencyMs;
        this.drop = drop;
        this.hold = hold;
        this.random = probability < 1 ? (seed == null ? new Random() : new Random(seed)) : null;
    }

    /** True when the operation is one this rule matches and the rule applies to it this time (counted). */
    boolean tryMatch(String method, String table, String path, boolean inChangeset) {
        if (match.method != null && !match.method.equals(method)) {
            return false;
        }
        if (match.table != null && !match.table.equals(table)) {
            return false;
        }
        if (match.inChangeset != null && match.inChangeset != inChangeset) {
            return false;
        }
        if (match.path != null && !match.path.matcher(path).find()) {
            return false;
        }
        synchronized (this) {
            if (times != null && matched >= times) {
                return false;
            }
            if (random != null && random.nextDouble() >= probability) {
                return false;
            }
            matched++;
            return true;
        }
    }

    synchronized long matched() {
        return matched;
    }

    /** The rule as {@code GET /_dvemu/faults} shows it. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        Map<String, Object> mm = new LinkedHashMap<>();
        if (match.method != null) {
            mm.put("method", match.method);
        }
        if (match.table != null) {
            mm.put("table", match.table);
        }
        if (match.path != null) {
            mm.put("path", match.path.pattern());
        }
        if (match.inChangeset != null) {
            mm.put("inChangeset", match.inChangeset);
        }
        m.put("match", mm);
        m.put("times", times);
        m.put("probability", probability);
        if (seed != null) {
            m.put("seed", seed);
        }
        if (respond != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("status", respond.status);
            r.put("code", respond.code);
            r.put("message", respond.message);
            if (respond.retryAfter != null) {
                r.put("retryAfter", respond.retryAfter);
            }
            m.put("respond", r);
        }
        if (latencyMs != null) {
            m.put("latencyMs", latencyMs);
        }
        if (drop) {
            m.put("drop", "afterCommit");
        }
        if (hold != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", hold.name);
            h.put("at", switch (hold.at) {
                case BEFORE_WRITE -> "beforeWrite";
                case BEFORE_COMMIT -> "beforeCommit";
                case BEFORE_ANSWER -> "beforeAnswer";
            });
            if (hold.releaseWhen > 0) {
                h.put("releaseWhen", hold.releaseWhen);
            }
            h.put("timeoutMs", hold.timeoutMs);
            m.put("hold", h);
        }
        long n = matched();
        m.put("matched", n);
        m.put("remaining", times == null ? null : Math.max(0, times - n));
        return m;
    }

    /** A validation failure: the message names the field. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static Invalid bad(String field, String what) {
        return new Invalid("'" + field + "' " + what);
    }

    /** The rule a body describes; {@link Invalid} naming the first bad field otherwise. */
    public static FaultRule parse(long id, JsonNode body, Catalog catalog) {
        if (body == null || !body.isObject()) {
            throw new Invalid("The body must be a JSON object such as {\"match\":{\"method\":\"PATCH\"},\"respond\":{\"status\":429}}");
        }
        unknownFields(body, FIELDS, "");
        Match match = parseMatch(body.get("match"), catalog);
        Long times = optionalLong(body, "times", "", 1, Long.MAX_VALUE);
        double probability = 1;
        JsonNode p = body.get("probability");
        if (p != null && !p.isNull()) {
            if (!p.isNumber() || p.asDouble() < 0 || p.asDouble() > 1) {
                throw bad("probability", "must be a number from 0.0 to 1.0, not " + p);
            }
            probability = p.asDouble();
        }
        Long seed = optionalLong(body, "seed", "", Long.MIN_VALUE, Long.MAX_VALUE);

        int actions = 0;
        for (String a : new String[]{"respond", "latencyMs", "drop", "hold"}) {
            if (body.hasNonNull(a)) {
                actions++;
            }
        }
        if (actions != 1) {
            throw new Invalid("A rule needs exactly one of 'respond', 'latencyMs', 'drop' and 'hold'; this one has " + actions);
        }
        Respond respond = body.hasNonNull("respond") ? parseRespond(body.get("respond")) : null;
        Long latency = optionalLong(body, "latencyMs", "", 0, MAX_MS);
        boolean drop = false;
        if (body.hasNonNull("drop")) {
            JsonNode d = body.get("drop");
            if (!d.isTextual() || !d.asText().equals("afterCommit")) {
                throw bad("drop", "must be \"afterCommit\", not " + d);
            }
            drop = true;
        }
        Hold hold = body.hasNonNull("hold") ? parseHold(body.get("hold")) : null;
        return new FaultRule(id, match, times, probability, seed, respond, latency, drop, hold);
    }

    private static Match parseMatch(JsonNode m, Catalog catalog) {
        if (m == null || m.isNull()) {
            return new Match(null, null, null, null);
        }
        if (!m.isObject()) {
            throw bad("match", "must be an object with any of method, table, path, inChangeset");
        }
        unknownFields(m, MATCH_FIELDS, "match.");
        String method = optionalText(m, "method", "match.");
        if (method != null) {
            method = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw bad("match.method", "must be one of " + String.join(", ", METHODS.stream().sorted().toList()) + ", not '" + method + "'");
            }
        }
        String table = optionalText(m, "table", "match.");
        if (table != null && catalog != null && catalog.byEntitySet(table).isEmpty()) {
            throw bad("match.table", "must be the entity set name of a table (such as "
                    + catalog.tables().stream().findFirst().map(t -> t.entitySetName()).orElse("accounts") + "), not '" + table + "'");
        }
        String path = optionalText(m, "path", "match.");
        Pattern pattern = null;
        if (path != null) {
            try {
                pattern = Pattern.compile(path);
            } catch (PatternSyntaxException e) {
                throw bad("match.path", "is not a valid regular expression: " + e.getDescription());
            }
        }
        Boolean inChangeset = null;
        JsonNode c = m.get("inChangeset");
        if (c != null && !c.isNull()) {
            if (!c.isBoolean()) {
                throw bad("match.inChangeset", "must be true or false, not " + c);
            }
            inChangeset = c.asBoolean();
        }
        return new Match(method, table, pattern, inChangeset);
    }

    private static Respond parseRespond(JsonNode r) {
        if (!r.isObject()) {
            throw bad("respond", "must be an object such as {\"status\":429}");
        }
        unknownFields(r, RESPOND_FIELDS, "respond.");
        Long status = optionalLong(r, "status", "respond.", 400, 599);
        if (status == null) {
            throw bad("respond.status", "is required (a number from 400 to 599)");
        }
        int s = status.intValue();
        String code = optionalText(r, "code", "respond.");
        String message = optionalText(r, "message", "respond.");
        Long retryAfter = optionalLong(r, "retryAfter", "respond.", 0, 86_400);
        DataverseError dflt = switch (s) {
            case 412 -> DataverseError.CONCURRENCY_VERSION_MISMATCH;
            case 500 -> DataverseError.GENERIC_SQL_ERROR;
            default -> null;
        };
        String defaultCode;
        String defaultMessage;
        if (s == 429) {
            defaultCode = "0x80072322";
            defaultMessage = "Number of requests exceeded the limit of 6000 over time window of 300 seconds.";
        } else if (s == 503) {
            defaultCode = "0x80040216";
            defaultMessage = "The service is unavailable; retry later.";
        } else if (dflt != null) {
            defaultCode = dflt.code();
            defaultMessage = dflt.format();
        } else {
            defaultCode = "0x0";
            defaultMessage = "An error was injected by a fault rule (status " + s + ").";
        }
        return new Respond(s, code == null ? defaultCode : code, message == null ? defaultMessage : message,
                retryAfter == null ? null : retryAfter.intValue());
    }

    private static Hold parseHold(JsonNode h) {
        if (!h.isObject()) {
            throw bad("hold", "must be an object such as {\"name\":\"x\",\"at\":\"beforeCommit\"}");
        }
        unknownFields(h, HOLD_FIELDS, "hold.");
        String name = optionalText(h, "name", "hold.");
        if (name == null || !HOLD_NAME.matcher(name).matches()) {
            throw bad("hold.name", "is required: 1 to 63 letters, digits, '_' or '-'" + (name == null ? "" : ", not '" + name + "'"));
        }
        String at = optionalText(h, "at", "hold.");
        At point;
        if (at == null) {
            throw bad("hold.at", "is required: beforeWrite, beforeCommit or beforeAnswer");
        }
        switch (at) {
            case "beforeWrite" -> point = At.BEFORE_WRITE;
            case "beforeCommit" -> point = At.BEFORE_COMMIT;
            case "beforeAnswer" -> point = At.BEFORE_ANSWER;
            default -> throw bad("hold.at", "must be beforeWrite, beforeCommit or beforeAnswer, not '" + at + "'");
        }
        Long releaseWhen = optionalLong(h, "releaseWhen", "hold.", 1, 10_000);
        Long timeout = optionalLong(h, "timeoutMs", "hold.", 1, MAX_MS);
        return new Hold(name, point, releaseWhen == null ? 0 : releaseWhen.intValue(), timeout == null ? 30_000 : timeout);
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw bad(prefix + f, "is not a field of a fault rule" + (prefix.isEmpty() ? "" : "'s " + prefix.substring(0, prefix.length() - 1))
                        + "; known: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static String optionalText(JsonNode node, String field, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw bad(prefix + field, "must be a non-empty string, not " + v);
        }
        return v.asText();
    }

    private static Long optionalLong(JsonNode node, String field, String prefix, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw bad(prefix + field, "must be a whole number from " + min + " to " + max + ", not " + v);
        }
        return v.asLong();
    }
}
