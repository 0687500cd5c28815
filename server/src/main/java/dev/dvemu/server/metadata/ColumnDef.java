package dev.dvemu.server.metadata;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * One column of a table, as declared in metadata (or added by the server: the id, {@code versionnumber},
 * {@code createdon}, {@code modifiedon}). The column's name is both its logical name and its PostgreSQL column name.
 *
 * @param maxLength   for String and Memo: the longest value accepted
 * @param minValue    for numbers: the smallest value accepted (inclusive)
 * @param maxValue    for numbers: the largest value accepted (inclusive)
 * @param precision   for Decimal and Money: digits after the decimal point (Dataverse's meaning of "precision")
 * @param defaultValue value stored when a create does not send the column (already of the column's Java type)
 * @param cascadeDelete for lookups: what deleting the target row does to this row (null for other columns; read it
 *                      through {@link #deleteBehaviour()})
 * @param naming      the names and labels people and code generators see (served by the metadata queries only)
 * @param format      for String columns: how the text is meant to be shown (Text unless declared; null for other
 *                    columns; metadata only)
 */
public record ColumnDef(
        String name,
        ColumnType type,
        Origin origin,
        Integer maxLength,
        BigDecimal minValue,
        BigDecimal maxValue,
        Integer precision,
        List<ChoiceOption> options,
        Object defaultValue,
        String lookupTarget,
        String navigationProperty,
        AutoNumberFormat autoNumber,
        boolean required,
        CascadeDelete cascadeDelete,
        Naming naming,
        StringFormat format) {

    /**
     * How a column is named for people and generated code: its {@code SchemaName} (the logical name in Pascal case,
     * e.g. {@code new_Quantity}) and its {@code DisplayName} and {@code Description} labels, empty when not declared
     * (Dataverse then answers a Label without localized labels).
     */
    public record Naming(String schemaName, Optional<String> displayName, Optional<String> description) {
        public Naming {
            java.util.Objects.requireNonNull(schemaName, "schemaName");
            java.util.Objects.requireNonNull(displayName, "displayName");
            java.util.Objects.requireNonNull(description, "description");
        }

        /** A column named only by its logical name, without labels. */
        public static Naming of(String logicalName) {
            return new Naming(logicalName, Optional.empty(), Optional.empty());
        }
    }

    /** Who sets a column's value. */
    public enum Origin {
        /** the row's id: settable on create only */
        PRIMARY_ID,
        /** declared in metadata: settable by clients */
        USER,
        /** set by the server on every write; read-only */
        SYSTEM
    }

    public ColumnDef {
        options = options == null ? List.of() : List.copyOf(options);
        naming = naming == null ? Naming.of(name) : naming;
        format = type == ColumnType.STRING && format == null ? StringFormat.TEXT : format;
    }

    /** A column without declared names or labels: its schema name is its logical name. */
    public ColumnDef(String name, ColumnType type, Origin origin, Integer maxLength, BigDecimal minValue, BigDecimal maxValue,
                     Integer precision, List<ChoiceOption> options, Object defaultValue, String lookupTarget,
                     String navigationProperty, AutoNumberFormat autoNumber, boolean required, CascadeDelete cascadeDelete) {
        this(name, type, origin, maxLength, minValue, maxValue, precision, options, defaultValue, lookupTarget,
                navigationProperty, autoNumber, required, cascadeDelete, Naming.of(name), null);
    }

    /**
     * The name of the column in JSON and URLs: lookups appear as {@code _<name>_value}, everything else by name.
     */
    public String propertyName() {
        return type == ColumnType.LOOKUP ? "_" + name + "_value" : name;
    }

    public boolean isLookup() {
        return type == ColumnType.LOOKUP;
    }

    public boolean isReadOnly() {
        return origin == Origin.SYSTEM;
    }

    /** For a lookup, what deleting its target row does to this row; empty for other columns. */
    public Optional<CascadeDelete> deleteBehaviour() {
        return Optional.ofNullable(cascadeDelete);
    }

    public Optional<AutoNumberFormat> autoNumberFormat() {
        return Optional.ofNullable(autoNumber);
    }

    /** The sequence behind an autonumber column. */
    public String sequenceName(TableDef table) {
        return table.logicalName() + "_" + name + "_seq";
    }

    /** The PostgreSQL type with length or precision, as used in DDL. */
    public String sqlTypeDeclaration() {
        return switch (type) {
            case STRING -> "varchar(" + maxLength + ")";
            case DECIMAL, MONEY -> "numeric(38," + precision + ")";
            default -> type.sqlType();
        };
    }

    public Optional<ChoiceOption> option(int value) {
        for (ChoiceOption o : options) {
            if (o.value() == value) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
