package dev.dvemu.server.metadata.query;

import dev.dvemu.server.api.Requests;
import org.apache.olingo.commons.api.data.ComplexValue;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceProperty;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitException;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code $filter} (parsed by Olingo) evaluated over one definition in memory: comparisons ({@code eq ne gt ge lt le})
 * of primitive and enum properties, also one level into a complex property ({@code RequiredLevel/Value}), joined by
 * {@code and}, {@code or}, {@code not}. What else OData allows is refused by name.
 */
final class DefinitionFilter implements ExpressionVisitor<Object> {
    private final Entity entity;

    private DefinitionFilter(Entity entity) {
        this.entity = entity;
    }

    /** Whether {@code entity} passes {@code filter} (always, without one). */
    static boolean accepts(FilterOption filter, Entity entity) {
        if (filter == null) {
            return true;
        }
        try {
            return Boolean.TRUE.equals(filter.getExpression().accept(new DefinitionFilter(entity)));
        } catch (ExpressionVisitException | org.apache.olingo.server.api.ODataApplicationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind op, Object left, Object right) {
        switch (op) {
            case AND:
                return Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right);
            case OR:
                return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
            case EQ:
                return same(left, right);
            case NE:
                return !same(left, right);
            case GT, GE, LT, LE:
                return compare(op, left, right);
            default:
                throw Requests.notYet("The operator '" + op + "' in a $filter on table definitions");
        }
    }

    private static boolean same(Object left, Object right) {
        if (left instanceof Number l && right instanceof Number r) {
            return new BigDecimal(l.toString()).compareTo(new BigDecimal(r.toString())) == 0;
        }
        return Objects.equals(left == null ? null : left.toString(), right == null ? null : right.toString())
                && (left == null) == (right == null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean compare(BinaryOperatorKind op, Object left, Object right) {
        if (left == null || right == null) {
            return false;
        }
        int c;
        if (left instanceof Number l && right instanceof Number r) {
            c = new BigDecimal(l.toString()).compareTo(new BigDecimal(r.toString()));
        } else if (left instanceof Comparable l && left.getClass() == right.getClass()) {
            c = l.compareTo(right);
        } else {
            c = left.toString().compareTo(right.toString());
        }
        return switch (op) {
            case GT -> c > 0;
            case GE -> c >= 0;
            case LT -> c < 0;
            default -> c <= 0;
        };
    }

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind op, Object left, List<Object> right) {
        throw Requests.notYet("The operator 'in' in a $filter on table definitions");
    }

    @Override
    public Object visitUnaryOperator(UnaryOperatorKind op, Object operand) {
        if (op == UnaryOperatorKind.NOT) {
            return !Boolean.TRUE.equals(operand);
        }
        throw Requests.notYet("The operator '" + op + "' in a $filter on table definitions");
    }

    @Override
    public Object visitMethodCall(MethodKind method, List<Object> parameters) {
        throw Requests.notYet("The function '" + method.toString().toLowerCase(java.util.Locale.ROOT) + "' in a $filter on table definitions");
    }

    @Override
    public Object visitLambdaExpression(String lambdaFunction, String lambdaVariable, Expression expression) {
        throw Requests.notYet("The lambda operator '" + lambdaFunction + "' in a $filter on table definitions");
    }

    @Override
    public Object visitLiteral(Literal literal) {
        String text = literal.getText();
        EdmType type = literal.getType();
        if (type == null || "null".equals(text)) {
            return null;
        }
        String name = type.getFullQualifiedName().getFullQualifiedNameAsString();
        if (name.equals(EdmPrimitiveTypeKind.String.getFullQualifiedName().getFullQualifiedNameAsString())) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (name.equals(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName().getFullQualifiedNameAsString())) {
            return Boolean.valueOf(text);
        }
        if (name.equals(EdmPrimitiveTypeKind.Guid.getFullQualifiedName().getFullQualifiedNameAsString())) {
            return UUID.fromString(text);
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw Requests.notYet("A literal of type " + name + " in a $filter on table definitions");
        }
    }

    @Override
    public Object visitMember(Member member) {
        List<UriResource> parts = member.getResourcePath().getUriResourceParts();
        List<Property> properties = entity.getProperties();
        Object value = null;
        for (int i = 0; i < parts.size(); i++) {
            if (!(parts.get(i) instanceof UriResourceProperty p)) {
                throw Requests.notYet("The path '" + parts.get(i).getSegmentValue() + "' in a $filter on table definitions");
            }
            if (p.isCollection()) {
                throw Requests.notYet("The collection '" + p.getSegmentValue() + "' in a $filter on table definitions");
            }
            Property found = find(properties, p.getSegmentValue());
            value = found == null ? null : found.getValue();
            if (value instanceof ComplexValue c) {
                properties = c.getValue();
            } else if (i < parts.size() - 1) {
                return null;
            }
        }
        if (value instanceof ComplexValue) {
            throw Requests.notYet("Comparing the complex property '" + parts.get(parts.size() - 1).getSegmentValue()
                    + "' in a $filter on table definitions");
        }
        return value;
    }

    private static Property find(List<Property> properties, String name) {
        for (Property p : properties) {
            if (p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public Object visitEnum(EdmEnumType type, List<String> enumValues) {
        if (enumValues.size() != 1) {
            throw Requests.notYet("A combination of flags in a $filter on table definitions");
        }
        return Integer.valueOf(type.getMember(enumValues.get(0)).getValue());
    }

    @Override
    public Object visitAlias(String aliasName) {
        throw Requests.notYet("A parameter alias in a $filter on table definitions");
    }

    @Override
    public Object visitTypeLiteral(EdmType type) {
        throw Requests.notYet("A type literal in a $filter on table definitions");
    }

    @Override
    public Object visitLambdaReference(String variableName) {
        throw Requests.notYet("A lambda variable in a $filter on table definitions");
    }
}
