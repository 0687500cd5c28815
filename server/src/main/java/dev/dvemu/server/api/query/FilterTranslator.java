package dev.dvemu.server.api.query;

import dev.dvemu.server.api.Requests;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.SqlFragment;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.expression.Binary;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitException;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Unary;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;
import org.apache.olingo.server.api.ODataApplicationException;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Translates a parsed {@code $filter} into SQL with bind parameters (§8): {@code eq ne gt ge lt le}, {@code and or
 * not}, parentheses, {@code null}, {@code contains/startswith/endswith}, lookups through {@code _x_value}, column to
 * column comparisons and parameter aliases. What Dataverse does not support (arithmetic, {@code has}, {@code in},
 * other functions, lambdas) is a 400. String comparisons ignore case, as on Dataverse's SQL Server collation.
 */
public final class FilterTranslator implements ExpressionVisitor<FilterTranslator.Term> {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    sealed interface Term permits ColumnTerm, ValueTerm, Condition {
    }

    record ColumnTerm(ColumnDef column) implements Term {
    }

    /** A literal; {@code value} is null for the literal {@code null}. */
    record ValueTerm(Object value) implements Term {
    }

    record Condition(SqlFragment sql) implements Term {
    }

    private final TableDef table;
    private final UriInfo uriInfo;

    private FilterTranslator(TableDef table, UriInfo uriInfo) {
        this.table = table;
        this.uriInfo = uriInfo;
    }

    public static SqlFragment translate(TableDef table, UriInfo uriInfo, Expression filter) {
        FilterTranslator t = new FilterTranslator(table, uriInfo);
        try {
            return t.condition(t.visit(filter));
        } catch (ExpressionVisitException | ODataApplicationException e) {
            throw DataverseError.BAD_URI.exception("The $filter could not be read: " + e.getMessage());
        }
    }

    /**
     * Visits an expression; a chain of {@code and} (or of {@code or}) is joined in a loop rather than by Olingo's
     * recursive {@code accept}, and written flat ({@code (a) OR (b) OR (c)}), so a filter of thousands of
     * conditions costs neither the request thread's stack nor PostgreSQL's. Depth is bounded by
     * {@link ExpressionLimits} before parsing.
     */
    private Term visit(Expression e) throws ExpressionVisitException, ODataApplicationException {
        if (e instanceof Binary b && (b.getOperator() == BinaryOperatorKind.AND || b.getOperator() == BinaryOperatorKind.OR)) {
            BinaryOperatorKind op = b.getOperator();
            Deque<Expression> operands = new ArrayDeque<>();
            Expression left = e;
            while (left instanceof Binary chained && chained.getOperator() == op) {
                operands.push(chained.getRightOperand());
                left = chained.getLeftOperand();
            }
            operands.push(left);
            SqlFragment.Builder sql = new SqlFragment.Builder();
            String separator = "(";
            for (Expression operand : operands) {
                sql.append(separator).append(condition(visit(operand)));
                separator = ") " + op.name() + " (";
            }
            return new Condition(sql.append(")").build());
        }
        if (e instanceof Unary u && u.getOperator() == UnaryOperatorKind.NOT) {
            return new Condition(new SqlFragment.Builder().append("NOT (").append(condition(visit(u.getOperand()))).append(")").build());
        }
        return e.accept(this);
    }

    private SqlFragment condition(Term term) {
        if (term instanceof Condition c) {
            return c.sql();
        }
        if (term instanceof ColumnTerm c && c.column().type() == ColumnType.BOOLEAN) {
            return SqlFragment.of(c.column().name() + " IS TRUE");
        }
        if (term instanceof ValueTerm v && v.value() instanceof Boolean b) {
            return SqlFragment.of(b ? "TRUE" : "FALSE");
        }
        throw DataverseError.BAD_URI.exception("The $filter expression must be a condition (true or false).");
    }

    @Override
    public Term visitBinaryOperator(BinaryOperatorKind op, Term left, Term right) {
        switch (op) {
            case AND, OR -> {
                return new Condition(new SqlFragment.Builder().append("(").append(condition(left)).append(") ")
                        .append(op.name()).append(" (").append(condition(right)).append(")").build());
            }
            case EQ, NE, GT, GE, LT, LE -> {
                return compare(op, left, right);
            }
            default -> throw notSupported("The operator '" + op.toString().toLowerCase() + "' is not supported in $filter.");
        }
    }

