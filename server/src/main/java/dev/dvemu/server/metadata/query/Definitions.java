package dev.dvemu.server.metadata.query;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ChoiceOption;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.data.ComplexValue;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.EntityCollection;
import org.apache.olingo.commons.api.data.Link;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.data.ValueType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The definitions of a {@link Catalog} as Olingo entities of the {@link DefinitionsEdm} types: one
 * {@code EntityMetadata} per table with its attributes, keys and relationships as navigation links, and the
 * relationships on their own. Built fresh for each request (they are small, and a request may filter its expansions).
 */
final class Definitions {
    /** Dataverse's codes of the system tables dvemu ships; custom tables get 10000 and up, as Dataverse numbers them. */
    private static final Map<String, Integer> SYSTEM_TYPE_CODES = Map.of("account", 1, "contact", 2, "opportunity", 3,
            "lead", 4, "annotation", 5, "systemuser", 8, "team", 9, "businessunit", 10, "incident", 112);
    private static final int FIRST_CUSTOM_TYPE_CODE = 10000;
    /** English, the only language dvemu's labels have. */
    private static final int LANGUAGE_CODE = 1033;

    private final Catalog catalog;
    /** The navigation properties of a table the request reaches (by path or $expand): only those are built. */
    private final Set<String> navigations;
    private final Map<String, Integer> customTypeCodes = new HashMap<>();

    /**
     * The definitions of {@code catalog}, with the navigation properties of tables named in {@code navigations}
     * ({@code Attributes}, {@code Keys}, ...) filled: a list of 800 tables need not build their 30,000 columns.
     */
    Definitions(Catalog catalog, Set<String> navigations) {
        this.catalog = catalog;
        this.navigations = Set.copyOf(navigations);
        List<String> custom = catalog.tables().stream().map(TableDef::logicalName).filter(Definitions::isCustom)
                .sorted(Comparator.naturalOrder()).toList();
        for (int i = 0; i < custom.size(); i++) {
            customTypeCodes.put(custom.get(i), FIRST_CUSTOM_TYPE_CODE + i);
        }
    }

