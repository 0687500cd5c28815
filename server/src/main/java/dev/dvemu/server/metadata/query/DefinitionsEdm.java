package dev.dvemu.server.metadata.query;

import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumMember;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumType;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationPropertyBinding;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The definition (metadata) entity types behind {@code EntityDefinitions}, {@code RelationshipDefinitions} and
 * {@code GlobalOptionSetDefinitions}, named as Dataverse's CSDL names them (namespace {@code Microsoft.Dynamics.CRM}),
 * with only the properties dvemu fills truthfully from its table definitions: a property Dataverse has and dvemu does
 * not serve is unknown here, so {@code $select} of it is refused as OData refuses an unknown property.
 */
public final class DefinitionsEdm {
    public static final String NAMESPACE = "Microsoft.Dynamics.CRM";
    public static final String ENTITY_DEFINITIONS = "EntityDefinitions";
    public static final String RELATIONSHIP_DEFINITIONS = "RelationshipDefinitions";
    public static final String GLOBAL_OPTION_SET_DEFINITIONS = "GlobalOptionSetDefinitions";

    static final FullQualifiedName METADATA_BASE = fqn("MetadataBase");
    static final FullQualifiedName ENTITY_METADATA = fqn("EntityMetadata");
    static final FullQualifiedName ATTRIBUTE_METADATA = fqn("AttributeMetadata");
    static final FullQualifiedName ENUM_ATTRIBUTE_METADATA = fqn("EnumAttributeMetadata");
    static final FullQualifiedName ENTITY_KEY_METADATA = fqn("EntityKeyMetadata");
    static final FullQualifiedName RELATIONSHIP_METADATA_BASE = fqn("RelationshipMetadataBase");
    static final FullQualifiedName ONE_TO_MANY = fqn("OneToManyRelationshipMetadata");
    static final FullQualifiedName MANY_TO_MANY = fqn("ManyToManyRelationshipMetadata");
    static final FullQualifiedName OPTION_SET_METADATA_BASE = fqn("OptionSetMetadataBase");
    static final FullQualifiedName OPTION_SET_METADATA = fqn("OptionSetMetadata");

    static final FullQualifiedName LABEL = fqn("Label");
    static final FullQualifiedName LOCALIZED_LABEL = fqn("LocalizedLabel");
    static final FullQualifiedName REQUIRED_LEVEL_PROPERTY = fqn("AttributeRequiredLevelManagedProperty");
    static final FullQualifiedName TYPE_DISPLAY_NAME = fqn("AttributeTypeDisplayName");
    static final FullQualifiedName CASCADE_CONFIGURATION = fqn("CascadeConfiguration");
    static final FullQualifiedName OPTION_METADATA = fqn("OptionMetadata");
    static final FullQualifiedName STRING_FORMAT_NAME = fqn("StringFormatName");
    static final FullQualifiedName DATE_TIME_BEHAVIOR = fqn("DateTimeBehavior");
    static final FullQualifiedName STRING_FORMAT = fqn("StringFormat");
    static final FullQualifiedName DATE_TIME_FORMAT = fqn("DateTimeFormat");

    static final FullQualifiedName OWNERSHIP_TYPES = fqn("OwnershipTypes");
    static final FullQualifiedName ATTRIBUTE_TYPE_CODE = fqn("AttributeTypeCode");
    static final FullQualifiedName REQUIRED_LEVEL = fqn("AttributeRequiredLevel");
    static final FullQualifiedName CASCADE_TYPE = fqn("CascadeType");
    static final FullQualifiedName RELATIONSHIP_TYPE = fqn("RelationshipType");
    static final FullQualifiedName OPTION_SET_TYPE = fqn("OptionSetType");
    static final FullQualifiedName KEY_INDEX_STATUS = fqn("EntityKeyIndexStatus");

    private static final FullQualifiedName STRING = EdmPrimitiveTypeKind.String.getFullQualifiedName();
    private static final FullQualifiedName BOOLEAN = EdmPrimitiveTypeKind.Boolean.getFullQualifiedName();
    private static final FullQualifiedName INT32 = EdmPrimitiveTypeKind.Int32.getFullQualifiedName();
    private static final FullQualifiedName INT64 = EdmPrimitiveTypeKind.Int64.getFullQualifiedName();
    private static final FullQualifiedName DOUBLE = EdmPrimitiveTypeKind.Double.getFullQualifiedName();
    private static final FullQualifiedName DECIMAL = EdmPrimitiveTypeKind.Decimal.getFullQualifiedName();
    private static final FullQualifiedName GUID = EdmPrimitiveTypeKind.Guid.getFullQualifiedName();

