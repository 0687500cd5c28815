package dev.dvemu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests held at a point of their processing until released, to stage races deterministically:
 *
 * <pre>{@code
 * Hold readers = dvemu.hold("readers").get("new_stocks").beforeAnswer().releaseWhen(2).install();
 * // start two readers in other threads; both are answered once both have read
 * readers.awaitHeld(2);
 * }</pre>
 */
public final class Hold {
    private final AdminHttp http;
    private final String name;
    private final FaultRule rule;

    private Hold(AdminHttp http, String name, FaultRule rule) {
        this.http = http;
        this.name = name;
        this.rule = rule;
    }

    public String name() {
        return name;
    }

    /** The fault rule that holds. */
    public FaultRule rule() {
        return rule;
    }

    /** Waits until {@code count} requests are held (up to 30 s); a {@link DvemuException} (Timeout) otherwise. */
    public int awaitHeld(int count) {
        return awaitHeld(count, Duration.ofSeconds(30));
    }

    /** Waits until {@code count} requests are held; a {@link DvemuException} with code Timeout if not in time. */
    public int awaitHeld(int count, Duration timeout) {
        JsonNode n = http.post("holds/" + name + "/await" + AdminHttp.query(Map.of("count", count, "timeoutMs", timeout.toMillis())),
                null, timeout.plusSeconds(30));
        return n.path("held").asInt();
    }

    /** Lets every held request go on; returns how many were released. */
    public int release() {
        return http.post("holds/" + name + "/release", null).path("released").asInt();
    }

    /** How many requests are held now. */
    public int held() {
        for (JsonNode h : http.get("holds").path("value")) {
            if (name.equals(h.path("name").asText())) {
                return h.path("held").asInt();
            }
        }
        return 0;
    }

    /** How many requests this hold has released so far (by a release, a barrier or their timeout). */
    public long released() {
        for (JsonNode h : http.get("holds").path("value")) {
            if (name.equals(h.path("name").asText())) {
                return h.path("released").asLong();
            }
        }
        return 0;
    }

    /** Removes the rule (what it holds is released). */
    public void remove() {
        http.delete("faults/" + rule.id());
    }

    /** Where a held request waits. */
    public enum At {
        BEFORE_WRITE("beforeWrite"), BEFORE_COMMIT("beforeCommit"), BEFORE_ANSWER("beforeAnswer");

        private final String wire;

        At(String wire) {
            this.wire = wire;
        }
    }

    /** Builds a hold; nothing is sent until {@link #install()}. */
    public static final class Builder {
        private final AdminHttp http;
        private final String name;
        private FaultMatch match = FaultMatch.any();
        private At at = At.BEFORE_ANSWER;
        private Integer releaseWhen;
        private Duration timeout;

        Builder(AdminHttp http, String name) {
            if (!name.matches("[A-Za-z0-9_-]{1,63}")) {
                throw new IllegalArgumentException("a hold name is letters, digits, _ and -, not '" + name + "'");
            }
            this.http = http;
            this.name = name;
        }

        /** The operations held (default: any). */
        public Builder matching(FaultMatch match) {
            this.match = match;
            return this;
        }

        public Builder get(String table) {
            return matching(FaultMatch.get(table));
        }

        public Builder post(String table) {
            return matching(FaultMatch.post(table));
        }

        public Builder patch(String table) {
            return matching(FaultMatch.patch(table));
        }

        public Builder delete(String table) {
            return matching(FaultMatch.delete(table));
        }

        /** Hold before the write runs. */
        public Builder beforeWrite() {
            this.at = At.BEFORE_WRITE;
            return this;
        }

        /** Hold after the write, before its transaction commits. */
        public Builder beforeCommit() {
            this.at = At.BEFORE_COMMIT;
            return this;
        }

        /** Hold after the work is done, before the answer is sent (the default). */
        public Builder beforeAnswer() {
            this.at = At.BEFORE_ANSWER;
            return this;
        }

        /**
         * Release all of them by itself once {@code n} are held (a barrier). A barrier holds only the first {@code n}
         * matching requests, unless {@link FaultMatch#times(int)} says otherwise: a request made after the barrier
         * opened (a retry, a second read) would otherwise wait alone for partners that never come.
         */
        public Builder releaseWhen(int n) {
            this.releaseWhen = n;
            return this;
        }

        /** A held request goes on by itself after this long (server default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Sends the rule to the server; from now on matching requests are held. */
        public Hold install() {
            Map<String, Object> hold = new LinkedHashMap<>();
            hold.put("name", name);
            hold.put("at", at.wire);
            if (releaseWhen != null) {
                hold.put("releaseWhen", releaseWhen);
            }
            if (timeout != null) {
                hold.put("timeoutMs", timeout.toMillis());
            }
            FaultMatch held = releaseWhen != null && !match.limited() ? match.times(releaseWhen) : match;
            return new Hold(http, name, new Faults(http).add(held, "hold", hold));
        }
    }
}
