package dev.dvemu.server.admin;

import dev.dvemu.server.control.FaultRule;
import dev.dvemu.server.control.Faults;
import dev.dvemu.server.metadata.Catalog;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code /_dvemu/faults}: the fault rules of this server instance. {@code POST} adds one (201 with its id),
 * {@code GET} lists them with how often each matched, {@code DELETE} removes one or all (all also releases every
 * held operation).
 */
public final class FaultsResource implements AdminResource {
    private final Faults faults;
    private final Catalog catalog;

    public FaultsResource(Faults faults, Catalog catalog) {
        this.faults = faults;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "faults";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        List<String> segments = exchange.segments();
        if (segments.isEmpty()) {
            exchange.allow("GET", "POST", "DELETE");
            switch (exchange.method()) {
                case "POST" -> {
                    FaultRule rule;
                    try {
                        rule = faults.add(exchange.body(), catalog);
                    } catch (FaultRule.Invalid e) {
                        throw AdminException.badRequest(e.getMessage());
                    }
                    exchange.respond(201, rule.json());
                }
                case "GET" -> exchange.respond(200, Map.of("value", faults.rules().stream().map(FaultRule::json).toList()));
                default -> {
                    faults.clear();
                    exchange.noContent();
                }
            }
            return;
        }
        if (segments.size() != 1) {
            throw exchange.unknownPath();
        }
        exchange.allow("GET", "DELETE");
        long id;
        try {
            id = Long.parseLong(segments.get(0));
        } catch (NumberFormatException e) {
            throw AdminException.notFound("No fault rule '" + segments.get(0) + "': rule ids are numbers");
        }
        if (exchange.method().equals("GET")) {
            exchange.respond(200, faults.rule(id).orElseThrow(() -> AdminException.notFound("No fault rule " + id)).json());
        } else if (faults.remove(id)) {
            exchange.noContent();
        } else {
            throw AdminException.notFound("No fault rule " + id);
        }
    }
}
