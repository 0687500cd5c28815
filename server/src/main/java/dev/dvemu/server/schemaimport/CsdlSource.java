package dev.dvemu.server.schemaimport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@code $metadata} document's entity types as {@link TableSelection} sees them. */
final class CsdlSource implements SchemaSource {
    private final OrgSchema schema;
    /** intersect entity type to its many-to-many relationship */
    private final Map<String, String> intersects;

    CsdlSource(OrgSchema schema) {
        this.schema = schema;
        this.intersects = intersectEntities(schema);
    }

    @Override
    public String document() {
        return "the CSDL";
    }

    @Override
    public List<String> tableNames() {
        return schema.types().stream().map(OrgSchema.EntityType::name).toList();
    }

    @Override
    public boolean has(String table) {
        return schema.type(table).isPresent();
    }

    @Override
    public Optional<String> whyNot(String table) {
        if (intersects.containsKey(table)) {
            return Optional.of("the intersect entity of the many-to-many relationship " + intersects.get(table)
                    + "; dvemu keeps its links in the relationship's own intersect table");
        }
        return schema.type(table).map(Importability::whyNot).orElse(Optional.of("the CSDL has no entity type '" + table + "'"));
    }

    @Override
    public List<LookupTargets> lookupTargets(String table) {
        OrgSchema.EntityType t = schema.type(table).orElseThrow();
        List<LookupTargets> out = new ArrayList<>();
        for (String property : t.properties().keySet()) {
            if (Importability.lookupColumn(property).isPresent()) {
                out.add(new LookupTargets(property, Importability.lookupNavigations(t, property).stream().map(OrgSchema.Navigation::type)
                        .filter(n -> schema.type(n).map(x -> Importability.whyNot(x).isEmpty()).orElse(false))
                        .toList()));
            }
        }
        return out;
    }

    /**
     * Dataverse declares each many-to-many relationship's intersect entity as an entity type named like the
     * relationship (lower case); such a type is the relationship's link table, not a table of its own.
     */
    private static Map<String, String> intersectEntities(OrgSchema schema) {
        Map<String, String> intersects = new LinkedHashMap<>();
        for (OrgSchema.EntityType t : schema.types()) {
            for (OrgSchema.Navigation n : t.navigations()) {
                String name = n.name().toLowerCase(Locale.ROOT);
                if (n.collection() && n.name().equals(n.partner()) && schema.type(name).isPresent()) {
                    intersects.putIfAbsent(name, n.name());
                }
            }
        }
        return intersects;
    }
}
