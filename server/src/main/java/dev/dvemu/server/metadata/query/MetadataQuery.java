package dev.dvemu.server.metadata.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.dvemu.server.error.DataverseError;

import java.util.List;

/**
 * The {@code Query} parameter of {@code RetrieveMetadataChanges}: an {@code EntityQueryExpression} as JSON, read
 * with Jackson into these records (names as in Dataverse's CSDL and query-schema-definitions.md). Bad JSON, an
 * unknown field or an unknown enumeration member is a 400 naming it.
 */
record MetadataQuery(
        @JsonProperty("Criteria") Filter criteria,
        @JsonProperty("Properties") Properties properties,
        @JsonProperty("AttributeQuery") SubQuery attributeQuery,
        @JsonProperty("RelationshipQuery") SubQuery relationshipQuery,
        @JsonProperty("KeyQuery") SubQuery keyQuery,
        @JsonProperty("LabelQuery") LabelQuery labelQuery) {

    /** No query: every table with every property, as RetrieveAllEntities would answer. */
    static final MetadataQuery ALL = new MetadataQuery(null, null, null, null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** {@code MetadataFilterExpression}: conditions and nested filters joined by {@code FilterOperator}. */
    record Filter(@JsonProperty("Conditions") List<Condition> conditions,
                  @JsonProperty("FilterOperator") LogicalOperator filterOperator,
                  @JsonProperty("Filters") List<Filter> filters) {
        Filter {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            filters = filters == null ? List.of() : List.copyOf(filters);
            // Dataverse's LogicalOperator defaults to And (its first member)
            filterOperator = filterOperator == null ? LogicalOperator.And : filterOperator;
        }
    }

    /** {@code MetadataConditionExpression}; {@code Value} is the {@code Object} complex type ({@code Type}, {@code Value}). */
    record Condition(@JsonProperty("PropertyName") String propertyName,
                     @JsonProperty("ConditionOperator") ConditionOperator conditionOperator,
                     @JsonProperty("Value") ObjectValue value) {
    }

    /** The {@code Object} complex type: a .NET type name and the value as text (or, leniently, as JSON). */
    record ObjectValue(@JsonProperty("Type") String type, @JsonProperty("Value") JsonNode value) {
    }

    /** {@code MetadataPropertiesExpression}. */
    record Properties(@JsonProperty("AllProperties") Boolean allProperties,
                      @JsonProperty("PropertyNames") List<String> propertyNames) {
        Properties {
            propertyNames = propertyNames == null ? List.of() : List.copyOf(propertyNames);
        }

        boolean all() {
            return Boolean.TRUE.equals(allProperties);
        }
    }

    /** {@code AttributeQueryExpression}, {@code RelationshipQueryExpression}, {@code EntityKeyQueryExpression}. */
    record SubQuery(@JsonProperty("Criteria") Filter criteria, @JsonProperty("Properties") Properties properties) {
    }

    /** {@code LabelQueryExpression}. */
    record LabelQuery(@JsonProperty("FilterLanguages") List<Integer> filterLanguages,
                      @JsonProperty("MissingLabelBehavior") Integer missingLabelBehavior) {
        LabelQuery {
            filterLanguages = filterLanguages == null ? List.of() : List.copyOf(filterLanguages);
        }
    }

    /** Dataverse's {@code LogicalOperator} enumeration (member names as sent on the wire). */
    enum LogicalOperator { And, Or }

    /** Dataverse's {@code MetadataConditionOperator} enumeration (member names as sent on the wire). */
    enum ConditionOperator { Equals, NotEquals, In, NotIn, GreaterThan, LessThan }

    /** The query {@code json} names, or a 400 naming what is wrong with it. */
    static MetadataQuery parse(String json) {
        try {
            MetadataQuery q = JSON.readValue(json, MetadataQuery.class);
            if (q == null) {
                throw DataverseError.BAD_REQUEST.exception("The RetrieveMetadataChanges parameter 'Query' must be an EntityQueryExpression object, not null.");
            }
            return q;
        } catch (UnrecognizedPropertyException e) {
            throw DataverseError.BAD_REQUEST.exception("The property '" + e.getPropertyName() + "' is not part of "
                    + wireName(e.getReferringClass()) + " in the RetrieveMetadataChanges parameter 'Query'.");
        } catch (InvalidFormatException e) {
            String type = e.getTargetType() == null ? "value" : wireName(e.getTargetType());
            throw DataverseError.BAD_REQUEST.exception("'" + e.getValue() + "' is not a valid " + type
                    + " in the RetrieveMetadataChanges parameter 'Query'.");
        } catch (MismatchedInputException e) {
            throw DataverseError.BAD_REQUEST.exception("The value of '" + path(e) + "' in the RetrieveMetadataChanges "
                    + "parameter 'Query' has the wrong type.");
        } catch (JsonProcessingException e) {
            throw DataverseError.BAD_REQUEST.exception("The RetrieveMetadataChanges parameter 'Query' is not a valid "
                    + "EntityQueryExpression JSON value: " + e.getOriginalMessage());
        }
    }

    /** Where in the JSON a value is: {@code Criteria.Conditions[0].Value}. */
    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "Query" : sb.toString();
    }

    /** The Dataverse name of the type a record stands for. */
    private static String wireName(Class<?> c) {
        if (c == MetadataQuery.class) {
            return "EntityQueryExpression";
        } else if (c == Filter.class) {
            return "MetadataFilterExpression";
        } else if (c == Condition.class) {
            return "MetadataConditionExpression";
        } else if (c == ObjectValue.class) {
            return "Object";
        } else if (c == Properties.class) {
            return "MetadataPropertiesExpression";
        } else if (c == SubQuery.class) {
            return "AttributeQueryExpression (RelationshipQueryExpression, EntityKeyQueryExpression)";
        } else if (c == LabelQuery.class) {
            return "LabelQueryExpression";
        } else if (c == LogicalOperator.class) {
            return "LogicalOperator";
        } else if (c == ConditionOperator.class) {
            return "MetadataConditionOperator";
        }
        return c.getSimpleName();
    }
}