    private final Map<FullQualifiedName, CsdlEntityType> entityTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlComplexType> complexTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlEnumType> enumTypes = new LinkedHashMap<>();
    private final Map<String, CsdlEntitySet> entitySets = new LinkedHashMap<>();

    public DefinitionsEdm() {
        entity("MetadataBase", null, true, p("MetadataId", GUID).setNullable(false), p("HasChanged", BOOLEAN));
        entityTypes.get(METADATA_BASE).setKey(List.of(new CsdlPropertyRef().setName("MetadataId")));
        entity("EntityMetadata", METADATA_BASE, false,
                p("ChangeTrackingEnabled", BOOLEAN), p("Description", LABEL), p("DisplayName", LABEL),
                p("EntitySetName", STRING), p("IsActivity", BOOLEAN), p("IsCustomEntity", BOOLEAN), p("IsIntersect", BOOLEAN),
                p("IsOptimisticConcurrencyEnabled", BOOLEAN), p("LogicalName", STRING), p("ObjectTypeCode", INT32),
                p("OwnershipType", OWNERSHIP_TYPES), p("PrimaryIdAttribute", STRING), p("PrimaryNameAttribute", STRING),
                p("SchemaName", STRING))
                .setNavigationProperties(List.of(
                        contained("Attributes", ATTRIBUTE_METADATA),
                        many("ManyToManyRelationships", MANY_TO_MANY),
                        many("ManyToOneRelationships", ONE_TO_MANY),
                        many("OneToManyRelationships", ONE_TO_MANY),
                        contained("Keys", ENTITY_KEY_METADATA)));
        entity("AttributeMetadata", METADATA_BASE, false,
                p("AttributeOf", STRING), p("AttributeType", ATTRIBUTE_TYPE_CODE), p("AttributeTypeName", TYPE_DISPLAY_NAME),
                p("Description", LABEL), p("DisplayName", LABEL),
                p("EntityLogicalName", STRING), p("IsCustomAttribute", BOOLEAN),
                p("IsPrimaryId", BOOLEAN), p("IsPrimaryName", BOOLEAN), p("IsValidForCreate", BOOLEAN),
                p("IsValidForRead", BOOLEAN), p("IsValidForUpdate", BOOLEAN), p("LogicalName", STRING),
                p("RequiredLevel", REQUIRED_LEVEL_PROPERTY), p("SchemaName", STRING), p("IsLogical", BOOLEAN),
                p("SourceType", INT32), p("AutoNumberFormat", STRING));
        entity("StringAttributeMetadata", ATTRIBUTE_METADATA, false, p("Format", STRING_FORMAT),
                p("FormatName", STRING_FORMAT_NAME), p("MaxLength", INT32));
        entity("MemoAttributeMetadata", ATTRIBUTE_METADATA, false, p("Format", STRING_FORMAT), p("MaxLength", INT32));
        entity("IntegerAttributeMetadata", ATTRIBUTE_METADATA, false, p("MaxValue", INT32), p("MinValue", INT32));
        entity("BigIntAttributeMetadata", ATTRIBUTE_METADATA, false, p("MaxValue", INT64), p("MinValue", INT64));
        entity("DecimalAttributeMetadata", ATTRIBUTE_METADATA, false, p("MaxValue", DECIMAL).setScale(10),
                p("MinValue", DECIMAL).setScale(10), p("Precision", INT32));
        entity("MoneyAttributeMetadata", ATTRIBUTE_METADATA, false, p("MaxValue", DOUBLE), p("MinValue", DOUBLE),
                p("Precision", INT32));
        entity("BooleanAttributeMetadata", ATTRIBUTE_METADATA, false);
        entity("DateTimeAttributeMetadata", ATTRIBUTE_METADATA, false, p("Format", DATE_TIME_FORMAT),
                p("DateTimeBehavior", DATE_TIME_BEHAVIOR));
        entity("UniqueIdentifierAttributeMetadata", ATTRIBUTE_METADATA, false);
        entity("LookupAttributeMetadata", ATTRIBUTE_METADATA, false, p("Targets", STRING).setCollection(true));
        // Dataverse declares OptionSet on EnumAttributeMetadata and refuses a cast to it; so does dvemu (no attribute is one)
        entity("EnumAttributeMetadata", ATTRIBUTE_METADATA, false)
                .setNavigationProperties(List.of(new CsdlNavigationProperty().setName("OptionSet").setType(OPTION_SET_METADATA)));
        entity("PicklistAttributeMetadata", ENUM_ATTRIBUTE_METADATA, false);
        entity("EntityKeyMetadata", METADATA_BASE, false,
                p("EntityKeyIndexStatus", KEY_INDEX_STATUS), p("EntityLogicalName", STRING),
                p("KeyAttributes", STRING).setCollection(true), p("LogicalName", STRING), p("SchemaName", STRING));
        entity("RelationshipMetadataBase", METADATA_BASE, true,
                p("RelationshipType", RELATIONSHIP_TYPE), p("SchemaName", STRING));
        entity("OneToManyRelationshipMetadata", RELATIONSHIP_METADATA_BASE, false,
                p("CascadeConfiguration", CASCADE_CONFIGURATION), p("ReferencedAttribute", STRING),
                p("ReferencedEntity", STRING), p("ReferencedEntityNavigationPropertyName", STRING),
                p("ReferencingAttribute", STRING), p("ReferencingEntity", STRING),
                p("ReferencingEntityNavigationPropertyName", STRING));
        entity("ManyToManyRelationshipMetadata", RELATIONSHIP_METADATA_BASE, false,
                p("Entity1IntersectAttribute", STRING), p("Entity1LogicalName", STRING),
                p("Entity1NavigationPropertyName", STRING), p("Entity2IntersectAttribute", STRING),
                p("Entity2LogicalName", STRING), p("Entity2NavigationPropertyName", STRING),
                p("IntersectEntityName", STRING));
        entity("OptionSetMetadataBase", METADATA_BASE, false,
                p("IsCustomOptionSet", BOOLEAN), p("IsGlobal", BOOLEAN), p("Name", STRING), p("OptionSetType", OPTION_SET_TYPE));
        entity("OptionSetMetadata", OPTION_SET_METADATA_BASE, false, p("Options", OPTION_METADATA).setCollection(true));

        complex("Label", p("LocalizedLabels", LOCALIZED_LABEL).setCollection(true), p("UserLocalizedLabel", LOCALIZED_LABEL));
        complex("LocalizedLabel", p("Label", STRING), p("LanguageCode", INT32), p("IsManaged", BOOLEAN),
                p("MetadataId", GUID), p("HasChanged", BOOLEAN));
        complex("AttributeRequiredLevelManagedProperty", p("Value", REQUIRED_LEVEL), p("CanBeChanged", BOOLEAN),
                p("ManagedPropertyLogicalName", STRING));
        complex("AttributeTypeDisplayName", p("Value", STRING));
        complex("StringFormatName", p("Value", STRING));
        complex("DateTimeBehavior", p("Value", STRING));
        // dvemu knows what a delete does to the children; the other cascades (assign, share, ...) have no meaning here
        complex("CascadeConfiguration", p("Delete", CASCADE_TYPE));
        complex("OptionMetadata", p("Value", INT32), p("Label", LABEL));

        enumeration("OwnershipTypes", true, "None", 0, "UserOwned", 1, "TeamOwned", 2, "BusinessOwned", 4,
                "OrganizationOwned", 8, "BusinessParented", 16);
        enumeration("AttributeTypeCode", false, "Boolean", 0, "Customer", 1, "DateTime", 2, "Decimal", 3, "Double", 4,
                "Integer", 5, "Lookup", 6, "Memo", 7, "Money", 8, "Owner", 9, "PartyList", 10, "Picklist", 11, "State", 12,
                "Status", 13, "String", 14, "Uniqueidentifier", 15, "CalendarRules", 16, "Virtual", 17, "BigInt", 18,
                "ManagedProperty", 19, "EntityName", 20);
        enumeration("AttributeRequiredLevel", false, "None", 0, "SystemRequired", 1, "ApplicationRequired", 2, "Recommended", 3);
        enumeration("CascadeType", false, "NoCascade", 0, "Cascade", 1, "Active", 2, "UserOwned", 3, "RemoveLink", 4, "Restrict", 5);
        enumeration("RelationshipType", false, "OneToManyRelationship", 0, "ManyToManyRelationship", 1);
        enumeration("OptionSetType", false, "Picklist", 0, "State", 1, "Status", 2, "Boolean", 3);
        enumeration("StringFormat", false, "Email", 0, "Text", 1, "TextArea", 2, "Url", 3, "TickerSymbol", 4,
                "PhoneticGuide", 5, "VersionNumber", 6, "Phone", 7);
        enumeration("DateTimeFormat", false, "DateOnly", 0, "DateAndTime", 1);
        enumeration("EntityKeyIndexStatus", false, "Pending", 0, "InProgress", 1, "Active", 2, "Failed", 3);

        entitySets.put(ENTITY_DEFINITIONS, new CsdlEntitySet().setName(ENTITY_DEFINITIONS).setType(ENTITY_METADATA)
                .setNavigationPropertyBindings(List.of(
                        binding("ManyToManyRelationships"), binding("ManyToOneRelationships"), binding("OneToManyRelationships"))));
        entitySets.put(RELATIONSHIP_DEFINITIONS, new CsdlEntitySet().setName(RELATIONSHIP_DEFINITIONS).setType(RELATIONSHIP_METADATA_BASE));
        entitySets.put(GLOBAL_OPTION_SET_DEFINITIONS, new CsdlEntitySet().setName(GLOBAL_OPTION_SET_DEFINITIONS).setType(OPTION_SET_METADATA_BASE));
    }

