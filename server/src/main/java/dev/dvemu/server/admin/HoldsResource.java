package dev.dvemu.server.admin;

import dev.dvemu.server.control.Holds;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /_dvemu/holds}: the operations fault rules hold. {@code GET} lists the holds,
 * {@code POST /{name}/await?count=N&timeoutMs=n} answers once N are held, {@code POST /{name}/release} lets them go.
 */
public final class HoldsResource implements AdminResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    private final Holds holds;

    public HoldsResource(Holds holds) {
        this.holds = holds;
    }

    @Override
    public String name() {
        return "holds";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        List<String> segments = exchange.segments();
        if (segments.isEmpty()) {
            exchange.allow("GET");
            exchange.respond(200, Map.of("value", holds.states().stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("held", s.held());
                m.put("released", s.released());
                return m;
            }).toList()));
            return;
        }
        if (segments.size() != 2 || !(segments.get(1).equals("await") || segments.get(1).equals("release"))) {
            throw exchange.unknownPath();
        }
        String name = segments.get(0);
        if (!NAME.matcher(name).matches()) {
            throw AdminException.badRequest("A hold name is 1 to 63 letters, digits, '_' or '-', not '" + name + "'");
        }
        exchange.allow("POST");
        if (segments.get(1).equals("release")) {
            exchange.respond(200, Map.of("released", holds.release(name)));
            return;
        }
        int count = (int) exchange.longQuery("count", 1, 1, 10_000);
        long timeoutMs = exchange.longQuery("timeoutMs", 30_000, 0, 600_000);
        int held;
        try {
            held = holds.await(name, count, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held = -1;
        }
        if (held < 0) {
            throw new AdminException(408, "Timeout", "Fewer than " + count + " operations were held at '" + name
                    + "' after " + timeoutMs + " ms");
        }
        exchange.respond(200, Map.of("held", held));
    }
}
