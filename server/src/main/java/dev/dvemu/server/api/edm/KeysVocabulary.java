package dev.dvemu.server.api.edm;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlTerm;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlCollection;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlConstantExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlPropertyPath;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlPropertyValue;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code OData.Community.Keys.V1} vocabulary as Dataverse uses it: an entity type with alternate keys carries an
 * {@code AlternateKeys} annotation listing each key's properties by name (a lookup by its {@code _x_value} property),
 * as {@code web-api-entitytypes.md} ("Alternate Keys") and the real org's CSDL show. Olingo writes an annotation only
 * when it can resolve its term and record types, so they are declared here (not serialized: another namespace).
 * <p>
 * Unlike Dataverse, the CSDL has no {@code <edmx:Reference>} to the vocabulary: Olingo's EDM-enabled client (and so
 * its proxies) fetches every referenced document before it reads a row, and fails where
 * {@code vocabularies.odata.org} cannot be reached or is another host than the service.
 */
final class KeysVocabulary {
    static final String NAMESPACE = "OData.Community.Keys.V1";
    static final FullQualifiedName ALTERNATE_KEYS = new FullQualifiedName(NAMESPACE, "AlternateKeys");
    static final FullQualifiedName ALTERNATE_KEY = new FullQualifiedName(NAMESPACE, "AlternateKey");
    static final FullQualifiedName PROPERTY_REF = new FullQualifiedName(NAMESPACE, "PropertyRef");

    private KeysVocabulary() {
    }

    static CsdlTerm term(FullQualifiedName name) {
        if (!ALTERNATE_KEYS.equals(name)) {
            return null;
        }
        return new CsdlTerm().setName(name.getName()).setType("Collection(" + ALTERNATE_KEY.getFullQualifiedNameAsString() + ")")
                .setAppliesTo(List.of("EntityType", "EntitySet"));
    }

    static CsdlComplexType complexType(FullQualifiedName name) {
        if (ALTERNATE_KEY.equals(name)) {
            return new CsdlComplexType().setName(name.getName()).setProperties(List.of(new CsdlProperty().setName("Key")
                    .setType(PROPERTY_REF).setCollection(true)));
        }
        if (PROPERTY_REF.equals(name)) {
            return new CsdlComplexType().setName(name.getName()).setProperties(List.of(
                    new CsdlProperty().setName("Name").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()),
                    new CsdlProperty().setName("Alias").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName())));
        }
        return null;
    }

    /** The table's {@code AlternateKeys} annotation; none when it has no alternate key. */
    static Optional<CsdlAnnotation> alternateKeys(TableDef table) {
        if (table.alternateKeys().isEmpty()) {
            return Optional.empty();
        }
        List<CsdlExpression> keys = new ArrayList<>();
        for (AlternateKey key : table.alternateKeys()) {
            List<CsdlExpression> refs = new ArrayList<>();
            for (ColumnDef c : key.columns()) {
                refs.add(new CsdlRecord().setType(PROPERTY_REF.getFullQualifiedNameAsString()).setPropertyValues(List.of(
                        new CsdlPropertyValue().setProperty("Alias")
                                .setValue(new CsdlConstantExpression(CsdlConstantExpression.ConstantExpressionType.String,
                                        c.propertyName())),
                        new CsdlPropertyValue().setProperty("Name").setValue(new CsdlPropertyPath().setValue(c.propertyName())))));
            }
            keys.add(new CsdlRecord().setType(ALTERNATE_KEY.getFullQualifiedNameAsString()).setPropertyValues(List.of(
                    new CsdlPropertyValue().setProperty("Key").setValue(new CsdlCollection().setItems(refs)))));
        }
        return Optional.of(new CsdlAnnotation().setTerm(ALTERNATE_KEYS.getFullQualifiedNameAsString())
                .setExpression(new CsdlCollection().setItems(keys)));
    }
}