    /** Every table's definition, in the catalog's order. */
    List<Entity> tables() {
        List<Entity> out = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            out.add(table(t));
        }
        return out;
    }

    /** Every relationship: the named one-to-many relationships of lookups, then the many-to-many ones. */
    List<Entity> relationships() {
        List<Entity> out = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            for (OneToMany r : catalog.oneToMany(t)) {
                out.add(oneToMany(r));
            }
        }
        for (ManyToMany r : catalog.manyToMany()) {
            out.add(manyToMany(r));
        }
        return out;
    }

    static UUID tableId(TableDef t) {
        return MetadataIds.of("table", t.logicalName());
    }

    static UUID columnId(TableDef t, ColumnDef c) {
        return MetadataIds.of("column", t.logicalName(), c.name());
    }

    static UUID relationshipId(String schemaName) {
        return MetadataIds.of("relationship", schemaName);
    }

    /** Custom tables and columns carry a publisher prefix ({@code new_}); the system ones dvemu ships do not. */
    static boolean isCustom(String logicalName) {
        return logicalName.indexOf('_') > 0;
    }

    /** One table's definition, with the navigation properties this instance fills. */
    Entity table(TableDef t) {
        Entity e = entity(DefinitionsEdm.ENTITY_METADATA, tableId(t));
        add(e, "ChangeTrackingEnabled", false); // dvemu has no change tracking
        e.addProperty(complex("Description", label(t.description().orElse(null),
                MetadataIds.of("label", t.logicalName(), "description"))));
        e.addProperty(complex("DisplayName", label(t.displayName(), MetadataIds.of("label", t.logicalName()))));
        add(e, "EntitySetName", t.entitySetName());
        add(e, "IsActivity", false);
        add(e, "IsCustomEntity", isCustom(t.logicalName()));
        add(e, "IsIntersect", false); // intersect tables are not entity sets in dvemu
        add(e, "IsOptimisticConcurrencyEnabled", true); // every row has a versionnumber and an ETag
        add(e, "LogicalName", t.logicalName());
        add(e, "ObjectTypeCode", objectTypeCode(t).orElse(null));
        // rows have no owner in dvemu: they belong to the organization
        e.addProperty(new Property(null, "OwnershipType", ValueType.ENUM, 8));
        add(e, "PrimaryIdAttribute", t.primaryId().name());
        add(e, "PrimaryNameAttribute", t.primaryNameColumn());
        add(e, "SchemaName", t.schemaName());
        if (navigations.contains("Attributes")) {
            link(e, "Attributes", t.columns().stream().map(c -> attribute(t, c)).toList());
        }
        if (navigations.contains("Keys")) {
            link(e, "Keys", t.alternateKeys().stream().map(k -> key(t, k)).toList());
        }
        if (navigations.contains("ManyToOneRelationships")) {
            List<Entity> manyToOne = new ArrayList<>();
            for (ColumnDef lookup : t.lookups()) {
                catalog.relationshipOf(t, lookup).ifPresent(r -> manyToOne.add(oneToMany(r)));
            }
            link(e, "ManyToOneRelationships", manyToOne);
        }
        if (navigations.contains("OneToManyRelationships")) {
            link(e, "OneToManyRelationships", catalog.oneToMany(t).stream().map(this::oneToMany).toList());
        }
        if (navigations.contains("ManyToManyRelationships")) {
            link(e, "ManyToManyRelationships", catalog.manyToMany().stream()
                    .filter(r -> r.entity1() == t || r.entity2() == t).map(this::manyToMany).toList());
        }
        return e;
    }

    private Optional<Integer> objectTypeCode(TableDef t) {
        Integer system = SYSTEM_TYPE_CODES.get(t.logicalName());
        return Optional.ofNullable(system != null ? system : customTypeCodes.get(t.logicalName()));
    }

    private Entity attribute(TableDef t, ColumnDef c) {
        Entity e = entity(DefinitionsEdm.fqn(attributeType(c.type())), columnId(t, c));
        add(e, "AttributeOf", null); // dvemu has no attributes derived from others (Dataverse's <lookup>name, ...)
        e.addProperty(new Property(null, "AttributeType", ValueType.ENUM, typeCode(c.type())));
        e.addProperty(complex("AttributeTypeName", value(typeCodeName(c.type()) + "Type")));
        add(e, "AutoNumberFormat", c.autoNumberFormat().map(f -> f.pattern()).orElse(null));
        ColumnDef.Naming naming = c.naming();
        e.addProperty(complex("Description", label(naming.description().orElse(null),
                MetadataIds.of("label", t.logicalName(), c.name(), "description"))));
        e.addProperty(complex("DisplayName", label(naming.displayName().orElse(null),
                MetadataIds.of("label", t.logicalName(), c.name(), "displayname"))));
        add(e, "EntityLogicalName", t.logicalName());
        add(e, "IsCustomAttribute", c.origin() == ColumnDef.Origin.USER && isCustom(c.name()));
        add(e, "IsPrimaryId", c.origin() == ColumnDef.Origin.PRIMARY_ID);
        add(e, "IsPrimaryName", c.name().equals(t.primaryNameColumn()));
        add(e, "IsValidForCreate", c.origin() != ColumnDef.Origin.SYSTEM);
        add(e, "IsValidForRead", true);
        add(e, "IsValidForUpdate", c.origin() == ColumnDef.Origin.USER);
        add(e, "LogicalName", c.name());
        // SystemRequired: dvemu refuses a create without the column, which Dataverse's API does only at that level
        int level = c.origin() == ColumnDef.Origin.PRIMARY_ID || c.required() ? 1 : 0;
        ComplexValue required = new ComplexValue();
        required.getValue().add(new Property(null, "Value", ValueType.ENUM, level));
        required.getValue().add(new Property(null, "CanBeChanged", ValueType.PRIMITIVE, false));
        required.getValue().add(new Property(null, "ManagedPropertyLogicalName", ValueType.PRIMITIVE, "canmodifyrequirementlevelsettings"));
        e.addProperty(new Property(null, "RequiredLevel", ValueType.COMPLEX, required));
        add(e, "SchemaName", naming.schemaName());
        add(e, "IsLogical", false); // every column is stored in the table's own row
        add(e, "SourceType", 0); // simple: dvemu has no calculated or rollup columns
        switch (c.type()) {
            case STRING -> {
                e.addProperty(new Property(null, "Format", ValueType.ENUM, c.format().value()));
                e.addProperty(complex("FormatName", value(c.format().metadataName())));
                add(e, "MaxLength", c.maxLength());
            }
            case MEMO -> {
                e.addProperty(new Property(null, "Format", ValueType.ENUM, 2)); // TextArea, as Dataverse's memos
                add(e, "MaxLength", c.maxLength());
            }
            case DATETIME -> {
                // stored and answered in UTC, which is what Dataverse's UserLocal columns do on the Web API
                e.addProperty(new Property(null, "Format", ValueType.ENUM, 1));
                e.addProperty(complex("DateTimeBehavior", value("UserLocal")));
            }
            case INTEGER -> range(e, c, BigDecimal::intValueExact);
            case BIGINT -> range(e, c, BigDecimal::longValueExact);
            case DECIMAL -> {
                range(e, c, v -> v);
                add(e, "Precision", c.precision());
            }
            case MONEY -> {
                range(e, c, BigDecimal::doubleValue);
                add(e, "Precision", c.precision());
            }
            case LOOKUP -> e.addProperty(new Property(null, "Targets", ValueType.COLLECTION_PRIMITIVE, List.of(c.lookupTarget())));
            case CHOICE -> link(e, "OptionSet", optionSet(t, c));
            default -> {
                // Boolean, Uniqueidentifier: no facets dvemu serves
            }
        }
        return e;
    }

    private static void range(Entity e, ColumnDef c, java.util.function.Function<BigDecimal, Object> convert) {
        add(e, "MaxValue", c.maxValue() == null ? null : convert.apply(c.maxValue()));
        add(e, "MinValue", c.minValue() == null ? null : convert.apply(c.minValue()));
    }

    private Entity optionSet(TableDef t, ColumnDef c) {
        String name = t.logicalName() + "_" + c.name();
        Entity e = entity(DefinitionsEdm.OPTION_SET_METADATA, MetadataIds.of("optionset", t.logicalName(), c.name()));
        add(e, "IsCustomOptionSet", isCustom(c.name()));
        add(e, "IsGlobal", false); // dvemu's choices are local to their column
        add(e, "Name", name);
        e.addProperty(new Property(null, "OptionSetType", ValueType.ENUM, 0));
        List<ComplexValue> options = new ArrayList<>();
        for (ChoiceOption o : c.options()) {
            ComplexValue option = new ComplexValue();
            option.getValue().add(new Property(null, "Value", ValueType.PRIMITIVE, o.value()));
            option.getValue().add(complex("Label", label(o.label(),
                    MetadataIds.of("label", t.logicalName(), c.name(), String.valueOf(o.value())))));
            options.add(option);
        }
        e.addProperty(new Property(null, "Options", ValueType.COLLECTION_COMPLEX, options));
        return e;
    }

    private Entity key(TableDef t, AlternateKey k) {
        Entity e = entity(DefinitionsEdm.ENTITY_KEY_METADATA, MetadataIds.of("key", t.logicalName(), k.name()));
        // the unique index exists: the start-up check refuses to serve without it
        e.addProperty(new Property(null, "EntityKeyIndexStatus", ValueType.ENUM, 2));
        add(e, "EntityLogicalName", t.logicalName());
        e.addProperty(new Property(null, "KeyAttributes", ValueType.COLLECTION_PRIMITIVE,
                k.columns().stream().map(ColumnDef::name).toList()));
        add(e, "LogicalName", k.name().toLowerCase(java.util.Locale.ROOT));
        add(e, "SchemaName", k.name());
        return e;
    }

    private Entity oneToMany(OneToMany r) {
        Entity e = entity(DefinitionsEdm.ONE_TO_MANY, relationshipId(r.schemaName()));
        e.addProperty(new Property(null, "RelationshipType", ValueType.ENUM, 0));
        add(e, "SchemaName", r.schemaName());
        ComplexValue cascade = new ComplexValue();
        cascade.getValue().add(new Property(null, "Delete", ValueType.ENUM, cascadeType(r.cascadeDelete())));
        e.addProperty(new Property(null, "CascadeConfiguration", ValueType.COMPLEX, cascade));
        add(e, "ReferencedAttribute", r.referenced().primaryId().name());
        add(e, "ReferencedEntity", r.referenced().logicalName());
        add(e, "ReferencedEntityNavigationPropertyName", r.collectionNavigation());
        add(e, "ReferencingAttribute", r.lookup().name());
        add(e, "ReferencingEntity", r.referencing().logicalName());
        add(e, "ReferencingEntityNavigationPropertyName", r.singleNavigation());
        return e;
    }

    private Entity manyToMany(ManyToMany r) {
        Entity e = entity(DefinitionsEdm.MANY_TO_MANY, relationshipId(r.schemaName()));
        e.addProperty(new Property(null, "RelationshipType", ValueType.ENUM, 1));
        add(e, "SchemaName", r.schemaName());
        add(e, "Entity1IntersectAttribute", r.entity1().primaryId().name());
        add(e, "Entity1LogicalName", r.entity1().logicalName());
        add(e, "Entity1NavigationPropertyName", r.schemaName());
        add(e, "Entity2IntersectAttribute", r.entity2().primaryId().name());
        add(e, "Entity2LogicalName", r.entity2().logicalName());
        add(e, "Entity2NavigationPropertyName", r.schemaName());
        add(e, "IntersectEntityName", r.intersectTable());
        return e;
    }

    private static int cascadeType(dev.dvemu.server.metadata.CascadeDelete d) {
        return switch (d) {
            case CASCADE -> 1;
            case REMOVE_LINK -> 4;
            case RESTRICT -> 5;
        };
    }

    /** The derived AttributeMetadata type Dataverse uses for a column type. */
    static String attributeType(ColumnType type) {
        return switch (type) {
            case STRING -> "StringAttributeMetadata";
            case MEMO -> "MemoAttributeMetadata";
            case INTEGER -> "IntegerAttributeMetadata";
            case BIGINT -> "BigIntAttributeMetadata";
            case DECIMAL -> "DecimalAttributeMetadata";
            case MONEY -> "MoneyAttributeMetadata";
            case BOOLEAN -> "BooleanAttributeMetadata";
            case DATETIME -> "DateTimeAttributeMetadata";
            case UNIQUEIDENTIFIER -> "UniqueIdentifierAttributeMetadata";
            case CHOICE -> "PicklistAttributeMetadata";
            case LOOKUP -> "LookupAttributeMetadata";
        };
    }

    /** The AttributeTypeCode member name ({@code AttributeTypeName} is it followed by "Type"). */
    private static String typeCodeName(ColumnType type) {
        return switch (type) {
            case STRING -> "String";
            case MEMO -> "Memo";
            case INTEGER -> "Integer";
            case BIGINT -> "BigInt";
            case DECIMAL -> "Decimal";
            case MONEY -> "Money";
            case BOOLEAN -> "Boolean";
            case DATETIME -> "DateTime";
            case UNIQUEIDENTIFIER -> "Uniqueidentifier";
            case CHOICE -> "Picklist";
            case LOOKUP -> "Lookup";
        };
    }

    private static int typeCode(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> 0;
            case DATETIME -> 2;
            case DECIMAL -> 3;
            case INTEGER -> 5;
            case LOOKUP -> 6;
            case MEMO -> 7;
            case MONEY -> 8;
            case CHOICE -> 11;
            case STRING -> 14;
            case UNIQUEIDENTIFIER -> 15;
            case BIGINT -> 18;
        };
    }

    private static Entity entity(org.apache.olingo.commons.api.edm.FullQualifiedName type, UUID id) {
        Entity e = new Entity();
        e.setType(type.getFullQualifiedNameAsString());
        e.addProperty(new Property(null, "MetadataId", ValueType.PRIMITIVE, id));
        return e;
    }

    private static void add(Entity e, String name, Object value) {
        e.addProperty(new Property(null, name, ValueType.PRIMITIVE, value));
    }

    private static Property complex(String name, ComplexValue value) {
        return new Property(null, name, ValueType.COMPLEX, value);
    }

    private static ComplexValue value(String v) {
        ComplexValue c = new ComplexValue();
        c.getValue().add(new Property(null, "Value", ValueType.PRIMITIVE, v));
        return c;
    }

    /** A Label: one English label, or none ({@code "LocalizedLabels":[]}, {@code "UserLocalizedLabel":null}). */
    private static ComplexValue label(String text, UUID id) {
        ComplexValue label = new ComplexValue();
        if (text == null) {
            label.getValue().add(new Property(null, "LocalizedLabels", ValueType.COLLECTION_COMPLEX, List.of()));
            label.getValue().add(new Property(null, "UserLocalizedLabel", ValueType.COMPLEX, null));
            return label;
        }
        label.getValue().add(new Property(null, "LocalizedLabels", ValueType.COLLECTION_COMPLEX, List.of(localized(text, id))));
        label.getValue().add(new Property(null, "UserLocalizedLabel", ValueType.COMPLEX, localized(text, id)));
        return label;
    }

    private static ComplexValue localized(String text, UUID id) {
        ComplexValue l = new ComplexValue();
        l.getValue().add(new Property(null, "Label", ValueType.PRIMITIVE, text));
        l.getValue().add(new Property(null, "LanguageCode", ValueType.PRIMITIVE, LANGUAGE_CODE));
        l.getValue().add(new Property(null, "IsManaged", ValueType.PRIMITIVE, false));
        l.getValue().add(new Property(null, "MetadataId", ValueType.PRIMITIVE, id));
        l.getValue().add(new Property(null, "HasChanged", ValueType.PRIMITIVE, null));
        return l;
    }

    private static void link(Entity e, String name, List<Entity> targets) {
        EntityCollection set = new EntityCollection();
        set.getEntities().addAll(targets);
        Link l = new Link();
        l.setTitle(name);
        l.setInlineEntitySet(set);
        e.getNavigationLinks().add(l);
    }

    private static void link(Entity e, String name, Entity target) {
        Link l = new Link();
        l.setTitle(name);
        l.setInlineEntity(target);
        e.getNavigationLinks().add(l);
    }
}
