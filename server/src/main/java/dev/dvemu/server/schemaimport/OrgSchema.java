package dev.dvemu.server.schemaimport;

import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlReferentialConstraint;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.apache.olingo.commons.api.format.ContentType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An org's entity types as its {@code $metadata} (CSDL) declares them, read with Olingo's client-side CSDL reader, each
 * with the properties, navigation properties and annotations of its base types folded in.
 */
final class OrgSchema {
    /** The abstract root of Dataverse's metadata types (EntityMetadata, AttributeMetadata, ...): not tables. */
    private static final String METADATA_ROOT = "crmmodelbaseentity";

    /**
     * A navigation property: {@code type} is the simple name of the related entity type ({@code account}), and
     * {@code constrained} the properties its referential constraints name ({@code _parentcustomerid_value}).
     */
    record Navigation(String name, String type, boolean collection, String partner, List<String> constrained) {
    }

    /** One entity type, inherited members included, in document order (base type's first). */
    record EntityType(String name, boolean isAbstract, boolean metadataType, List<String> key,
                      Map<String, CsdlProperty> properties, List<Navigation> navigations,
                      List<CsdlAnnotation> annotations, Optional<String> entitySet) {
        Optional<Navigation> navigation(String name) {
            return navigations.stream().filter(n -> n.name().equals(name)).findFirst();
        }
    }

    /** The document is not a CSDL document Olingo can read. */
    static final class UnreadableCsdlException extends Exception {
        UnreadableCsdlException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Map<String, EntityType> types;

    private OrgSchema(Map<String, EntityType> types) {
        this.types = types;
    }

    static OrgSchema read(Path csdl) throws IOException, UnreadableCsdlException {
        List<CsdlSchema> schemas;
        try (InputStream in = Files.newInputStream(csdl)) {
            schemas = ODataClientFactory.getClient().getDeserializer(ContentType.APPLICATION_XML).toMetadata(in).getSchemas();
        } catch (RuntimeException e) {
            // Olingo wraps XML and CSDL errors in runtime exceptions; their message is what the user can act on
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new UnreadableCsdlException(csdl + " is not a $metadata (CSDL) document Olingo can read: "
                    + firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()), e);
        }
        if (schemas == null || schemas.isEmpty()) {
            throw new UnreadableCsdlException(csdl + " declares no schema: not a $metadata (CSDL) document", null);
        }
        Set<String> prefixes = new HashSet<>();
        Map<String, CsdlEntityType> raw = new LinkedHashMap<>();
        Map<String, String> entitySets = new LinkedHashMap<>();
        for (CsdlSchema s : schemas) {
            prefixes.add(s.getNamespace() + ".");
            if (s.getAlias() != null) {
                prefixes.add(s.getAlias() + ".");
            }
        }
        for (CsdlSchema s : schemas) {
            for (CsdlEntityType t : s.getEntityTypes()) {
                raw.putIfAbsent(t.getName(), t);
            }
            if (s.getEntityContainer() != null && s.getEntityContainer().getEntitySets() != null) {
                for (CsdlEntitySet set : s.getEntityContainer().getEntitySets()) {
                    entitySets.putIfAbsent(simpleName(set.getType(), prefixes), set.getName());
                }
            }
        }
        Map<String, EntityType> types = new LinkedHashMap<>();
        for (CsdlEntityType t : raw.values()) {
            types.put(t.getName(), resolve(t, raw, prefixes, entitySets));
        }
        return new OrgSchema(types);
    }

    private static EntityType resolve(CsdlEntityType type, Map<String, CsdlEntityType> raw, Set<String> prefixes,
                                      Map<String, String> entitySets) {
        List<CsdlEntityType> chain = new ArrayList<>(); // the type, then its base, ... (a cycle ends the walk)
        for (CsdlEntityType t = type; t != null && !chain.contains(t);
             t = t.getBaseType() == null ? null : raw.get(simpleName(t.getBaseType(), prefixes))) {
            chain.add(t);
        }
        boolean metadataType = chain.stream().anyMatch(t -> t.getName().equals(METADATA_ROOT));
        List<String> key = List.of();
        // systemuser and team state (or inherit) principal's key, ownerid, yet Dataverse addresses them by their own id
        boolean inheritedKey = type.getKey() == null || type.getKey().isEmpty()
                || type.getKey().stream().noneMatch(k -> type.getProperties().stream().anyMatch(p -> p.getName().equals(k.getName())));
        Map<String, CsdlProperty> properties = new LinkedHashMap<>();
        List<CsdlNavigationProperty> navigations = new ArrayList<>();
        List<CsdlAnnotation> annotations = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            CsdlEntityType t = chain.get(i);
            if (t.getKey() != null && !t.getKey().isEmpty()) {
                key = t.getKey().stream().map(CsdlPropertyRef::getName).toList();
            }
            for (CsdlProperty p : t.getProperties()) {
                properties.put(p.getName(), p);
            }
            navigations.addAll(t.getNavigationProperties());
            annotations.addAll(t.getAnnotations());
        }
        List<Navigation> navs = navigations.stream().map(n -> navigation(n, prefixes)).toList();
        CsdlProperty ownId = properties.get(type.getName() + "id");
        if (inheritedKey && chain.size() > 1 && ownId != null && "Edm.Guid".equals(ownId.getType())) {
            key = List.of(ownId.getName());
        }
        return new EntityType(type.getName(), type.isAbstract(), metadataType, key, properties, navs, annotations,
                Optional.ofNullable(entitySets.get(type.getName())));
    }

    private static Navigation navigation(CsdlNavigationProperty n, Set<String> prefixes) {
        List<String> constrained = n.getReferentialConstraints() == null ? List.of()
                : n.getReferentialConstraints().stream().map(CsdlReferentialConstraint::getProperty).toList();
        return new Navigation(n.getName(), simpleName(n.getType(), prefixes), n.isCollection(), n.getPartner(), constrained);
    }

    static String simpleName(String qualified, Set<String> prefixes) {
        String name = qualified;
        if (name.startsWith("Collection(") && name.endsWith(")")) {
            name = name.substring("Collection(".length(), name.length() - 1);
        }
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return name.substring(p.length());
            }
        }
        return name;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Every entity type, in document order. */
    List<EntityType> types() {
        return List.copyOf(types.values());
    }

    Optional<EntityType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }
}