    static FullQualifiedName fqn(String name) {
        return new FullQualifiedName(NAMESPACE, name);
    }

    /** Whether {@code name} is one of the definition entity sets. */
    public static boolean isDefinitionSet(String name) {
        return ENTITY_DEFINITIONS.equals(name) || RELATIONSHIP_DEFINITIONS.equals(name) || GLOBAL_OPTION_SET_DEFINITIONS.equals(name);
    }

    public Optional<CsdlEntityType> entityType(FullQualifiedName name) {
        return Optional.ofNullable(entityTypes.get(name));
    }

    public Optional<CsdlComplexType> complexType(FullQualifiedName name) {
        return Optional.ofNullable(complexTypes.get(name));
    }

    public Optional<CsdlEnumType> enumType(FullQualifiedName name) {
        return Optional.ofNullable(enumTypes.get(name));
    }

    public Optional<CsdlEntitySet> entitySet(String name) {
        return Optional.ofNullable(entitySets.get(name));
    }

    public List<CsdlEntityType> entityTypes() {
        return List.copyOf(entityTypes.values());
    }

    public List<CsdlComplexType> complexTypes() {
        return List.copyOf(complexTypes.values());
    }

    public List<CsdlEnumType> enumTypes() {
        return List.copyOf(enumTypes.values());
    }

