package dev.dvemu.server.api.edm;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.ParameterType;
import dev.dvemu.server.execution.CustomApis;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.metadata.query.DefinitionsEdm;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlAction;
import org.apache.olingo.commons.api.edm.provider.CsdlActionImport;
import org.apache.olingo.commons.api.edm.provider.CsdlOperation;
import org.apache.olingo.commons.api.edm.provider.CsdlParameter;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlFunctionImport;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationPropertyBinding;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlReferentialConstraint;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.apache.olingo.commons.api.edm.provider.CsdlTerm;

import java.util.ArrayList;
import java.util.List;

/**
 * The EDM (and so the CSDL at {@code $metadata}) generated from metadata: namespace {@code Microsoft.Dynamics.CRM},
 * alias {@code mscrm}, one entity type and entity set per table, lookups as {@code _x_value} properties plus a
 * single-valued navigation property, the {@code WhoAmI} function (§10), and the registered custom APIs: each an
 * {@code Action} or {@code Function} (bound ones take the row as their first parameter, {@code entity}) returning its
 * {@code <name>Response} complex type, unbound ones with an import in the container. Nothing here names a table.
 */
public final class DataverseEdmProvider extends CsdlAbstractEdmProvider {
    public static final String NAMESPACE = "Microsoft.Dynamics.CRM";
    public static final String ALIAS = "mscrm";
    public static final FullQualifiedName CONTAINER = new FullQualifiedName(NAMESPACE, "System");
    public static final String WHO_AM_I = "WhoAmI";
    public static final FullQualifiedName WHO_AM_I_FUNCTION = new FullQualifiedName(NAMESPACE, WHO_AM_I);
    public static final FullQualifiedName WHO_AM_I_RESPONSE = new FullQualifiedName(NAMESPACE, "WhoAmIResponse");
    /** The abstract type every table's entity type derives from (web-api-entitytypes.md), without key or properties. */
    public static final FullQualifiedName CRM_BASE_ENTITY = new FullQualifiedName(NAMESPACE, "crmbaseentity");
    /** The open entity type Dataverse declares for custom APIs' open parameters; dvemu declares it to keep the shape. */
    public static final FullQualifiedName EXPANDO = new FullQualifiedName(NAMESPACE, "expando");
    /** How Dataverse spells the scale of every decimal and money property. */
    private static final String VARIABLE_SCALE = "Variable";

    /** The most digits after the point a custom API's decimal parameter takes (System.Decimal's). */
    private static final int DECIMAL_SCALE = 28;
    private final Catalog catalog;
    private final CustomApis customApis;
    /** The definition (metadata) types behind EntityDefinitions and co., served apart from the tables' types. */
    private final DefinitionsEdm definitions = new DefinitionsEdm();

    public DataverseEdmProvider(Catalog catalog) {
        this(catalog, CustomApis.NONE);
    }

    public DataverseEdmProvider(Catalog catalog, CustomApis customApis) {
        this.catalog = catalog;
        this.customApis = customApis;
    }

    /** The name of a custom API's response type: {@code new_ApplyResponse}. */
    public static FullQualifiedName responseType(String uniqueName) {
        return new FullQualifiedName(NAMESPACE, uniqueName + "Response");
    }

    @Override
    public CsdlEntityType getEntityType(FullQualifiedName name) {
        if (CRM_BASE_ENTITY.equals(name)) {
            return new CsdlEntityType().setName(CRM_BASE_ENTITY.getName()).setAbstract(true);
        }
        if (EXPANDO.equals(name)) {
            return new CsdlEntityType().setName(EXPANDO.getName()).setBaseType(CRM_BASE_ENTITY).setOpenType(true);
        }
        if (!NAMESPACE.equals(name.getNamespace())) {
            return null;
        }
        return catalog.byLogicalName(name.getName()).map(this::entityType)
                .orElseGet(() -> definitions.entityType(name).orElse(null));
    }

    @Override
    public CsdlEnumType getEnumType(FullQualifiedName name) {
        return definitions.enumType(name).orElse(null);
    }

