package dev.dvemu.server.admin;

import dev.dvemu.server.store.StateStore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /_dvemu/reset}: every table empty and every autonumber back at its seed, as in a fresh organization;
 * the global version sequence goes on, so versions stay monotonic. Answers {@code {"tables":N,"ms":n}}.
 */
public final class ResetResource implements AdminResource {
    private final StateStore state;

    public ResetResource(StateStore state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "reset";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        if (!exchange.segments().isEmpty()) {
            throw exchange.unknownPath();
        }
        exchange.allow("POST");
        long start = System.nanoTime();
        int tables = state.reset();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tables", tables);
        body.put("ms", (System.nanoTime() - start) / 1_000_000);
        exchange.respond(200, body);
    }
}