    public List<CsdlEntitySet> entitySets() {
        return List.copyOf(entitySets.values());
    }

    private CsdlEntityType entity(String name, FullQualifiedName base, boolean isAbstract, CsdlProperty... properties) {
        CsdlEntityType t = new CsdlEntityType().setName(name).setAbstract(isAbstract).setProperties(new ArrayList<>(List.of(properties)));
        if (base != null) {
            t.setBaseType(base);
        }
        entityTypes.put(fqn(name), t);
        return t;
    }

    private void complex(String name, CsdlProperty... properties) {
        complexTypes.put(fqn(name), new CsdlComplexType().setName(name).setProperties(new ArrayList<>(List.of(properties))));
    }

    private void enumeration(String name, boolean flags, Object... members) {
        List<CsdlEnumMember> list = new ArrayList<>();
        for (int i = 0; i < members.length; i += 2) {
            list.add(new CsdlEnumMember().setName((String) members[i]).setValue(String.valueOf(members[i + 1])));
        }
        enumTypes.put(fqn(name), new CsdlEnumType().setName(name).setFlags(flags)
                .setUnderlyingType(EdmPrimitiveTypeKind.Int32.getFullQualifiedName()).setMembers(list));
    }

    private static CsdlProperty p(String name, FullQualifiedName type) {
        return new CsdlProperty().setName(name).setType(type);
    }

    private static CsdlNavigationProperty contained(String name, FullQualifiedName type) {
        return many(name, type).setContainsTarget(true);
    }

    private static CsdlNavigationProperty many(String name, FullQualifiedName type) {
        return new CsdlNavigationProperty().setName(name).setType(type).setCollection(true);
    }

    private static CsdlNavigationPropertyBinding binding(String path) {
        return new CsdlNavigationPropertyBinding().setPath(path).setTarget(RELATIONSHIP_DEFINITIONS);
    }
}
