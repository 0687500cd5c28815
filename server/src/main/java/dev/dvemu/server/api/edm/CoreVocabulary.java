package dev.dvemu.server.api.edm;

import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlTerm;

import java.util.List;

/**
 * The terms of {@code Org.OData.Core.V1} the CSDL uses: {@code OptionalParameter}, which the real org's CSDL puts on
 * every optional parameter of a function (not of an action), so that generators make the argument optional. Declared
 * for Olingo, which writes an annotation only when it can resolve its term.
 */
final class CoreVocabulary {
    static final String NAMESPACE = "Org.OData.Core.V1";
    static final FullQualifiedName OPTIONAL_PARAMETER = new FullQualifiedName(NAMESPACE, "OptionalParameter");

    private CoreVocabulary() {
    }

    static CsdlTerm term(FullQualifiedName name) {
        if (!OPTIONAL_PARAMETER.equals(name)) {
            return null;
        }
        return new CsdlTerm().setName(name.getName()).setType(NAMESPACE + ".OptionalParameterType")
                .setAppliesTo(List.of("Parameter"));
    }

    static CsdlAnnotation optionalParameter() {
        return new CsdlAnnotation().setTerm(OPTIONAL_PARAMETER.getFullQualifiedNameAsString());
    }
}
