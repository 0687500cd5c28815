package dev.dvemu.server.schemaimport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.metadata.AutoNumberFormat;
import dev.dvemu.server.metadata.MetadataException;
import dev.dvemu.server.metadata.Ranges;
import dev.dvemu.server.metadata.StringFormat;
import dev.dvemu.server.schemaimport.ImportReport.Outcome;
import dev.dvemu.server.schemaimport.ImportedTable.Column;
import dev.dvemu.server.schemaimport.ImportedTable.Facets;
import dev.dvemu.server.schemaimport.ImportedTable.Labels;
import dev.dvemu.server.schemaimport.ImportedTable.Option;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.dvemu.server.schemaimport.EntityDefinitionsDump.label;
import static dev.dvemu.server.schemaimport.EntityDefinitionsDump.text;

/**
 * Maps one attribute of an EntityDefinitions dump (an {@code AttributeMetadata} with its derived type's properties)
 * to the nearest dvemu column and reports what it did. Lookups are {@link DumpImporter}'s: they need relationships.
 */
final class AttributeMapper {
    /** What a skipped type is, for the report. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "MultiSelectPicklist", "a multi-select choice; dvemu has no multi-select column type",
            "Image", "images are not supported",
            "File", "files are not supported",
            "Virtual", "a virtual attribute: Dataverse stores no value for it",
            "EntityName", "the target table name of a polymorphic lookup: Dataverse sets it with the lookup",
            "PartyList", "an activity party list; dvemu has no party lists",
            "CalendarRules", "calendar rules are not supported",
            "ManagedProperty", "a managed property of solutions, not row data");

    private final ImportReport report;

    AttributeMapper(ImportReport report) {
        this.report = report;
    }

    /**
     * The attribute's type without the {@code Type} suffix: {@code AttributeTypeName.Value} ({@code StringType}; it
     * tells a multi-select choice, an image or a file from other {@code Virtual} attributes), else {@code AttributeType},
     * else the {@code @odata.type} cast ({@code #Microsoft.Dynamics.CRM.StringAttributeMetadata}).
     */
    static String typeOf(JsonNode a) {
        Optional<String> typeName = text(a.path("AttributeTypeName"), "Value");
        if (typeName.isPresent()) {
            String v = typeName.get();
            return v.endsWith("Type") ? v.substring(0, v.length() - "Type".length()) : v;
        }
        Optional<String> type = text(a, "AttributeType");
        if (type.isPresent()) {
            return type.get();
        }
        String cast = text(a, "@odata.type").orElse("");
        int dot = cast.lastIndexOf('.');
        String simple = cast.substring(dot + 1);
        return simple.endsWith("AttributeMetadata") ? simple.substring(0, simple.length() - "AttributeMetadata".length()) : "";
    }

    /**
     * Why the attribute cannot be a column of any type; empty when it can (the type is checked later). An attribute
     * with {@code AttributeOf} is derived from another (a lookup's name or table); {@code IsLogical} is no reason:
     * such values are only stored in another database table by Dataverse, and read and written like any other.
     */
    Optional<String> whyNotAColumn(String table, JsonNode a) {
        String name = a.get("LogicalName").asText();
        if (name.equals(table + "id") || ColumnMapper.MANAGED.contains(name)) {
            return Optional.of("managed by dvemu itself, not declared");
        }
        Optional<String> of = text(a, "AttributeOf");
        if (of.isPresent()) {
            return Optional.of("derived from '" + of.get() + "' (AttributeOf): Dataverse fills it in, it is no column of its own");
        }
        if (!ColumnMapper.IDENTIFIER.matcher(name).matches()) {
            return Optional.of("not a valid dvemu column name (lower case letters, digits, _; at most 50)");
        }
        if (SqlKeywords.isReserved(name)) {
            return Optional.of("a PostgreSQL reserved word, which dvemu cannot use as a column name");
        }
        return Optional.empty();
    }

