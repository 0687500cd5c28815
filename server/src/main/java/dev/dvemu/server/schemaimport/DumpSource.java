package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.dvemu.server.schemaimport.EntityDefinitionsDump.text;

/** An {@link EntityDefinitionsDump}'s tables as {@link TableSelection} sees them, and the lookups' relationships. */
final class DumpSource implements SchemaSource {
    /** The attribute types that are lookups: Customer (account or contact) and Owner (systemuser or team) have several targets. */
    static final Set<String> LOOKUP_TYPES = Set.of("Lookup", "Customer", "Owner");

    private final Map<String, EntityDefinitionsDump.Entity> entities = new LinkedHashMap<>();
    /** intersect entity to its many-to-many relationship */
    private final Map<String, String> intersects = new LinkedHashMap<>();

    DumpSource(EntityDefinitionsDump dump) {
        for (EntityDefinitionsDump.Entity e : dump.entities()) {
            entities.put(e.logicalName(), e);
            for (JsonNode r : e.manyToMany()) {
                text(r, "IntersectEntityName").ifPresent(i -> intersects.putIfAbsent(i.toLowerCase(Locale.ROOT),
                        text(r, "SchemaName").orElse(i)));
            }
        }
    }

    @Override
    public String document() {
        return "the EntityDefinitions dump";
    }

    @Override
    public List<String> tableNames() {
        return List.copyOf(entities.keySet());
    }

    @Override
    public boolean has(String table) {
        return entities.containsKey(table);
    }

    Optional<EntityDefinitionsDump.Entity> entity(String table) {
        return Optional.ofNullable(entities.get(table));
    }

    @Override
    public Optional<String> whyNot(String table) {
        EntityDefinitionsDump.Entity e = entities.get(table);
        if (e == null) {
            return Optional.of("the EntityDefinitions dump has no table '" + table + "'");
        }
        if (intersects.containsKey(table) || e.node().path("IsIntersect").asBoolean(false)) {
            return Optional.of("the intersect entity of the many-to-many relationship " + intersects.getOrDefault(table, "")
                    + "; dvemu keeps its links in the relationship's own intersect table");
        }
        if (!ColumnMapper.IDENTIFIER.matcher(table).matches() || SqlKeywords.isReserved(table)) {
            return Optional.of("not a valid dvemu table name (lower case letters, digits, _; at most 50)");
        }
        Optional<String> set = e.text("EntitySetName");
        if (set.isEmpty()) {
            return Optional.of("no EntitySetName: the Web API serves no entity set for it");
        }
        if (!Importability.validName(set.get())) {
            return Optional.of("entity set name '" + set.get() + "' is not a valid name");
        }
        String id = table + "id";
        Optional<String> primaryId = e.text("PrimaryIdAttribute");
        if (primaryId.isPresent() && !primaryId.get().equals(id)) {
            return Optional.of("its primary id is '" + primaryId.get() + "'; dvemu keys every table by '<logical name>id' ('"
                    + id + "')");
        }
        return Optional.empty();
    }

    @Override
    public List<LookupTargets> lookupTargets(String table) {
        EntityDefinitionsDump.Entity e = entities.get(table);
        List<LookupTargets> out = new ArrayList<>();
        for (ObjectNode a : e.attributes()) {
            if (LOOKUP_TYPES.contains(AttributeMapper.typeOf(a))) {
                String name = a.get("LogicalName").asText();
                out.add(new LookupTargets(name, relationships(e, a).stream()
                        .map(r -> r.get("ReferencedEntity").asText()).distinct()
                        .filter(t -> whyNot(t).isEmpty()).toList()));
            }
        }
        return out;
    }

    /**
     * The many-to-one relationships of lookup {@code attribute}: those whose {@code ReferencingAttribute} names it,
     * in the order of the attribute's {@code Targets} (when stated), else in the dump's order.
     */
    static List<JsonNode> relationships(EntityDefinitionsDump.Entity e, JsonNode attribute) {
        String name = attribute.get("LogicalName").asText();
        List<JsonNode> rels = e.manyToOne().stream()
                .filter(r -> name.equals(r.path("ReferencingAttribute").asText())
                        && text(r, "ReferencedEntity").isPresent()).toList();
        List<String> targets = new ArrayList<>();
        attribute.path("Targets").forEach(t -> targets.add(t.asText()));
        List<JsonNode> ordered = new ArrayList<>(rels);
        ordered.sort(java.util.Comparator.comparingInt(r -> {
            int i = targets.indexOf(r.get("ReferencedEntity").asText());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return ordered;
    }
}
