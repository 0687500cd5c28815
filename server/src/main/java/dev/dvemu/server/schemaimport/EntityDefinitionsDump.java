package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An org's tables as the Web API's metadata queries answer them, saved as JSON: one file, or a directory of
 * {@code *.json} files (in name order). Each file is an answer of the form {@code {"value":[...]}} or a single object,
 * whose items are either {@code EntityMetadata} (they have {@code LogicalName} and one of {@code EntitySetName},
 * {@code PrimaryIdAttribute}, {@code Attributes}) or attributes from a cast request such as
 * {@code EntityDefinitions(LogicalName='x')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet}.
 * Such an attribute is merged into the table attribute of the same {@code MetadataId} (every metadata answer carries
 * it): that is how the options, which an expanded {@code Attributes} never has, reach their column.
 */
final class EntityDefinitionsDump {
    /** The input is not a dump this reader understands; the message names the file and says what is wrong. */
    static final class UnreadableDumpException extends Exception {
        UnreadableDumpException(String message) {
            super(message);
        }
    }

    /** One {@code EntityMetadata} with its expanded navigation properties (empty lists when not expanded). */
    record Entity(String file, ObjectNode node, List<ObjectNode> attributes, List<JsonNode> keys, List<JsonNode> manyToOne,
                  List<JsonNode> manyToMany) {
        String logicalName() {
            return node.get("LogicalName").asText();
        }

        Optional<String> text(String field) {
            return EntityDefinitionsDump.text(node, field);
        }
    }

    private final List<Entity> entities;

    private EntityDefinitionsDump(List<Entity> entities) {
        this.entities = entities;
    }

    /** Every table of the dump, in file order. */
    List<Entity> entities() {
        return entities;
    }

    static EntityDefinitionsDump read(Path path) throws UnreadableDumpException, IOException {
        List<Path> files = files(path);
        ObjectMapper json = new ObjectMapper();
        Map<String, Entity> entities = new LinkedHashMap<>();
        List<Supplement> supplements = new ArrayList<>();
        for (Path f : files) {
            JsonNode root;
            try {
                root = json.readTree(f.toFile());
            } catch (JsonProcessingException e) {
                throw new UnreadableDumpException(f + " is not valid JSON: " + firstLine(e.getOriginalMessage()));
            }
            if (root == null || !root.isObject()) {
                throw new UnreadableDumpException(f + " is not a JSON object: save the answer of an EntityDefinitions request");
            }
            JsonNode value = root.get("value");
            List<JsonNode> items = new ArrayList<>();
            if (value != null && value.isArray()) {
                value.forEach(items::add);
            } else {
                items.add(root);
            }
            for (JsonNode item : items) {
                if (!(item instanceof ObjectNode o)) {
                    throw new UnreadableDumpException(f + ": every item of \"value\" must be an object");
                }
                if (isEntity(o)) {
                    Entity e = entity(f, o);
                    if (entities.putIfAbsent(e.logicalName(), e) != null) {
                        throw new UnreadableDumpException(f + ": table '" + e.logicalName() + "' is in the dump twice ("
                                + entities.get(e.logicalName()).file() + ")");
                    }
                } else if (text(o, "MetadataId").isPresent() && text(o, "LogicalName").isPresent()) {
                    supplements.add(new Supplement(f, o));
                } else {
                    throw new UnreadableDumpException(f + ": an item is neither an EntityMetadata (LogicalName with"
                            + " EntitySetName, PrimaryIdAttribute or Attributes) nor an attribute (LogicalName and MetadataId)"
                            + "; save the answers of the requests metadata/README.md lists");
                }
            }
        }
        if (entities.isEmpty()) {
            throw new UnreadableDumpException(path + " has no EntityMetadata: save the answer of GET <org>/api/data/v9.2/"
                    + "EntityDefinitions?$select=...&$expand=Attributes,Keys,ManyToOneRelationships,ManyToManyRelationships");
        }
        merge(entities.values(), supplements);
        return new EntityDefinitionsDump(List.copyOf(entities.values()));
    }

    private record Supplement(Path file, ObjectNode node) {
    }

    private static List<Path> files(Path path) throws UnreadableDumpException, IOException {
        if (Files.isRegularFile(path) && Files.isReadable(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new UnreadableDumpException("cannot read " + path + " (a JSON file or a directory of them)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new UnreadableDumpException(path + " has no *.json files");
        }
        return files;
    }

    private static boolean isEntity(ObjectNode o) {
        return text(o, "LogicalName").isPresent()
                && (o.has("EntitySetName") || o.has("PrimaryIdAttribute") || o.has("Attributes"));
    }

    private static Entity entity(Path f, ObjectNode o) throws UnreadableDumpException {
        String name = o.get("LogicalName").asText();
        List<ObjectNode> attributes = new ArrayList<>();
        for (JsonNode a : list(f, o, "Attributes", name)) {
            if (!(a instanceof ObjectNode attribute) || text(attribute, "LogicalName").isEmpty()) {
                throw new UnreadableDumpException(f + ": table '" + name + "': every attribute needs a LogicalName");
            }
            attributes.add(attribute);
        }
        return new Entity(f.toString(), o, attributes, list(f, o, "Keys", name), list(f, o, "ManyToOneRelationships", name),
                list(f, o, "ManyToManyRelationships", name));
    }

    private static List<JsonNode> list(Path f, ObjectNode o, String field, String table) throws UnreadableDumpException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new UnreadableDumpException(f + ": table '" + table + "': " + field + " must be an array");
        }
        List<JsonNode> out = new ArrayList<>();
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (!n.isObject()) {
                throw new UnreadableDumpException(f + ": table '" + table + "': every item of " + field + " must be an object");
            }
            out.add(n);
        }
        return out;
    }

    /** Copies each supplement's stated properties onto the attribute of the same MetadataId. */
    private static void merge(Iterable<Entity> entities, List<Supplement> supplements) throws UnreadableDumpException {
        Map<String, ObjectNode> byId = new HashMap<>();
        for (Entity e : entities) {
            for (ObjectNode a : e.attributes()) {
                text(a, "MetadataId").ifPresent(id -> byId.put(id.toLowerCase(Locale.ROOT), a));
            }
        }
        for (Supplement s : supplements) {
            String id = s.node().get("MetadataId").asText();
            ObjectNode target = byId.get(id.toLowerCase(Locale.ROOT));
            if (target == null) {
                throw new UnreadableDumpException(s.file() + ": attribute '" + s.node().get("LogicalName").asText()
                        + "' (MetadataId " + id + ") is an attribute of no table in the dump; save the EntityDefinitions"
                        + " answer with $expand=Attributes too");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = s.node().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isNull() && !field.getKey().contains("@")) {
                    target.set(field.getKey(), field.getValue());
                }
            }
        }
    }

    /** A non-blank text field. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** A Label's text: {@code UserLocalizedLabel.Label}, else the first of {@code LocalizedLabels} (1033 first). */
    static Optional<String> label(JsonNode node, String field) {
        JsonNode label = node.get(field);
        if (label == null || !label.isObject()) {
            return Optional.empty();
        }
        JsonNode user = label.get("UserLocalizedLabel");
        if (user != null && user.isObject() && text(user, "Label").isPresent()) {
            return text(user, "Label");
        }
        JsonNode all = label.get("LocalizedLabels");
        Optional<String> first = Optional.empty();
        if (all != null && all.isArray()) {
            for (JsonNode l : all) {
                if (l.path("LanguageCode").asInt() == 1033 && text(l, "Label").isPresent()) {
                    return text(l, "Label");
                }
                first = first.or(() -> text(l, "Label"));
            }
        }
        return first;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
