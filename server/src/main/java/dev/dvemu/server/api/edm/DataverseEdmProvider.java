package dev.dvemu.server.api.edm;

import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
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

import java.util.ArrayList;
import java.util.List;

/**
 * The EDM (and so the CSDL at {@code $metadata}) generated from metadata: namespace {@code Microsoft.Dynamics.CRM},
 * alias {@code mscrm}, one entity type and entity set per table, lookups as {@code _x_value} properties plus a
 * single-valued navigation property, and the {@code WhoAmI} function (§10). Nothing here names a table.
 */
public final class DataverseEdmProvider extends CsdlAbstractEdmProvider {
    public static final String NAMESPACE = "Microsoft.Dynamics.CRM";
    public static final String ALIAS = "mscrm";
    public static final FullQualifiedName CONTAINER = new FullQualifiedName(NAMESPACE, "System");
    public static final String WHO_AM_I = "WhoAmI";
    public static final FullQualifiedName WHO_AM_I_FUNCTION = new FullQualifiedName(NAMESPACE, WHO_AM_I);
    public static final FullQualifiedName WHO_AM_I_RESPONSE = new FullQualifiedName(NAMESPACE, "WhoAmIResponse");

    private final Catalog catalog;

    public DataverseEdmProvider(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public CsdlEntityType getEntityType(FullQualifiedName name) {
        if (!NAMESPACE.equals(name.getNamespace())) {
            return null;
        }
        return catalog.byLogicalName(name.getName()).map(this::entityType).orElse(null);
    }

    private CsdlEntityType entityType(TableDef t) {
        List<CsdlProperty> properties = new ArrayList<>();
        List<CsdlNavigationProperty> navigation = new ArrayList<>();
        for (ColumnDef c : t.columns()) {
            CsdlProperty p = new CsdlProperty().setName(c.propertyName()).setType(c.type().edmType().getFullQualifiedName());
            if (c.type() == ColumnType.STRING || c.type() == ColumnType.MEMO) {
                p.setMaxLength(c.maxLength());
            }
            if (c.type() == ColumnType.DECIMAL || c.type() == ColumnType.MONEY) {
                p.setScale(c.precision());
            }
            if (c.origin() == ColumnDef.Origin.PRIMARY_ID) {
                p.setNullable(false);
            }
            properties.add(p);
            if (c.isLookup()) {
                navigation.add(new CsdlNavigationProperty()
                        .setName(c.navigationProperty())
                        .setType(new FullQualifiedName(NAMESPACE, c.lookupTarget()))
                        .setNullable(true)
                        .setReferentialConstraints(List.of(new CsdlReferentialConstraint()
                                .setProperty(c.propertyName())
                                .setReferencedProperty(catalog.require(c.lookupTarget()).primaryId().name()))));
            }
        }
        return new CsdlEntityType()
                .setName(t.logicalName())
                .setKey(List.of(new CsdlPropertyRef().setName(t.primaryId().name())))
                .setProperties(properties)
                .setNavigationProperties(navigation);
    }

    @Override
    public CsdlComplexType getComplexType(FullQualifiedName name) {
        if (!WHO_AM_I_RESPONSE.equals(name)) {
            return null;
        }
        return new CsdlComplexType().setName(WHO_AM_I_RESPONSE.getName()).setProperties(List.of(
                guid("BusinessUnitId"), guid("UserId"), guid("OrganizationId")));
    }

    private static CsdlProperty guid(String name) {
        return new CsdlProperty().setName(name).setType(EdmPrimitiveTypeKind.Guid.getFullQualifiedName()).setNullable(false);
    }

    @Override
    public List<CsdlFunction> getFunctions(FullQualifiedName name) {
        if (!WHO_AM_I_FUNCTION.equals(name)) {
            return null;
        }
        return List.of(new CsdlFunction().setName(WHO_AM_I).setBound(false).setComposable(false)
                .setReturnType(new CsdlReturnType().setType(WHO_AM_I_RESPONSE).setNullable(false)));
    }

    @Override
    public CsdlEntitySet getEntitySet(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        return catalog.byEntitySet(name).map(this::entitySet).orElse(null);
    }

    private CsdlEntitySet entitySet(TableDef t) {
        List<CsdlNavigationPropertyBinding> bindings = new ArrayList<>();
        for (ColumnDef lookup : t.lookups()) {
            bindings.add(new CsdlNavigationPropertyBinding().setPath(lookup.navigationProperty())
                    .setTarget(catalog.require(lookup.lookupTarget()).entitySetName()));
        }
        return new CsdlEntitySet().setName(t.entitySetName())
                .setType(new FullQualifiedName(NAMESPACE, t.logicalName()))
                .setNavigationPropertyBindings(bindings);
    }

    @Override
    public CsdlFunctionImport getFunctionImport(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container) || !WHO_AM_I.equals(name)) {
            return null;
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
        return new CsdlEntityContainer().setName(CONTAINER.getName()).setEntitySets(sets)
                .setFunctionImports(List.of(getFunctionImport(CONTAINER, WHO_AM_I)));
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        List<CsdlEntityType> types = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            types.add(entityType(t));
        }
        CsdlSchema schema = new CsdlSchema().setNamespace(NAMESPACE).setAlias(ALIAS)
                .setEntityTypes(types)
                .setComplexTypes(List.of(getComplexType(WHO_AM_I_RESPONSE)))
                .setFunctions(getFunctions(WHO_AM_I_FUNCTION))
                .setEntityContainer(getEntityContainer());
        return List.of(schema);
    }
}
