package dev.dvemu.server.schemaimport;

import dev.dvemu.server.schemaimport.ImportReport.Outcome;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps one primitive property of the CSDL (not a lookup's {@code _x_value}) to the nearest dvemu column type and
 * reports what it did. The plain {@code $metadata} says less than Dataverse knows: no choice options (a choice is an
 * {@code Edm.Int32}), no string lengths, no decimal scale (Dataverse writes {@code Scale="Variable"}), no currency.
 */
final class ColumnMapper {
    static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    static final Set<String> MANAGED = Set.of("versionnumber", "createdon", "modifiedon");
    /** The longest String dvemu has; longer ones are Memo. */
    static final int STRING_MAX = 4000;
    static final int MEMO_MAX = 1048576;
    /** Dataverse's largest precisions: Decimal 10, Money 4, Float 5. */
    static final int DECIMAL_PRECISION = 10;
    static final int MONEY_PRECISION = 4;
    static final int FLOAT_PRECISION = 5;

    private final ImportReport report;

    ColumnMapper(ImportReport report) {
        this.report = report;
    }

    /** The column for {@code p} of {@code table}; empty (and reported) when it is not imported. */
    Optional<ImportedTable.Column> map(OrgSchema.EntityType table, CsdlProperty p) {
        String t = table.name();
        String name = p.getName();
        String type = p.getType();
        if (name.equals(t + "id") || MANAGED.contains(name)) {
            report.column(Outcome.SKIPPED, t, name, type, "managed by dvemu itself, not declared");
            return Optional.empty();
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            report.column(Outcome.SKIPPED, t, name, type, "not a valid dvemu column name (lower case letters, digits, _; at most 50)");
            return Optional.empty();
        }
        if (SqlKeywords.isReserved(name)) {
            report.column(Outcome.SKIPPED, t, name, type, "a PostgreSQL reserved word, which dvemu cannot use as a column name");
            return Optional.empty();
        }
        if (p.isCollection()) {
            report.column(Outcome.SKIPPED, t, name, type, "a collection-valued property; dvemu columns hold one value");
            return Optional.empty();
        }
        return switch (type) {
            case "Edm.String" -> Optional.of(string(t, name, p.getMaxLength()));
            case "Edm.Int32" -> assumed(t, name, type, ImportedTable.Column.of(name, "Integer"),
                    "Integer; the CSDL does not tell a choice from a whole number (no options)");
            case "Edm.Int16", "Edm.Byte", "Edm.SByte" -> assumed(t, name, type, ImportedTable.Column.of(name, "Integer"),
                    "Integer, the nearest whole-number type");
            case "Edm.Int64" -> mapped(t, name, type, ImportedTable.Column.of(name, "BigInt"), "BigInt");
            case "Edm.Boolean" -> mapped(t, name, type, ImportedTable.Column.of(name, "Boolean"), "Boolean");
            case "Edm.DateTimeOffset" -> mapped(t, name, type, ImportedTable.Column.of(name, "DateTime"), "DateTime");
            case "Edm.Date" -> assumed(t, name, type, ImportedTable.Column.of(name, "DateTime"),
                    "DateTime; dvemu has no date-only type (values are stored as midnight UTC)");
            case "Edm.Guid" -> mapped(t, name, type, ImportedTable.Column.of(name, "Uniqueidentifier"), "Uniqueidentifier");
            case "Edm.Decimal" -> Optional.of(decimal(table, name, p));
            case "Edm.Double", "Edm.Single" -> assumed(t, name, type,
                    new ImportedTable.Column(name, "Decimal", null, FLOAT_PRECISION, null, null, null),
                    "Decimal(precision " + FLOAT_PRECISION + "); dvemu has no floating-point type");
            case "Edm.Binary" -> skipped(t, name, type, "images and files (Edm.Binary) are not supported");
            default -> skipped(t, name, type, type.startsWith("Edm.")
                    ? "no dvemu column type for " + type : "a complex or enum type; dvemu columns are primitive");
        };
    }

    private ImportedTable.Column string(String t, String name, Integer maxLength) {
        if (maxLength == null) {
            ImportedTable.Column c = new ImportedTable.Column(name, "String", STRING_MAX, null, null, null, null);
            report.column(Outcome.ASSUMED, t, name, "Edm.String -> String(" + STRING_MAX + ")",
                    "no MaxLength in the CSDL: dvemu's largest String assumed");
            return c;
        }
        if (maxLength > STRING_MAX) {
            int length = Math.min(maxLength, MEMO_MAX);
            report.column(length == maxLength ? Outcome.MAPPED : Outcome.ASSUMED, t, name, "Edm.String -> Memo(" + length + ")",
                    "MaxLength " + maxLength + " is more than a String holds");
            return new ImportedTable.Column(name, "Memo", length, null, null, null, null);
        }
        int length = Math.max(1, maxLength);
        report.column(Outcome.MAPPED, t, name, "Edm.String -> String(" + length + ")", "");
        return new ImportedTable.Column(name, "String", length, null, null, null, null);
    }

    /**
     * Money when a {@code <name>_base} sibling exists (Dataverse's currency columns come in pairs: the value and
     * its value in the base currency) or the column is itself such a {@code _base}; else Decimal. Olingo reads
     * {@code Scale="Variable"} as 0, so a scale of 0 is taken as unknown and the type's largest precision used.
     */
    private ImportedTable.Column decimal(OrgSchema.EntityType table, String name, CsdlProperty p) {
        boolean money = table.properties().containsKey(name + "_base")
                || name.endsWith("_base") && table.properties().containsKey(name.substring(0, name.length() - "_base".length()));
        Integer scale = p.getScale();
        boolean known = scale != null && scale > 0;
        int max = money ? MONEY_PRECISION : DECIMAL_PRECISION;
        int precision = known ? Math.min(scale, max) : max;
        String type = money ? "Money" : "Decimal";
        String why = (money ? "a currency column (it has a _base pair)" : "no currency pair: Decimal")
                + (known ? (scale > max ? "; scale " + scale + " is more than " + type + " holds" : "")
                : "; no scale in the CSDL: precision " + precision + " assumed");
        report.column(known && scale <= max && !money ? Outcome.MAPPED : Outcome.ASSUMED, table.name(), name,
                "Edm.Decimal -> " + type + "(precision " + precision + ")", why);
        return new ImportedTable.Column(name, type, null, precision, null, null, null);
    }

    private Optional<ImportedTable.Column> mapped(String t, String name, String edm, ImportedTable.Column c, String what) {
        report.column(Outcome.MAPPED, t, name, edm + " -> " + what, "");
        return Optional.of(c);
    }

    private Optional<ImportedTable.Column> assumed(String t, String name, String edm, ImportedTable.Column c, String why) {
        report.column(Outcome.ASSUMED, t, name, edm + " -> " + c.type(), why);
        return Optional.of(c);
    }

    private Optional<ImportedTable.Column> skipped(String t, String name, String edm, String why) {
        report.column(Outcome.SKIPPED, t, name, edm, why);
        return Optional.empty();
    }
}
