package dev.dvemu.server.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.api.Api;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.TableDef;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /_dvemu/seed} with {@code {"<entitySetName>":[{row}, ...], ...}}: every row created in body order, in
 * one transaction, by the Web API's own create ({@link Api#create}), so a row is checked, defaulted, numbered and
 * bound exactly as a POST of it would be; {@code @odata.bind} may name rows created earlier in the same seed. A bad
 * row fails the seed with the answer its POST would get, its message prefixed {@code <entitySetName>[<index>]: },
 * and nothing is written. Answers {@code {"created":{"<entitySetName>":n}}}.
 */
public final class SeedResource implements AdminResource {
    /** As the Web API reads bodies: decimals stay exact, a key may appear once. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Api api;

    public SeedResource(Api api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "seed";
    }

    private record Batch(String entitySet, TableDef table, List<JsonNode> rows) {
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        if (!exchange.segments().isEmpty()) {
            throw exchange.unknownPath();
        }
        exchange.allow("POST");
        List<Batch> batches = parse(exchange.servletRequest().getInputStream().readAllBytes());
        Map<String, Integer> created = new LinkedHashMap<>();
        try {
            api.inChangeset(unit -> {
                for (Batch b : batches) {
                    for (int i = 0; i < b.rows().size(); i++) {
                        try {
                            api.create(unit, b.table(), new ByteArrayInputStream(JSON.writeValueAsBytes(b.rows().get(i))));
                        } catch (DataverseException e) {
                            throw new AdminException(e.status(), e.code(), b.entitySet() + "[" + i + "]: " + e.getMessage());
                        } catch (JsonProcessingException e) {
                            throw new IllegalStateException(e);
                        }
                        created.merge(b.entitySet(), 1, Integer::sum);
                    }
                    created.putIfAbsent(b.entitySet(), 0);
                }
                return null;
            });
        } catch (DataverseException e) {
            // the commit itself failed
            throw new AdminException(e.status(), e.code(), e.getMessage());
        }
        exchange.respond(200, Map.of("created", created));
    }

    private List<Batch> parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw AdminException.badRequest("The body is not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw AdminException.badRequest("The body must be a JSON object: {\"<entitySetName>\": [{...row as a Web API POST body...}], ...}.");
        }
        List<Batch> batches = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            TableDef table = api.catalog().byEntitySet(field.getKey()).orElseThrow(() -> AdminException.badRequest(
                    "'" + field.getKey() + "' is not an entity set of this server; its entity sets are: "
                            + String.join(", ", api.catalog().tables().stream().map(TableDef::entitySetName).toList()) + "."));
            if (!field.getValue().isArray()) {
                throw AdminException.badRequest("'" + field.getKey() + "' must be an array of rows.");
            }
            List<JsonNode> rows = new ArrayList<>();
            field.getValue().forEach(rows::add);
            batches.add(new Batch(field.getKey(), table, rows));
        }
        return batches;
    }
}