    private CsdlEntityType entityType(TableDef t) {
        List<CsdlProperty> properties = new ArrayList<>();
        List<CsdlNavigationProperty> navigation = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            // as Dataverse declares them: strings without MaxLength and not Unicode, decimals with a variable scale, the
            // key without Nullable (the lengths and precisions are in the metadata queries, not in the CSDL)
            CsdlProperty p = new CsdlProperty().setName(c.propertyName()).setType(c.type().edmType().getFullQualifiedName());
            if (c.type() == ColumnType.STRING || c.type() == ColumnType.MEMO) {
                p.setUnicode(false);
            }
            if (c.type() == ColumnType.DECIMAL || c.type() == ColumnType.MONEY) {
                p.setScaleAsString(VARIABLE_SCALE);
            }
            properties.add(p);
            if (c.isLookup()) {
                CsdlNavigationProperty single = new CsdlNavigationProperty()
                        .setName(c.navigationProperty())
                        .setType(new FullQualifiedName(NAMESPACE, c.lookupTarget()))
                        // Dataverse declares every single-valued navigation property so, required or not
                        .setNullable(false)
                        .setReferentialConstraints(List.of(new CsdlReferentialConstraint()
                                .setProperty(c.propertyName())
                                .setReferencedProperty(catalog.require(c.lookupTarget()).primaryId().name())));
                catalog.relationshipOf(t, c).ifPresent(r -> single.setPartner(r.collectionNavigation()));
                navigation.add(single);
            }
        }
        // the "many" side of each one-to-many relationship, partnered with the lookup's navigation property; each
        // side of a many-to-many relationship, partnered with the other side, which has the same name (as Dataverse has it)
        for (CollectionNavigation r : catalog.collectionNavigations(t)) {
            navigation.add(new CsdlNavigationProperty()
                    .setName(r.navigation())
                    .setType(new FullQualifiedName(NAMESPACE, r.related().logicalName()))
                    .setCollection(true)
                    .setPartner(r instanceof OneToMany one ? one.singleNavigation() : r.navigation()));
        }
        return new CsdlEntityType()
                .setName(t.logicalName())
                .setBaseType(CRM_BASE_ENTITY)
                .setKey(List.of(new CsdlPropertyRef().setName(t.primaryId().name())))
                .setProperties(properties)
                .setNavigationProperties(navigation)
                .setAnnotations(KeysVocabulary.alternateKeys(t).map(List::of).orElse(List.of()));
    }

    @Override
    public CsdlComplexType getComplexType(FullQualifiedName name) {
        if (KeysVocabulary.NAMESPACE.equals(name.getNamespace())) {
            return KeysVocabulary.complexType(name);
        }
        if (!WHO_AM_I_RESPONSE.equals(name)) {
            CsdlComplexType response = customApiResponse(name);
            return response != null ? response : definitions.complexType(name).orElse(null);
        }
        return new CsdlComplexType().setName(WHO_AM_I_RESPONSE.getName()).setProperties(List.of(
                guid("BusinessUnitId"), guid("UserId"), guid("OrganizationId")));
    }

    private static CsdlProperty guid(String name) {
        return new CsdlProperty().setName(name).setType(EdmPrimitiveTypeKind.Guid.getFullQualifiedName());
    }

    private CsdlComplexType customApiResponse(FullQualifiedName name) {
        if (!NAMESPACE.equals(name.getNamespace()) || !name.getName().endsWith("Response")) {
            return null;
        }
        String api = name.getName().substring(0, name.getName().length() - "Response".length());
        return customApis.byName(api).filter(d -> !d.api().responseProperties().isEmpty()).map(d -> {
            List<CsdlProperty> properties = new ArrayList<>();
            for (CustomApi.Parameter p : d.api().responseProperties()) {
                properties.add(new CsdlProperty().setName(p.name()).setType(edmType(p)).setCollection(isCollection(p))
                        .setNullable(true)
                        // as the real org's response types declare their strings
                        .setUnicode(p.type() != ParameterType.STRING && p.type() != ParameterType.STRING_ARRAY));
            }
            return new CsdlComplexType().setName(name.getName()).setProperties(properties);
        }).orElse(null);
    }

    private static FullQualifiedName edmType(CustomApi.Parameter p) {
        switch (p.type()) {
            case BOOLEAN:
                return EdmPrimitiveTypeKind.Boolean.getFullQualifiedName();
            case DATE_TIME:
                return EdmPrimitiveTypeKind.DateTimeOffset.getFullQualifiedName();
            case DECIMAL, MONEY:
                return EdmPrimitiveTypeKind.Decimal.getFullQualifiedName();
            case FLOAT:
                return EdmPrimitiveTypeKind.Double.getFullQualifiedName();
            case INTEGER, PICKLIST:
                return EdmPrimitiveTypeKind.Int32.getFullQualifiedName();
            case GUID:
                return EdmPrimitiveTypeKind.Guid.getFullQualifiedName();
            case STRING, STRING_ARRAY:
                return EdmPrimitiveTypeKind.String.getFullQualifiedName();
            default:
                // Entity and EntityReference: the table's entity type
                return new FullQualifiedName(NAMESPACE, p.table().orElseThrow());
        }
    }

    private static boolean isCollection(CustomApi.Parameter p) {
        return p.type() == ParameterType.STRING_ARRAY || p.type() == ParameterType.ENTITY_COLLECTION;
    }

    /** The action or function's parameters: the bound row first, as {@code entity}, then the request parameters. */
    private static <T extends CsdlOperation> T operation(T op, CustomApis.Declared d) {
        List<CsdlParameter> parameters = new ArrayList<>();
        d.boundTable().ifPresent(t -> parameters.add(new CsdlParameter().setName("entity")
                .setType(new FullQualifiedName(NAMESPACE, t.logicalName())).setNullable(false)));
        for (CustomApi.Parameter p : d.api().requestParameters()) {
            CsdlParameter parameter = new CsdlParameter().setName(p.name()).setType(edmType(p)).setCollection(isCollection(p))
                    .setNullable(p.optional());
            if (p.type() == ParameterType.DECIMAL || p.type() == ParameterType.MONEY) {
                // a .NET decimal's scale; without one Olingo takes a function's decimal parameter as whole numbers
                parameter.setScale(DECIMAL_SCALE);
            }
            if (p.optional() && op instanceof CsdlFunction) {
                parameter.setAnnotations(List.of(CoreVocabulary.optionalParameter()));
            }
            parameters.add(parameter);
        }
        op.setName(d.name()).setBound(d.boundTable().isPresent()).setParameters(parameters);
        if (!d.api().responseProperties().isEmpty()) {
            op.setReturnType(new CsdlReturnType().setType(responseType(d.name())).setNullable(false));
        }
        return op;
    }

    private java.util.Optional<CustomApis.Declared> customApi(FullQualifiedName name, boolean function) {
        if (name == null || !NAMESPACE.equals(name.getNamespace())) {
            return java.util.Optional.empty();
        }
        return customApis.byName(name.getName()).filter(d -> d.api().isFunction() == function);
    }

    @Override
    public CsdlTerm getTerm(FullQualifiedName name) {
        return CoreVocabulary.NAMESPACE.equals(name.getNamespace()) ? CoreVocabulary.term(name) : KeysVocabulary.term(name);
    }

    @Override
    public List<CsdlAction> getActions(FullQualifiedName name) {
        return customApi(name, false).map(d -> List.of(operation(new CsdlAction(), d))).orElse(null);
    }

    @Override
    public CsdlActionImport getActionImport(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        return customApi(new FullQualifiedName(NAMESPACE, name), false).filter(d -> d.boundTable().isEmpty())
                .map(d -> new CsdlActionImport().setName(d.name()).setAction(new FullQualifiedName(NAMESPACE, d.name())))
                .orElse(null);
    }

    @Override
    public List<CsdlFunction> getFunctions(FullQualifiedName name) {
        if (!WHO_AM_I_FUNCTION.equals(name)) {
            return customApi(name, true).map(d -> List.of(operation(new CsdlFunction(), d).setComposable(false)))
                    .orElse(null);
        }
        return List.of(new CsdlFunction().setName(WHO_AM_I).setBound(false).setComposable(false)
                .setReturnType(new CsdlReturnType().setType(WHO_AM_I_RESPONSE).setNullable(false)));
    }

    @Override
    public CsdlEntitySet getEntitySet(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        return catalog.byEntitySet(name).map(this::entitySet).orElseGet(() -> definitions.entitySet(name).orElse(null));
    }

    private CsdlEntitySet entitySet(TableDef t) {
        List<CsdlNavigationPropertyBinding> bindings = new ArrayList<>();
        for (ColumnDef lookup : t.lookups()) {
            bindings.add(new CsdlNavigationPropertyBinding().setPath(lookup.navigationProperty())
                    .setTarget(catalog.require(lookup.lookupTarget()).entitySetName()));
        }
        for (CollectionNavigation r : catalog.collectionNavigations(t)) {
            bindings.add(new CsdlNavigationPropertyBinding().setPath(r.navigation()).setTarget(r.related().entitySetName()));
        }
        return new CsdlEntitySet().setName(t.entitySetName())
                .setType(new FullQualifiedName(NAMESPACE, t.logicalName()))
                .setNavigationPropertyBindings(bindings);
    }

    @Override
    public CsdlFunctionImport getFunctionImport(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        if (!WHO_AM_I.equals(name)) {
            return customApi(new FullQualifiedName(NAMESPACE, name), true).filter(d -> d.boundTable().isEmpty())
                    .map(d -> new CsdlFunctionImport().setName(d.name()).setFunction(new FullQualifiedName(NAMESPACE, d.name()))
                            .setIncludeInServiceDocument(false))
                    .orElse(null);
        }
        return new CsdlFunctionImport().setName(WHO_AM_I).setFunction(WHO_AM_I_FUNCTION).setIncludeInServiceDocument(false);
    }

    @Override
    public CsdlEntityContainerInfo getEntityContainerInfo(FullQualifiedName name) {
        if (name == null || CONTAINER.equals(name)) {
            return new CsdlEntityContainerInfo().setContainerName(CONTAINER);
        }
        return null;
    }

    @Override
    public CsdlEntityContainer getEntityContainer() {
        List<CsdlEntitySet> sets = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            sets.add(entitySet(t));
        }
        sets.addAll(definitions.entitySets());
        List<CsdlFunctionImport> functionImports = new ArrayList<>(List.of(getFunctionImport(CONTAINER, WHO_AM_I)));
        List<CsdlActionImport> actionImports = new ArrayList<>();
        for (CustomApis.Declared d : customApis.all()) {
            if (d.boundTable().isPresent()) {
                continue;
            }
            if (d.api().isFunction()) {
                functionImports.add(getFunctionImport(CONTAINER, d.name()));
            } else {
                actionImports.add(getActionImport(CONTAINER, d.name()));
            }
        }
        return new CsdlEntityContainer().setName(CONTAINER.getName()).setEntitySets(sets)
                .setFunctionImports(functionImports).setActionImports(actionImports);
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        List<CsdlEntityType> types = new ArrayList<>(List.of(getEntityType(CRM_BASE_ENTITY), getEntityType(EXPANDO)));
        for (TableDef t : catalog.tables()) {
            types.add(entityType(t));
        }
        types.addAll(definitions.entityTypes());
        List<CsdlComplexType> complexTypes = new ArrayList<>(List.of(getComplexType(WHO_AM_I_RESPONSE)));
        complexTypes.addAll(definitions.complexTypes());
        List<CsdlFunction> functions = new ArrayList<>(getFunctions(WHO_AM_I_FUNCTION));
        List<CsdlAction> actions = new ArrayList<>();
        for (CustomApis.Declared d : customApis.all()) {
            FullQualifiedName name = new FullQualifiedName(NAMESPACE, d.name());
            if (!d.api().responseProperties().isEmpty()) {
                complexTypes.add(getComplexType(responseType(d.name())));
            }
            if (d.api().isFunction()) {
                functions.addAll(getFunctions(name));
            } else {
                actions.addAll(getActions(name));
            }
        }
        CsdlSchema schema = new CsdlSchema().setNamespace(NAMESPACE).setAlias(ALIAS)
                .setEntityTypes(types)
                .setComplexTypes(complexTypes)
                .setEnumTypes(definitions.enumTypes())
                .setActions(actions)
                .setFunctions(functions)
                .setEntityContainer(getEntityContainer());
        return List.of(schema);
    }
}