    private Condition compare(BinaryOperatorKind op, Term left, Term right) {
        if (left instanceof ValueTerm && !(right instanceof ValueTerm)) {
            return compare(mirror(op), right, left);
        }
        if (!(left instanceof ColumnTerm col)) {
            throw notSupported("A comparison in $filter must name a column on its left or right side.");
        }
        if (right instanceof ValueTerm v && v.value() == null) {
            return switch (op) {
                case EQ -> new Condition(SqlFragment.of(col.column().name() + " IS NULL"));
                case NE -> new Condition(SqlFragment.of(col.column().name() + " IS NOT NULL"));
                default -> new Condition(SqlFragment.of("FALSE"));
            };
        }
        boolean caseless = isText(col.column());
        SqlFragment.Builder b = new SqlFragment.Builder();
        b.append(caseless ? "lower(" + col.column().name() + ")" : col.column().name()).append(sqlOperator(op));
        if (right instanceof ColumnTerm other) {
            b.append(caseless && isText(other.column()) ? "lower(" + other.column().name() + ")" : other.column().name());
        } else if (right instanceof ValueTerm v) {
            Object value = coerce(col.column(), v.value());
            if (caseless) {
                b.append("lower(").param(value, null).append(")");
            } else if (value instanceof BigDecimal && col.column().type() != ColumnType.DECIMAL
                    && col.column().type() != ColumnType.MONEY) {
                b.param(value, null);
            } else {
                b.param(value, col.column());
            }
        } else {
            throw notSupported("A comparison in $filter must compare a column with a value or another column.");
        }
        return new Condition(b.build());
    }

    private static boolean isText(ColumnDef c) {
        return c.type() == ColumnType.STRING || c.type() == ColumnType.MEMO;
    }

