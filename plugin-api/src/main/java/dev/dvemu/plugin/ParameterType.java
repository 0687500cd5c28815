package dev.dvemu.plugin;

/**
 * The types of a custom API's request parameters and response properties, as Dataverse's Custom API tables name
 * them, with the Java value a plug-in reads or writes: {@code Boolean}, {@code OffsetDateTime}, {@code BigDecimal}
 * (Decimal, Money), {@link Entity}, {@code List<Entity>}, {@link EntityReference}, {@code Double}, {@code Integer}
 * (Integer, Picklist), {@code String}, {@code List<String>}, {@code UUID}.
 */
public enum ParameterType {
    BOOLEAN, DATE_TIME, DECIMAL, ENTITY, ENTITY_COLLECTION, ENTITY_REFERENCE, FLOAT, INTEGER, MONEY, PICKLIST, STRING,
    STRING_ARRAY, GUID
}