    /** The column for attribute {@code a} (not a lookup) of {@code table}; empty (and reported) when it is not imported. */
    Optional<Column> map(String table, JsonNode a) {
        String name = a.get("LogicalName").asText();
        String type = typeOf(a);
        Optional<String> whyNot = whyNotAColumn(table, a);
        if (whyNot.isEmpty() && UNSUPPORTED.containsKey(type)) {
            whyNot = Optional.of(UNSUPPORTED.get(type));
        }
        if (whyNot.isPresent()) {
            report.column(Outcome.SKIPPED, table, name, type.isEmpty() ? "attribute" : type, whyNot.get());
            return Optional.empty();
        }
        List<String> notes = new ArrayList<>();
        Column c = switch (type) {
            case "String" -> string(a, notes);
            case "Memo" -> memo(a, notes);
            case "Integer" -> new Column(name, "Integer", null, null, null, null, null)
                    .withFacets(range(a, Ranges.INT_MIN, Ranges.INT_MAX, notes));
            case "BigInt" -> new Column(name, "BigInt", null, null, null, null, null)
                    .withFacets(range(a, Ranges.LONG_MIN, Ranges.LONG_MAX, notes));
            case "Decimal" -> new Column(name, "Decimal", null, precision(a, 2, ColumnMapper.DECIMAL_PRECISION, notes),
                    null, null, null).withFacets(range(a, Ranges.DECIMAL_LIMIT.negate(), Ranges.DECIMAL_LIMIT, notes));
            case "Double" -> {
                notes.add("dvemu has no floating-point type: Decimal");
                yield new Column(name, "Decimal", null, precision(a, 2, ColumnMapper.FLOAT_PRECISION, notes), null, null, null)
                        .withFacets(range(a, Ranges.DECIMAL_LIMIT.negate(), Ranges.DECIMAL_LIMIT, notes));
            }
            case "Money" -> money(a, notes);
            case "Boolean" -> Column.of(name, "Boolean");
            case "DateTime" -> {
                if ("DateOnly".equals(text(a, "Format").orElse(""))
                        || "DateOnly".equals(text(a.path("DateTimeBehavior"), "Value").orElse(""))) {
                    notes.add("a date-only column: dvemu has no date-only type (values are stored as midnight UTC)");
                }
                yield Column.of(name, "DateTime");
            }
            case "Uniqueidentifier" -> Column.of(name, "Uniqueidentifier");
            case "Picklist", "State", "Status" -> choice(a, notes);
            default -> null;
        };
        if (c == null) {
            report.column(Outcome.SKIPPED, table, name, type.isEmpty() ? "attribute without a type" : type,
                    type.isEmpty() ? "neither AttributeTypeName, AttributeType nor @odata.type states its type"
                            : "no dvemu column type for " + type);
            return Optional.empty();
        }
        c = c.withFacets(withCommon(c.facets(), a, type, c.facets().autoNumberFormat() != null, notes));
        report.column(notes.isEmpty() ? Outcome.MAPPED : Outcome.ASSUMED, table, name, type + " -> " + describe(c),
                String.join("; ", notes));
        return Optional.of(c);
    }

    /** {@code c}'s type and facets as the report shows them. */
    static String describe(Column c) {
        StringBuilder s = new StringBuilder(c.type());
        if (c.maxLength() != null) {
            s.append('(').append(c.maxLength()).append(')');
        }
        if (c.precision() != null) {
            s.append("(precision ").append(c.precision()).append(')');
        }
        Facets f = c.facets();
        if (!f.options().isEmpty()) {
            s.append(" with ").append(f.options().size()).append(" options");
        }
        if (f.autoNumberFormat() != null) {
            s.append(" autonumber ").append(f.autoNumberFormat());
        }
        if (f.required()) {
            s.append(", required");
        }
        return s.toString();
    }

    /**
     * Adds the labels and whether a create must send the column: {@code RequiredLevel} SystemRequired, except where
     * the server sets the value (not valid for create, autonumbers, status and state, the owner). ApplicationRequired
     * ("business required") is a rule of the app's forms: Dataverse's API creates rows without such a column, so
     * dvemu must too.
     */
    Facets withCommon(Facets f, JsonNode a, String type, boolean serverSets, List<String> notes) {
        String level = text(a.path("RequiredLevel"), "Value").orElse("None");
        boolean requiredLevel = level.equals("SystemRequired");
        if (level.equals("ApplicationRequired")) {
            notes.add("ApplicationRequired (business required): forms enforce it, Dataverse's API does not: not required");
        }
        boolean setByServer = serverSets || !a.path("IsValidForCreate").asBoolean(true)
                || type.equals("State") || type.equals("Status") || type.equals("Owner");
        if (requiredLevel && setByServer) {
            notes.add(level + ", but the server sets its value on create: not required");
        }
        Labels labels = new Labels(text(a, "SchemaName").orElse(null), label(a, "DisplayName").orElse(null),
                label(a, "Description").orElse(null));
        return new Facets(f.minValue(), f.maxValue(), f.options(), f.autoNumberFormat(), requiredLevel && !setByServer,
                f.cascadeDelete(), labels, f.stringFormat());
    }

    private Column string(JsonNode a, List<String> notes) {
        String name = a.get("LogicalName").asText();
        JsonNode max = a.get("MaxLength");
        int length;
        if (max == null || !max.canConvertToInt()) {
            length = ColumnMapper.STRING_MAX;
            notes.add("no MaxLength in the dump: dvemu's largest String assumed");
        } else {
            length = Math.max(1, max.intValue());
        }
        if (length > ColumnMapper.STRING_MAX) {
            notes.add("MaxLength " + length + " is more than a String holds: Memo");
            return new Column(name, "Memo", Math.min(length, ColumnMapper.MEMO_MAX), null, null, null, null);
        }
        String format = null;
        Optional<String> auto = text(a, "AutoNumberFormat");
        if (auto.isPresent()) {
            try {
                AutoNumberFormat.parse(auto.get());
                format = auto.get();
            } catch (MetadataException e) {
                notes.add("autonumber format '" + auto.get() + "' dropped: " + e.getMessage());
            }
        }
        return new Column(name, "String", length, null, null, null, null)
                .withFacets(new Facets(null, null, List.of(), format, false, null, Labels.NONE, stringFormat(a, notes)));
    }

