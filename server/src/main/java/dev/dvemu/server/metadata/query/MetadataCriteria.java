package dev.dvemu.server.metadata.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.error.DataverseError;
import org.apache.olingo.commons.api.data.ComplexValue;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.data.ValueType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A {@code MetadataFilterExpression} compiled into a test of definitions of one kind (tables, attributes,
 * relationships or keys). As query-schema-definitions.md describes: conditions on primitive and enumeration
 * properties, on {@code AttributeTypeName} and on the {@code Value} of {@code RequiredLevel}; never on labels or
 * collections; the {@code Value}'s {@code Type} must be the .NET type of the property ({@code System.String},
 * {@code System.Boolean}, {@code Microsoft.Xrm.Sdk.Metadata.OwnershipTypes}, ... and {@code System.String[]} for
 * {@code In}/{@code NotIn}). Everything is checked when compiling, so a bad query fails even when nothing matches.
 */
final class MetadataCriteria {
    /** Nested filters beyond this are refused: a client needs a handful, and the compiler recurses. */
    private static final int MAX_DEPTH = 32;
    private static final String XRM_METADATA = "Microsoft.Xrm.Sdk.Metadata.";
    private static final JsonMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    /** What kind of value a filterable property holds, and the .NET type name a condition on it names. */
    private record Kind(String dotNetType, FullQualifiedName enumType) {
    }

    private final DefinitionTypes types;
    private final FullQualifiedName root;
    private final String where;

    /** Tests of definitions of type {@code root} (or derived from it); {@code where} names the query in messages. */
    MetadataCriteria(DefinitionTypes types, FullQualifiedName root, String where) {
        this.types = types;
        this.root = root;
        this.where = where;
    }

    /** The test {@code filter} stands for (all pass when there is none). */
    Predicate<Entity> compile(MetadataQuery.Filter filter) {
        return filter == null ? e -> true : compile(filter, 1);
    }

    private Predicate<Entity> compile(MetadataQuery.Filter filter, int depth) {
        if (depth > MAX_DEPTH) {
            throw DataverseError.BAD_REQUEST.exception("The Criteria of the " + where + " nest Filters more than "
                    + MAX_DEPTH + " levels deep.");
        }
        List<Predicate<Entity>> parts = new ArrayList<>();
        for (MetadataQuery.Condition c : filter.conditions()) {
            if (c == null) {
                throw DataverseError.BAD_REQUEST.exception("A condition of the " + where + " is null.");
            }
            parts.add(condition(c));
        }
        for (MetadataQuery.Filter f : filter.filters()) {
            if (f == null) {
                throw DataverseError.BAD_REQUEST.exception("A nested filter of the " + where + " is null.");
            }
            parts.add(compile(f, depth + 1));
        }
        boolean and = filter.filterOperator() == MetadataQuery.LogicalOperator.And;
        return e -> {
            for (Predicate<Entity> p : parts) {
                if (p.test(e) != and) {
                    return !and;
                }
            }
            return and;
        };
    }

    private Predicate<Entity> condition(MetadataQuery.Condition c) {
        String name = c.propertyName();
        if (name == null || name.isBlank()) {
            throw DataverseError.BAD_REQUEST.exception("A condition of the " + where + " has no PropertyName.");
        }
        CsdlProperty declared = types.property(root, name).orElseThrow(() -> unknownProperty(name));
        Kind kind = kind(declared);
        // .NET's default member: a condition without an operator compares for equality
        MetadataQuery.ConditionOperator op = c.conditionOperator() == null ? MetadataQuery.ConditionOperator.Equals
                : c.conditionOperator();
        if (op == MetadataQuery.ConditionOperator.GreaterThan || op == MetadataQuery.ConditionOperator.LessThan) {
            throw Requests.notYet("The metadata condition operator " + op + " (on '" + name + "' in the " + where + ")");
        }
        boolean list = op == MetadataQuery.ConditionOperator.In || op == MetadataQuery.ConditionOperator.NotIn;
        MetadataQuery.ObjectValue value = c.value();
        if (value == null || value.type() == null || value.value() == null || value.value().isNull()) {
            throw DataverseError.BAD_REQUEST.exception("The condition on '" + name + "' in the " + where
                    + " needs a Value with a Type and a Value.");
        }
        String expectedType = kind.dotNetType() + (list ? "[]" : "");
        if (!value.type().equals(expectedType)) {
            throw DataverseError.BAD_REQUEST.exception("The condition " + op + " on '" + name + "' in the " + where
                    + " needs a Value of Type '" + expectedType + "', not '" + value.type() + "'.");
        }
        Set<String> wanted = new HashSet<>();
        for (String text : texts(value.value(), list, name)) {
            wanted.add(canonical(kind, text, name));
        }
        boolean negate = op == MetadataQuery.ConditionOperator.NotEquals || op == MetadataQuery.ConditionOperator.NotIn;
        return e -> {
            String actual = actual(e.getProperty(name), declared);
            return (actual != null && wanted.contains(actual)) != negate;
        };
    }

