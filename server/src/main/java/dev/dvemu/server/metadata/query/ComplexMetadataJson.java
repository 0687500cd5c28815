package dev.dvemu.server.metadata.query;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.olingo.commons.api.data.ComplexValue;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.Link;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes definitions as RetrieveMetadataChanges answers them: as the {@code Complex...Metadata} complex types
 * (query-schema-definitions.md: "EntityMetadata property returns a collection of ComplexEntityMetadata ComplexType"),
 * every property of the type present, the ones not asked for as {@code null} (collections as {@code []}), and
 * {@code MetadataId}, {@code LogicalName} and {@code HasChanged} always filled. Attributes of a derived type carry
 * {@code "@odata.type": "#Microsoft.Dynamics.CRM.Complex<Type>AttributeMetadata"}, as a real org answers (the
 * Uniqueidentifier primary id without one). The values are the ones {@link Definitions} builds for EntityDefinitions.
 */
final class ComplexMetadataJson {
    /** Filled whatever the selection (query-schema-definitions.md, "For items that have them"). */
    private static final Set<String> ALWAYS = Set.of("MetadataId", "LogicalName", "HasChanged");

    /** Which properties of a definition to fill: all, or those named. */
    record Selection(boolean all, Set<String> names) {
        static final Selection ALL = new Selection(true, Set.of());

        boolean includes(String name) {
            return all || names.contains(name) || ALWAYS.contains(name);
        }
    }

    private final DefinitionTypes types;

    ComplexMetadataJson(DefinitionTypes types) {
        this.types = types;
    }

    /**
     * One definition: its properties by {@code selection}, and of its navigation properties those selected, their
     * definitions by {@code nested} (by navigation name; absent: all properties).
     */
    void write(JsonGenerator g, Entity e, Selection selection, Map<String, Selection> nested) throws IOException {
        FullQualifiedName type = new FullQualifiedName(e.getType());
        g.writeStartObject();
        if (isDerivedAttribute(type)) {
            g.writeStringField("@odata.type", "#" + DefinitionsEdm.NAMESPACE + ".Complex" + type.getName());
        }
        for (CsdlProperty p : types.properties(type)) {
            g.writeFieldName(p.getName());
            Property value = selection.includes(p.getName()) ? e.getProperty(p.getName()) : null;
            value(g, value == null ? null : value.getValue(), p);
        }
        for (CsdlNavigationProperty n : types.navigations(type)) {
            g.writeFieldName(n.getName());
            Link link = selection.includes(n.getName()) ? e.getNavigationLink(n.getName()) : null;
            Selection inner = nested.getOrDefault(n.getName(), Selection.ALL);
            if (n.isCollection()) {
                g.writeStartArray();
                if (link != null && link.getInlineEntitySet() != null) {
                    for (Entity child : link.getInlineEntitySet().getEntities()) {
                        write(g, child, inner, Map.of());
                    }
                }
                g.writeEndArray();
            } else if (link != null && link.getInlineEntity() != null) {
                write(g, link.getInlineEntity(), inner, Map.of());
            } else {
                g.writeNull();
            }
        }
        g.writeEndObject();
    }

    /** Attributes are typed by their derived type; the base type and a Uniqueidentifier are not (as a real org answers). */
    private static boolean isDerivedAttribute(FullQualifiedName type) {
        String name = type.getName();
        return name.endsWith("AttributeMetadata") && !type.equals(DefinitionsEdm.ATTRIBUTE_METADATA)
                && !name.equals("UniqueIdentifierAttributeMetadata");
    }

    private void value(JsonGenerator g, Object v, CsdlProperty declared) throws IOException {
        if (declared.isCollection()) {
            g.writeStartArray();
            if (v instanceof List<?> items) {
                for (Object item : items) {
                    single(g, item, declared.getTypeAsFQNObject());
                }
            }
            g.writeEndArray();
        } else {
            single(g, v, declared.getTypeAsFQNObject());
        }
    }

    private void single(JsonGenerator g, Object v, FullQualifiedName type) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof ComplexValue c) {
            complex(g, c, type);
        } else if (types.isEnum(type) && v instanceof Integer i) {
            g.writeString(types.enumMember(type, i).orElse(String.valueOf(i)));
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else {
            g.writeString(v.toString());
        }
    }

    private void complex(JsonGenerator g, ComplexValue c, FullQualifiedName type) throws IOException {
        CsdlComplexType declared = types.complexType(type).orElseThrow(
                () -> new IllegalStateException("no complex type " + type + " in the definition types"));
        g.writeStartObject();
        for (CsdlProperty p : declared.getProperties()) {
            g.writeFieldName(p.getName());
            Property value = c.getValue().stream().filter(x -> x.getName().equals(p.getName())).findFirst().orElse(null);
            value(g, value == null ? null : value.getValue(), p);
        }
        g.writeEndObject();
    }
}
