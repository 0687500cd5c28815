package dev.dvemu.server.admin;

import dev.dvemu.server.control.Journal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code /_dvemu/requests}: the request journal of this server instance. {@code GET} lists entries (oldest first)
 * with filters, {@code GET /count} counts them, {@code DELETE} empties the journal.
 */
public final class JournalResource implements AdminResource {
    private static final Set<String> FILTERS = Set.of("method", "table", "status", "code", "since", "batch", "limit");
    private final Journal journal;

    public JournalResource(Journal journal) {
        this.journal = journal;
    }

    @Override
    public String name() {
        return "requests";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        List<String> segments = exchange.segments();
        if (segments.size() > 1 || (segments.size() == 1 && !segments.get(0).equals("count"))) {
            throw exchange.unknownPath();
        }
        boolean count = segments.size() == 1;
        if (count) {
            exchange.allow("GET");
        } else {
            exchange.allow("GET", "DELETE");
        }
        if (exchange.method().equals("DELETE")) {
            journal.clear();
            exchange.noContent();
            return;
        }
        if (!journal.enabled()) {
            throw AdminException.conflict("The request journal is off: this server was started with --journal-size 0.");
        }
        Predicate<Journal.Entry> filter = filter(exchange);
        if (count) {
            exchange.respond(200, Map.of("count", journal.count(filter)));
            return;
        }
        int limit = (int) exchange.longQuery("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        Journal.Page page = journal.read(filter, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.entries().stream().map(journal::json).toList());
        body.put("dropped", page.dropped());
        exchange.respond(200, body);
    }

    private Predicate<Journal.Entry> filter(AdminExchange exchange) {
        for (String name : Collections.list(exchange.servletRequest().getParameterNames())) {
            if (!FILTERS.contains(name)) {
                throw AdminException.badRequest("'" + name + "' is not a filter of the journal; known: "
                        + String.join(", ", FILTERS.stream().sorted().toList()));
            }
        }
        Predicate<Journal.Entry> p = e -> true;
        String method = exchange.query("method").map(m -> m.toUpperCase(Locale.ROOT)).orElse(null);
        if (method != null) {
            p = p.and(e -> method.equals(e.method()));
        }
        String table = exchange.query("table").orElse(null);
        if (table != null) {
            p = p.and(e -> table.equals(journal.table(e)));
        }
        String status = exchange.query("status").orElse(null);
        if (status != null) {
            if (status.matches("[0-9]{1,3}")) {
                int s = Integer.parseInt(status);
                p = p.and(e -> e.status() == s);
            } else if (status.matches("[0-9][xX][xX]")) {
                int hundreds = status.charAt(0) - '0';
                p = p.and(e -> e.status() / 100 == hundreds);
            } else {
                throw AdminException.badRequest("'status' must be a status such as 412 or a class such as 4xx, not '" + status + "'");
            }
        }
        String code = exchange.query("code").orElse(null);
        if (code != null) {
            p = p.and(e -> code.equalsIgnoreCase(e.code()));
        }
        String since = exchange.query("since").orElse(null);
        if (since != null) {
            if (since.matches("[0-9]{1,18}")) {
                long id = Long.parseLong(since);
                p = p.and(e -> e.id() > id);
            } else {
                long millis;
                try {
                    millis = Instant.parse(since).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw AdminException.badRequest("'since' must be an entry id or an ISO-8601 instant such as "
                            + "2024-01-01T00:00:00Z, not '" + since + "'");
                }
                p = p.and(e -> e.timeMillis() >= millis);
            }
        }
        String batch = exchange.query("batch").orElse(null);
        if (batch != null) {
            p = p.and(e -> batch.equals(e.batch()));
        }
        return p;
    }
}