    /**
     * Brings a numeric literal to the column's type when it fits exactly; otherwise it stays a decimal and PostgreSQL
     * compares exactly ({@code integer < numeric}), so {@code 1.5} or {@code 4294967296} never match a truncated value.
     */
    private static Object coerce(ColumnDef column, Object value) {
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return switch (column.type()) {
                case INTEGER, CHOICE, BIGINT -> {
                    try {
                        long exact = d.longValueExact();
                        yield column.type() == ColumnType.BIGINT ? (Object) exact
                                : exact == (int) exact ? (Object) (int) exact : d;
                    } catch (ArithmeticException e) {
                        yield d;
                    }
                }
                case DECIMAL, MONEY -> d;
                default -> throw DataverseError.BAD_URI.exception("A number cannot be compared with the column '"
                        + column.propertyName() + "'.");
            };
        }
        if (column.type() == ColumnType.STRING || column.type() == ColumnType.MEMO) {
            if (!(value instanceof String)) {
                throw DataverseError.BAD_URI.exception("The column '" + column.propertyName() + "' can only be compared with a text value.");
            }
        }
        return value;
    }

    private static BinaryOperatorKind mirror(BinaryOperatorKind op) {
        return switch (op) {
            case GT -> BinaryOperatorKind.LT;
            case GE -> BinaryOperatorKind.LE;
            case LT -> BinaryOperatorKind.GT;
            case LE -> BinaryOperatorKind.GE;
            default -> op;
        };
    }

    private static String sqlOperator(BinaryOperatorKind op) {
        return switch (op) {
            case EQ -> " = ";
            case NE -> " <> ";
            case GT -> " > ";
            case GE -> " >= ";
            case LT -> " < ";
            case LE -> " <= ";
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    @Override
    public Term visitBinaryOperator(BinaryOperatorKind op, Term left, List<Term> right) {
        throw notSupported("The operator 'in' is not supported in $filter; use Microsoft.Dynamics.CRM.In or 'or'.");
    }

    @Override
    public Term visitUnaryOperator(UnaryOperatorKind op, Term operand) {
        if (op == UnaryOperatorKind.NOT) {
            return new Condition(new SqlFragment.Builder().append("NOT (").append(condition(operand)).append(")").build());
        }
        if (op == UnaryOperatorKind.MINUS && operand instanceof ValueTerm v && v.value() instanceof Number n) {
            return new ValueTerm(new BigDecimal(n.toString()).negate());
        }
        throw notSupported("The operator '" + op.toString().toLowerCase() + "' is not supported in $filter.");
    }

    @Override
    public Term visitMethodCall(MethodKind method, List<Term> params) {
        String prefix;
        String suffix;
        switch (method) {
            case CONTAINS -> {
                prefix = "%";
                suffix = "%";
            }
            case STARTSWITH -> {
                prefix = "";
                suffix = "%";
            }
            case ENDSWITH -> {
                prefix = "%";
                suffix = "";
            }
            default -> throw notSupported("The function '" + method.toString() + "' is not supported in $filter;"
                    + " Dataverse supports contains, startswith and endswith.");
        }
        if (params.size() != 2 || !(params.get(0) instanceof ColumnTerm col) || !isText(col.column())
                || !(params.get(1) instanceof ValueTerm v) || !(v.value() instanceof String s)) {
            throw notSupported("The function '" + method + "' takes a text column and a text value.");
        }
        // Dataverse honours LIKE wildcards inside the value (§8); ESCAPE '' keeps a backslash literal
        return new Condition(new SqlFragment.Builder().append(col.column().name()).append(" ILIKE ")
                .param(prefix + s + suffix, null).append(" ESCAPE ''").build());
    }

    @Override
    public Term visitLiteral(Literal literal) {
        return new ValueTerm(literalValue(literal.getText(), literal.getType()));
    }

    private static Object literalValue(String text, EdmType type) {
        if (type == null || "null".equals(text)) {
            return null;
        }
        String name = type.getName();
        try {
            return switch (name) {
                case "String" -> unquote(text);
                case "Boolean" -> Boolean.parseBoolean(text);
                case "SByte", "Byte", "Int16", "Int32" -> Integer.parseInt(text);
                case "Int64" -> Long.parseLong(text.endsWith("L") ? text.substring(0, text.length() - 1) : text);
                case "Decimal", "Double", "Single" -> new BigDecimal(text.replaceAll("[mMdDfF]$", ""));
                case "Guid" -> UUID.fromString(text);
                case "DateTimeOffset" -> OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
                case "Date" -> LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
                default -> throw notSupported("Literals of type Edm." + name + " are not supported in $filter.");
            };
        } catch (RuntimeException e) {
            if (e instanceof DataverseException d) {
                throw d;
            }
            throw DataverseError.BAD_URI.exception("The literal '" + text + "' is not a valid Edm." + name + ".");
        }
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        return text;
    }

    @Override
    public Term visitMember(Member member) {
        List<UriResource> parts = member.getResourcePath().getUriResourceParts();
        if (parts.size() == 1 && parts.get(0) instanceof UriResourcePrimitiveProperty p) {
            String name = p.getProperty().getName();
            return new ColumnTerm(table.columnByProperty(name).orElseThrow(() ->
                    DataverseError.PROPERTY_NOT_FOUND.exception(name, table.qualifiedTypeName())));
        }
        throw Requests.notYet("A path through a navigation property in $filter ('" + parts.stream()
                .map(UriResource::getSegmentValue).collect(java.util.stream.Collectors.joining("/")) + "')");
    }

    @Override
    public Term visitAlias(String aliasName) {
        String raw = uriInfo.getValueForAlias(aliasName);
        if (raw == null || raw.equals("null")) {
            return new ValueTerm(null);
        }
        if (raw.startsWith("'")) {
            return new ValueTerm(unquote(raw));
        }
        if (raw.equals("true") || raw.equals("false")) {
            return new ValueTerm(Boolean.parseBoolean(raw));
        }
        if (GUID.matcher(raw).matches()) {
            return new ValueTerm(UUID.fromString(raw));
        }
        try {
            BigDecimal n = new BigDecimal(raw);
            return new ValueTerm(n.scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                    ? (Object) n.intValueExact() : n);
        } catch (NumberFormatException | ArithmeticException e) {
            try {
                return new ValueTerm(OffsetDateTime.parse(raw).withOffsetSameInstant(ZoneOffset.UTC));
            } catch (RuntimeException e2) {
                throw DataverseError.BAD_URI.exception("The value of the parameter alias '" + aliasName + "' cannot be read.");
            }
        }
    }

    @Override
    public Term visitTypeLiteral(EdmType type) {
        throw notSupported("Type literals are not supported in $filter.");
    }

    @Override
    public Term visitLambdaExpression(String lambdaFunction, String lambdaVariable, Expression expression) {
        throw Requests.notYet("The lambda operator '" + lambdaFunction + "' in $filter");
    }

    @Override
    public Term visitLambdaReference(String variableName) {
        throw Requests.notYet("A lambda operator (any, all) in $filter");
    }

    @Override
    public Term visitEnum(EdmEnumType type, List<String> enumValues) {
        throw notSupported("Enumeration literals are not supported in $filter.");
    }

    private static DataverseException notSupported(String message) {
        return DataverseError.NOT_SUPPORTED.exception(message);
    }
}
