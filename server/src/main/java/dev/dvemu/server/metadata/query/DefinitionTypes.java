package dev.dvemu.server.metadata.query;

import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumMember;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Questions about the definition types of {@link DefinitionsEdm} that RetrieveMetadataChanges asks of them: the
 * declared properties of a type with its base types', the names a type or any type derived from it declares, and the
 * members of an enumeration. The definitions' Olingo entities carry values only; their types are declared here.
 */
final class DefinitionTypes {
    private final DefinitionsEdm edm = new DefinitionsEdm();

    /** The properties of {@code type}, its base types' first. */
    List<CsdlProperty> properties(FullQualifiedName type) {
        List<CsdlProperty> out = new ArrayList<>();
        for (CsdlEntityType t : chain(type)) {
            out.addAll(t.getProperties());
        }
        return out;
    }

    /** The navigation properties of {@code type}, its base types' first. */
    List<CsdlNavigationProperty> navigations(FullQualifiedName type) {
        List<CsdlNavigationProperty> out = new ArrayList<>();
        for (CsdlEntityType t : chain(type)) {
            out.addAll(t.getNavigationProperties());
        }
        return out;
    }

    /** The first declaration of {@code name} in {@code root} or a type derived from it. */
    Optional<CsdlProperty> property(FullQualifiedName root, String name) {
        for (FullQualifiedName t : family(root)) {
            for (CsdlProperty p : properties(t)) {
                if (p.getName().equals(name)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The names of the properties and navigation properties of {@code root} and of every type derived from it. */
    Set<String> names(FullQualifiedName root) {
        Set<String> out = new LinkedHashSet<>();
        for (FullQualifiedName t : family(root)) {
            properties(t).forEach(p -> out.add(p.getName()));
            navigations(t).forEach(n -> out.add(n.getName()));
        }
        return out;
    }

    Optional<CsdlComplexType> complexType(FullQualifiedName name) {
        return edm.complexType(name);
    }

    boolean isEnum(FullQualifiedName name) {
        return edm.enumType(name).isPresent();
    }

    /** The member of enumeration {@code type} with {@code value}. */
    Optional<String> enumMember(FullQualifiedName type, int value) {
        return edm.enumType(type).flatMap(e -> e.getMembers().stream()
                .filter(m -> m.getValue().equals(String.valueOf(value))).map(CsdlEnumMember::getName).findFirst());
    }

    /** The member of enumeration {@code type} named {@code text} (in any case) or numbered {@code text}. */
    Optional<String> enumMember(FullQualifiedName type, String text) {
        return edm.enumType(type).flatMap(e -> e.getMembers().stream()
                .filter(m -> m.getName().equalsIgnoreCase(text) || m.getValue().equals(text))
                .map(CsdlEnumMember::getName).findFirst());
    }

    /** {@code root} and every type derived from it, {@code root} first. */
    private List<FullQualifiedName> family(FullQualifiedName root) {
        List<FullQualifiedName> out = new ArrayList<>(List.of(root));
        for (CsdlEntityType t : edm.entityTypes()) {
            FullQualifiedName name = DefinitionsEdm.fqn(t.getName());
            if (!name.equals(root) && chain(name).stream().anyMatch(c -> DefinitionsEdm.fqn(c.getName()).equals(root))) {
                out.add(name);
            }
        }
        return out;
    }

    /** {@code type} and its base types, the furthest base first. */
    private List<CsdlEntityType> chain(FullQualifiedName type) {
        List<CsdlEntityType> out = new ArrayList<>();
        Optional<CsdlEntityType> t = edm.entityType(type);
        while (t.isPresent()) {
            out.add(0, t.get());
            FullQualifiedName base = t.get().getBaseTypeFQN();
            t = base == null ? Optional.empty() : edm.entityType(base);
        }
        return out;
    }
}
