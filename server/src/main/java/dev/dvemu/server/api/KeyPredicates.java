package dev.dvemu.server.api;

import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the key predicate of a row URL, the part between the parentheses: {@code <guid>},
 * {@code accountid=<guid>}, or an alternate key {@code _new_stockid_value=<guid>,new_slotnumber=3},
 * {@code accountnumber='A-1'} (§9). Olingo's URI parser knows only the declared key, so alternate keys are read here.
 */
public final class KeyPredicates {
    private KeyPredicates() {
    }

    /** The row a predicate names. */
    public static RowAddress resolve(TableDef table, String predicate) {
        Map<String, String> parts = split(predicate, table);
        if (parts.size() == 1) {
            Map.Entry<String, String> only = parts.entrySet().iterator().next();
            if (only.getKey().isEmpty() || only.getKey().equals(table.primaryId().name())) {
                return RowAddress.byId(table, guid(only.getValue(), table));
            }
        }
        Set<ColumnDef> named = new HashSet<>();
        for (String name : parts.keySet()) {
            ColumnDef c = table.columnByProperty(name).orElseThrow(() -> invalidKey(table));
            named.add(c);
        }
        for (AlternateKey key : table.alternateKeys()) {
            if (new HashSet<>(key.columns()).equals(named)) {
                Map<ColumnDef, Object> values = new LinkedHashMap<>();
                for (ColumnDef c : key.columns()) {
                    values.put(c, literal(c, parts.get(c.propertyName()), table));
                }
                return RowAddress.byKey(table, key, values);
            }
        }
        throw invalidKey(table);
    }

    /** True when the predicate is an alternate key rather than the id (which Olingo parses itself). */
    static boolean isAlternateKey(TableDef table, String predicate) {
        Map<String, String> parts = split(predicate, table);
        if (parts.size() != 1) {
            return true;
        }
        String name = parts.keySet().iterator().next();
        return !name.isEmpty() && !name.equals(table.primaryId().name());
    }

    private static DataverseException invalidKey(TableDef table) {
        return DataverseError.INVALID_KEY.exception(table.qualifiedTypeName());
    }

    /** Splits {@code a=1,b='x,y'} into name and literal, respecting quotes; an unnamed single value has name "". */
    private static Map<String, String> split(String predicate, TableDef table) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = predicate.length();
        while (i < n) {
            int start = i;
            boolean quoted = false;
            while (i < n) {
                char ch = predicate.charAt(i);
                if (ch == '\'') {
                    quoted = !quoted;
                } else if (ch == ',' && !quoted) {
                    break;
                }
                i++;
            }
            if (quoted) {
                throw DataverseError.BAD_URI.exception("There is an unterminated literal in the key '" + predicate + "'.");
            }
            String part = predicate.substring(start, i).trim();
            int eq = firstUnquoted(part, '=');
            String name = eq < 0 ? "" : part.substring(0, eq).trim();
            String value = eq < 0 ? part : part.substring(eq + 1).trim();
            if (value.isEmpty() || out.put(name, value) != null) {
                throw invalidKey(table);
            }
            i++;
        }
        if (out.isEmpty()) {
            throw invalidKey(table);
        }
        return out;
    }

    private static int firstUnquoted(String s, char target) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (ch == target && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static UUID guid(String literal, TableDef table) {
        String s = unquote(literal);
        try {
            if (s.length() == 36) {
                return UUID.fromString(s);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw DataverseError.INVALID_KEY_VALUE.exception(literal, table.qualifiedTypeName());
    }

    /** Converts a URL literal to a column's Java type. */
    static Object literal(ColumnDef c, String literal, TableDef table) {
        try {
            return switch (c.type()) {
                case STRING, MEMO -> {
                    if (literal.length() < 2 || !literal.startsWith("'") || !literal.endsWith("'")) {
                        throw invalidKey(table);
                    }
                    yield unquote(literal);
                }
                case INTEGER, CHOICE -> Integer.parseInt(literal);
                case BIGINT -> Long.parseLong(literal.endsWith("L") ? literal.substring(0, literal.length() - 1) : literal);
                case DECIMAL, MONEY -> new BigDecimal(literal.replaceAll("[mMdD]$", ""));
                case BOOLEAN -> switch (literal) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw invalidKey(table);
                };
                case DATETIME -> OffsetDateTime.parse(unquote(literal)).withOffsetSameInstant(ZoneOffset.UTC);
                case UNIQUEIDENTIFIER, LOOKUP -> guid(literal, table);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalidKey(table);
        }
    }

    private static String unquote(String literal) {
        if (literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'")) {
            return literal.substring(1, literal.length() - 1).replace("''", "'");
        }
        return literal;
    }
}