    /**
     * A String attribute's format, from {@code FormatName.Value} (or the older {@code Format}); null for Text, and for
     * a format dvemu's metadata has no name for (Json, RichText, ...: listed, Text assumed).
     */
    private static String stringFormat(JsonNode a, List<String> notes) {
        Optional<String> name = text(a.path("FormatName"), "Value").or(() -> text(a, "Format"));
        if (name.isEmpty() || name.get().equals(StringFormat.TEXT.metadataName())) {
            return null;
        }
        if (StringFormat.fromMetadataName(name.get()).isEmpty()) {
            notes.add("string format " + name.get() + " is not one dvemu's metadata names: Text assumed");
            return null;
        }
        return name.get();
    }

    private Column memo(JsonNode a, List<String> notes) {
        JsonNode max = a.get("MaxLength");
        int length = 2000;
        if (max == null || !max.canConvertToInt()) {
            notes.add("no MaxLength in the dump: 2000 assumed (dvemu's default)");
        } else if (max.intValue() > ColumnMapper.MEMO_MAX) {
            length = ColumnMapper.MEMO_MAX;
            notes.add("MaxLength " + max.intValue() + " is more than a Memo holds: " + length);
        } else {
            length = Math.max(1, max.intValue());
        }
        return new Column(a.get("LogicalName").asText(), "Memo", length, null, null, null, null);
    }

    private Column money(JsonNode a, List<String> notes) {
        int source = a.path("PrecisionSource").asInt(0);
        if (source != 0) {
            // 1: the organization's pricing decimal precision, 2: the currency's; dvemu has one fixed precision
            notes.add("PrecisionSource " + source + ": Dataverse takes the precision from the "
                    + (source == 1 ? "organization" : "currency") + "; dvemu fixes it at the stated Precision");
        }
        return new Column(a.get("LogicalName").asText(), "Money", null,
                precision(a, ColumnMapper.MONEY_PRECISION, ColumnMapper.MONEY_PRECISION, notes), null, null, null)
                .withFacets(range(a, Ranges.MONEY_LIMIT.negate(), Ranges.MONEY_LIMIT, notes));
    }

    private static int precision(JsonNode a, int dflt, int max, List<String> notes) {
        JsonNode p = a.get("Precision");
        if (p == null || !p.canConvertToInt()) {
            notes.add("no Precision in the dump: " + dflt + " assumed");
            return dflt;
        }
        if (p.intValue() < 0 || p.intValue() > max) {
            int clamped = Math.max(0, Math.min(max, p.intValue()));
            notes.add("Precision " + p.intValue() + " is outside what dvemu holds (0-" + max + "): " + clamped);
            return clamped;
        }
        return p.intValue();
    }

    /** {@code MinValue}/{@code MaxValue}, kept within the column type's range (each null when not stated). */
    private static Facets range(JsonNode a, BigDecimal lo, BigDecimal hi, List<String> notes) {
        BigDecimal min = bound(a, "MinValue", lo, hi, notes);
        BigDecimal max = bound(a, "MaxValue", lo, hi, notes);
        if (min != null && max != null && min.compareTo(max) > 0) {
            notes.add("MinValue is more than MaxValue: both dropped");
            min = null;
            max = null;
        }
        return new Facets(min, max, List.of(), null, false, null, Labels.NONE);
    }

    private static BigDecimal bound(JsonNode a, String field, BigDecimal lo, BigDecimal hi, List<String> notes) {
        JsonNode v = a.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        BigDecimal d = v.decimalValue().stripTrailingZeros();
        if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
            BigDecimal clamped = d.compareTo(lo) < 0 ? lo : hi;
            notes.add(field + " " + d.toPlainString() + " is outside the type's range: " + clamped.toPlainString());
            return clamped;
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /**
     * A Choice with the options of {@code OptionSet} (a local choice) or {@code GlobalOptionSet}; an expanded
     * {@code Attributes} has neither, so without the cast request's answer the column is an Integer (listed).
     */
    private Column choice(JsonNode a, List<String> notes) {
        String name = a.get("LogicalName").asText();
        JsonNode options = a.path("OptionSet").path("Options");
        if (!options.isArray() || options.isEmpty()) {
            options = a.path("GlobalOptionSet").path("Options");
        }
        List<Option> out = new ArrayList<>();
        Set<Integer> values = new HashSet<>();
        for (JsonNode o : options) {
            JsonNode v = o.get("Value");
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || !values.add(v.intValue())) {
                notes.add("an option without a whole-number Value, or a Value twice, dropped");
                continue;
            }
            Optional<String> label = label(o, "Label");
            if (label.isEmpty()) {
                notes.add("option " + v.intValue() + " has no label: its value is its label");
            }
            out.add(new Option(v.intValue(), label.orElse(String.valueOf(v.intValue()))));
        }
        if (out.isEmpty()) {
            notes.add("the dump has no options for it (save the answer of the " + typeOf(a)
                    + "AttributeMetadata request with $expand=OptionSet too): Integer");
            return Column.of(name, "Integer");
        }
        return Column.of(name, "Choice").withFacets(new Facets(null, null, out, null, false, null, Labels.NONE));
    }
}
