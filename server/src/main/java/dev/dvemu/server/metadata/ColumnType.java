package dev.dvemu.server.metadata;

import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;

/**
 * The Dataverse column types dvemu supports, with the EDM type clients see and the PostgreSQL type that stores them.
 */
public enum ColumnType {
    STRING(EdmPrimitiveTypeKind.String, "varchar", "character varying"),
    MEMO(EdmPrimitiveTypeKind.String, "text", "text"),
    INTEGER(EdmPrimitiveTypeKind.Int32, "integer", "integer"),
    BIGINT(EdmPrimitiveTypeKind.Int64, "bigint", "bigint"),
    DECIMAL(EdmPrimitiveTypeKind.Decimal, "numeric", "numeric"),
    MONEY(EdmPrimitiveTypeKind.Decimal, "numeric", "numeric"),
    BOOLEAN(EdmPrimitiveTypeKind.Boolean, "boolean", "boolean"),
    DATETIME(EdmPrimitiveTypeKind.DateTimeOffset, "timestamptz", "timestamp with time zone"),
    UNIQUEIDENTIFIER(EdmPrimitiveTypeKind.Guid, "uuid", "uuid"),
    CHOICE(EdmPrimitiveTypeKind.Int32, "integer", "integer"),
    LOOKUP(EdmPrimitiveTypeKind.Guid, "uuid", "uuid");

    private final EdmPrimitiveTypeKind edmType;
    private final String sqlType;
    private final String informationSchemaType;

    ColumnType(EdmPrimitiveTypeKind edmType, String sqlType, String informationSchemaType) {
        this.edmType = edmType;
        this.sqlType = sqlType;
        this.informationSchemaType = informationSchemaType;
    }

    public EdmPrimitiveTypeKind edmType() {
        return edmType;
    }

    /** The base PostgreSQL type, without length or precision. */
    public String sqlType() {
        return sqlType;
    }

    /** How {@code information_schema.columns.data_type} names {@link #sqlType()}. */
    public String informationSchemaType() {
        return informationSchemaType;
    }

    /** Parses the name used in metadata files ("String", "Integer", ...), case-insensitively. */
    public static ColumnType fromMetadataName(String name) {
        for (ColumnType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new MetadataException("unknown column type '" + name + "'");
    }
}