    /** The filterable kind of a property, or a 400: labels, collections and other complex values are not filterable. */
    private Kind kind(CsdlProperty p) {
        String name = p.getName();
        FullQualifiedName type = p.getTypeAsFQNObject();
        if (p.isCollection()) {
            throw notFilterable(name, "a collection");
        }
        if (type.equals(DefinitionsEdm.TYPE_DISPLAY_NAME)) {
            return new Kind(XRM_METADATA + "AttributeTypeDisplayName", null);
        }
        if (type.equals(DefinitionsEdm.REQUIRED_LEVEL_PROPERTY)) {
            return new Kind(XRM_METADATA + "AttributeRequiredLevel", DefinitionsEdm.REQUIRED_LEVEL);
        }
        if (types.isEnum(type)) {
            return new Kind(XRM_METADATA + type.getName(), type);
        }
        if (type.equals(EdmPrimitiveTypeKind.String.getFullQualifiedName())) {
            return new Kind("System.String", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName())) {
            return new Kind("System.Boolean", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Int32.getFullQualifiedName())) {
            return new Kind("System.Int32", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Int64.getFullQualifiedName())) {
            return new Kind("System.Int64", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Guid.getFullQualifiedName())) {
            return new Kind("System.Guid", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Double.getFullQualifiedName())) {
            return new Kind("System.Double", null);
        } else if (type.equals(EdmPrimitiveTypeKind.Decimal.getFullQualifiedName())) {
            return new Kind("System.Decimal", null);
        }
        throw notFilterable(name, type.getName().equals("Label") ? "a label" : "a complex value");
    }

    /** The condition's value texts: one, or for In/NotIn a list (a JSON array, or text holding one as the docs show). */
    private List<String> texts(JsonNode value, boolean list, String name) {
        if (!list) {
            if (value.isContainerNode()) {
                throw DataverseError.BAD_REQUEST.exception("The condition on '" + name + "' in the " + where
                        + " needs one value, not a list.");
            }
            return List.of(value.asText());
        }
        JsonNode array = value;
        if (value.isTextual()) {
            try {
                array = LENIENT.readTree(value.asText());
            } catch (JsonProcessingException e) {
                array = null;
            }
        }
        if (array == null || !array.isArray()) {
            throw DataverseError.BAD_REQUEST.exception("The condition In/NotIn on '" + name + "' in the " + where
                    + " needs a list of values, e.g. \"['a','b']\".");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isContainerNode() || item.isNull()) {
                throw DataverseError.BAD_REQUEST.exception("The list of the condition on '" + name + "' in the "
                        + where + " may hold only values.");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A condition's value text in the form {@link #actual} gives a property's value, or a 400. */
    private String canonical(Kind kind, String text, String name) {
        String type = kind.dotNetType();
        try {
            if (kind.enumType() != null) {
                return types.enumMember(kind.enumType(), text.trim()).orElseThrow(IllegalArgumentException::new);
            }
            switch (type) {
                case "System.Boolean" -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException();
                    }
                    return text.toLowerCase(Locale.ROOT);
                }
                case "System.Int32", "System.Int64", "System.Double", "System.Decimal" -> {
                    return number(new BigDecimal(text.trim()));
                }
                case "System.Guid" -> {
                    return UUID.fromString(text.trim()).toString();
                }
                default -> {
                    return text;
                }
            }
        } catch (IllegalArgumentException e) {
            throw DataverseError.BAD_REQUEST.exception("'" + text + "' is not a valid " + type + " value for the condition on '"
                    + name + "' in the " + where + ".");
        }
    }

    /** A definition's value of a property, as text comparable with {@link #canonical}; null when it has none. */
    private String actual(Property p, CsdlProperty declared) {
        if (p == null || p.getValue() == null) {
            return null;
        }
        Object v = p.getValue();
        if (p.getValueType() == ValueType.COMPLEX) {
            // AttributeTypeName and RequiredLevel: only their Value is compared
            Property inner = ((ComplexValue) v).getValue().stream().filter(x -> x.getName().equals("Value")).findFirst().orElse(null);
            if (inner == null || inner.getValue() == null) {
                return null;
            }
            return inner.getValueType() == ValueType.ENUM
                    ? types.enumMember(DefinitionsEdm.REQUIRED_LEVEL, (Integer) inner.getValue()).orElse(null)
                    : String.valueOf(inner.getValue());
        }
        if (p.getValueType() == ValueType.ENUM) {
            return types.enumMember(declared.getTypeAsFQNObject(), (Integer) v).orElse(null);
        }
        if (v instanceof Boolean b) {
            return b.toString();
        } else if (v instanceof BigDecimal d) {
            return number(d);
        } else if (v instanceof Number n) {
            return number(new BigDecimal(n.toString()));
        }
        return v.toString();
    }

    private static String number(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private RuntimeException unknownProperty(String name) {
        return DataverseError.BAD_REQUEST.exception("The condition on '" + name + "' in the " + where
                + " names no property of " + root.getName() + " that dvemu serves.");
    }

    private RuntimeException notFilterable(String name, String what) {
        // query-schema-definitions.md: "You cannot set conditions on any properties that are collections or labels."
        return DataverseError.BAD_REQUEST.exception("The property '" + name + "' in the " + where + " is " + what
                + "; conditions can only be set on simple, enumeration and managed properties.");
    }
}
