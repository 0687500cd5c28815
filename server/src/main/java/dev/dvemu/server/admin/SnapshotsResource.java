package dev.dvemu.server.admin;

import dev.dvemu.server.store.StateStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Snapshots of every table's rows and autonumber positions, kept in PostgreSQL ({@link StateStore}):
 * <pre>
 * POST   /_dvemu/snapshots/{name}          take one (replacing one of that name)  201 {"name","tables","rows","createdOn"}
 * POST   /_dvemu/snapshots/{name}/restore  put it back, in one transaction       200 {"name","rows","ms"}
 * GET    /_dvemu/snapshots                 {"value":[{"name","rows","createdOn"}]}
 * GET    /_dvemu/snapshots/{name}          {"name","tables","rows","createdOn"}
 * DELETE /_dvemu/snapshots/{name}          204;  DELETE /_dvemu/snapshots  204 (all)
 * </pre>
 */
public final class SnapshotsResource implements AdminResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    private final StateStore state;

    public SnapshotsResource(StateStore state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "snapshots";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        List<String> segments = exchange.segments();
        try {
            switch (segments.size()) {
                case 0 -> all(exchange);
                case 1 -> one(exchange, name(segments.get(0)));
                case 2 -> {
                    if (!segments.get(1).equals("restore")) {
                        throw exchange.unknownPath();
                    }
                    restore(exchange, name(segments.get(0)));
                }
                default -> throw exchange.unknownPath();
            }
        } catch (StateStore.NoSuchSnapshot e) {
            throw AdminException.notFound(e.getMessage());
        } catch (StateStore.CannotRestore e) {
            throw AdminException.conflict(e.getMessage());
        }
    }

    private void all(AdminExchange exchange) throws IOException {
        exchange.allow("GET", "DELETE");
        if (exchange.method().equals("DELETE")) {
            state.deleteAll();
            exchange.noContent();
            return;
        }
        List<Map<String, Object>> value = state.list().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("rows", s.rows());
            m.put("createdOn", s.createdOn().toString());
            return m;
        }).toList();
        exchange.respond(200, Map.of("value", value));
    }

    private void one(AdminExchange exchange, String name) throws IOException {
        exchange.allow("POST", "GET", "DELETE");
        switch (exchange.method()) {
            case "POST" -> exchange.respond(201, describe(state.create(name)));
            case "GET" -> exchange.respond(200, describe(state.get(name).orElseThrow(() -> unknown(name))));
            default -> {
                if (!state.delete(name)) {
                    throw unknown(name);
                }
                exchange.noContent();
            }
        }
    }

    private void restore(AdminExchange exchange, String name) throws IOException {
        exchange.allow("POST");
        long start = System.nanoTime();
        long rows = state.restore(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("rows", rows);
        body.put("ms", (System.nanoTime() - start) / 1_000_000);
        exchange.respond(200, body);
    }

    private static Map<String, Object> describe(StateStore.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("tables", s.tables());
        m.put("rows", s.rows());
        m.put("createdOn", s.createdOn().toString());
        return m;
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw AdminException.badRequest("'" + name + "' is not a snapshot name: use 1 to 63 letters, digits, '_' or '-'.");
        }
        return name;
    }

    private static AdminException unknown(String name) {
        return AdminException.notFound("There is no snapshot named '" + name + "'.");
    }
}
