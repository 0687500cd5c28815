package dev.dvemu.server.metadata;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns a JSON value into the Java value of a column, checking it against the column's facets (type, length,
 * range, choice options). Java types: String, Integer, Long, BigDecimal, Boolean, OffsetDateTime, UUID.
 */
public final class ValueConverter {
    private ValueConverter() {
    }

    /** A value a column cannot take. {@link Kind} says whether it is of the wrong type or fails validation. */
    public static final class InvalidValueException extends Exception {
        public enum Kind {
            /** the JSON value is of a type the column cannot hold */
            WRONG_TYPE,
            /** the value has the right type but breaks a limit of the column */
            VALIDATION
        }

        private final Kind kind;

        InvalidValueException(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** Converts {@code node} (never JSON null) for {@code column}; {@code tableName} only appears in messages. */
    public static Object fromJson(ColumnDef column, JsonNode node) throws InvalidValueException {
        return fromJson(column, node, "");
    }

    /** A JSON escape can make one ({@code "\ud800"}); no UTF-8 text, and so no database text column, can hold it. */
    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    public static Object fromJson(ColumnDef column, JsonNode node, String tableName) throws InvalidValueException {
        return switch (column.type()) {
            case STRING, MEMO -> {
                if (!node.isTextual()) {
                    throw wrongType(node, column);
                }
                String s = node.asText();
                if (s.indexOf('\u0000') >= 0) {
                    throw new InvalidValueException(InvalidValueException.Kind.VALIDATION,
                            "A validation error occurred.  The value of the '" + column.name() + "' attribute of the '"
                                    + tableName + "' entity contains a NUL character, which cannot be stored.");
                }
                if (hasUnpairedSurrogate(s)) {
                    throw new InvalidValueException(InvalidValueException.Kind.VALIDATION,
                            "A validation error occurred.  The value of the '" + column.name() + "' attribute of the '"
                                    + tableName + "' entity contains an unpaired surrogate (such as \\ud800), which is not a character.");
                }
                if (s.length() > column.maxLength()) {
                    throw new InvalidValueException(InvalidValueException.Kind.VALIDATION,
                            "A validation error occurred.  The length of the '" + column.name() + "' attribute of the '"
                                    + tableName + "' entity exceeded the maximum allowed length of '" + column.maxLength() + "'.");
                }
                yield s;
            }
            case INTEGER -> {
                if (!node.isIntegralNumber()) {
                    throw wrongType(node, column);
                }
                BigDecimal v = node.decimalValue();
                checkRange(column, v, tableName);
                yield v.intValueExact();
            }
            case BIGINT -> {
                if (!node.isIntegralNumber()) {
                    throw wrongType(node, column);
                }
                BigDecimal v = node.decimalValue();
                checkRange(column, v, tableName);
                yield v.longValueExact();
            }
            case DECIMAL, MONEY -> {
                BigDecimal v;
                if (node.isNumber()) {
                    v = node.decimalValue();
                } else if (node.isTextual()) {
                    // IEEE754Compatible clients send decimals as strings
                    try {
                        v = new BigDecimal(node.asText());
                    } catch (NumberFormatException e) {
                        throw wrongType(node, column);
                    }
                } else {
                    throw wrongType(node, column);
                }
                checkRange(column, v, tableName);
                yield v.setScale(column.precision(), RoundingMode.HALF_UP);
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw wrongType(node, column);
                }
                yield node.booleanValue();
            }
            case CHOICE -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw wrongType(node, column);
                }
                int v = node.intValue();
                if (column.option(v).isEmpty()) {
                    throw new InvalidValueException(InvalidValueException.Kind.VALIDATION,
                            "A validation error occurred.  The value " + v + " of '" + column.name()
                                    + "' on record of type '" + tableName + "' is outside the valid range. Accepted Values: "
                                    + column.options().stream().map(o -> Integer.toString(o.value())).collect(Collectors.joining(",")));
                }
                yield v;
            }
            case DATETIME -> {
                if (!node.isTextual()) {
                    throw wrongType(node, column);
                }
                yield parseDateTime(node.asText(), column);
            }
            case UNIQUEIDENTIFIER, LOOKUP -> {
                if (!node.isTextual()) {
                    throw wrongType(node, column);
                }
                yield parseGuid(node.asText(), column);
            }
        };
    }

    public static UUID parseGuid(String text, ColumnDef column) throws InvalidValueException {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new InvalidValueException(InvalidValueException.Kind.WRONG_TYPE,
                "Cannot convert the literal '" + text + "' to the expected type 'Edm.Guid'.");
    }

    private static OffsetDateTime parseDateTime(String text, ColumnDef column) throws InvalidValueException {
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw wrongType(text, column);
            }
        }
    }

    private static void checkRange(ColumnDef column, BigDecimal v, String tableName) throws InvalidValueException {
        if (v.compareTo(column.minValue()) < 0 || v.compareTo(column.maxValue()) > 0) {
            throw new InvalidValueException(InvalidValueException.Kind.VALIDATION,
                    "A validation error occurred.  The value " + v.toPlainString() + " of '" + column.name()
                            + "' on record of type '" + tableName + "' is outside the valid range. Accepted Values: "
                            + column.minValue().toPlainString() + " to " + column.maxValue().toPlainString());
        }
    }

    private static InvalidValueException wrongType(JsonNode node, ColumnDef column) {
        return wrongType(node.isTextual() ? node.asText() : node.toString(), column);
    }

    private static InvalidValueException wrongType(String literal, ColumnDef column) {
        return new InvalidValueException(InvalidValueException.Kind.WRONG_TYPE,
                "Cannot convert the literal '" + literal + "' to the expected type 'Edm."
                        + column.type().edmType().name() + "'.");
    }
}
