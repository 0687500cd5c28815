package dev.dvemu.server.api.json;

import dev.dvemu.server.api.edm.DataverseEdmProvider;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.execution.CustomApis;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A custom API's request parameters as its plug-in reads them ({@code BigDecimal}, {@code Integer},
 * {@link EntityReference}...), from an action's JSON body or a function's URL. A required parameter that is missing
 * is {@code 0x80040203}; an unknown one, or a value of the wrong type, is a 400 with Dataverse's OData message.
 */
public final class CustomApiParameters {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CustomApiParameters() {
    }

    /** An action's parameters: the body's properties (annotations aside), each a declared parameter of its type. */
    public static Map<String, Object> fromBody(CustomApis.Declared api, InputStream body, Catalog catalog) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw DataverseError.INVALID_VALUE_IN_PAYLOAD.exception("A resource was expected in the payload, but found '"
                    + root.getNodeType() + "'.");
        }
        Map<String, JsonNode> given = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().contains("@")) {
                continue; // instance annotations carry no parameter
            }
            if (api.requestParameter(field.getKey()).isEmpty()) {
                throw DataverseError.PARAMETER_UNKNOWN.exception(field.getKey(), api.name());
            }
            given.put(field.getKey(), field.getValue());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (CustomApi.Parameter p : api.api().requestParameters()) {
            JsonNode value = given.get(p.name());
            if (value == null || value.isNull()) {
                if (!p.optional()) {
                    throw DataverseError.PARAMETER_MISSING.exception(p.name());
                }
                continue;
            }
            out.put(p.name(), fromJson(p, value, catalog));
        }
        return out;
    }

    /** A function's parameters: {@code name -> literal text} as the URL gave them (aliases resolved); "null" is none. */
    public static Map<String, Object> fromUrl(CustomApis.Declared api, Map<String, String> literals) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : literals.keySet()) {
            if (api.requestParameter(name).isEmpty()) {
                throw DataverseError.PARAMETER_UNKNOWN.exception(name, api.name());
            }
        }
        for (CustomApi.Parameter p : api.api().requestParameters()) {
            String text = literals.get(p.name());
            if (text == null || text.equals("null")) {
                if (!p.optional()) {
                    throw DataverseError.PARAMETER_MISSING.exception(p.name());
                }
                continue;
            }
            out.put(p.name(), fromLiteral(p, text));
        }
        return out;
    }

    private static JsonNode parse(InputStream body) {
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(PayloadReader.MAX_BODY_BYTES + 1);
            if (bytes.length > PayloadReader.MAX_BODY_BYTES) {
                throw DataverseError.REQUEST_TOO_LARGE.exception();
            }
            if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                return JSON.createObjectNode(); // an action without parameters may be posted without a body
            }
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw DataverseError.INVALID_VALUE_IN_PAYLOAD.exception("The request body is not valid JSON: "
                    + e.getOriginalMessage() + ".");
        } catch (IOException e) {
            throw DataverseError.BAD_REQUEST.exception("The request body could not be read.");
        }
    }

    private static Object fromJson(CustomApi.Parameter p, JsonNode v, Catalog catalog) {
        switch (p.type()) {
            case BOOLEAN:
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                break;
            case DATE_TIME:
                if (v.isTextual()) {
                    return dateTime(p, v.textValue());
                }
                break;
            case DECIMAL, MONEY:
                if (v.isNumber()) {
                    return v.decimalValue();
                }
                break;
            case FLOAT:
                if (v.isNumber()) {
                    return v.doubleValue();
                }
                break;
            case INTEGER, PICKLIST:
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    return v.intValue();
                }
                break;
            case STRING:
                if (v.isTextual()) {
                    return v.textValue();
                }
                break;
            case GUID:
                if (v.isTextual()) {
                    return guid(p, v.textValue());
                }
                break;
            case STRING_ARRAY:
                if (v.isArray()) {
                    List<String> out = new ArrayList<>();
                    for (JsonNode e : v) {
                        if (!e.isTextual()) {
                            throw wrongType(p, v.toString());
                        }
                        out.add(e.textValue());
                    }
                    return List.copyOf(out);
                }
                break;
            case ENTITY_REFERENCE:
                if (v.isObject()) {
                    return reference(p, v, catalog);
                }
                break;
            default:
                break;
        }
        throw wrongType(p, v.isTextual() ? v.textValue() : v.toString());
    }

    /**
     * An EntityReference: {@code {"@odata.type":"Microsoft.Dynamics.CRM.<table>","<table>id":"<guid>"}} or
     * {@code {"@odata.id":"<set>(<guid>)"}}, of the declared table.
     */
    private static EntityReference reference(CustomApi.Parameter p, JsonNode v, Catalog catalog) {
        TableDef table = catalog.require(p.table().orElseThrow());
        JsonNode odataId = v.get("@odata.id");
        if (odataId != null && odataId.isTextual()) {
            String ref = odataId.textValue();
            String prefix = table.entitySetName() + "(";
            int at = ref.lastIndexOf('/') + 1;
            String tail = ref.substring(at);
            if (tail.startsWith(prefix) && tail.endsWith(")")) {
                return new EntityReference(table.logicalName(), guid(p, tail.substring(prefix.length(), tail.length() - 1)));
            }
            throw wrongType(p, ref);
        }
        JsonNode type = v.get("@odata.type");
        String expected = DataverseEdmProvider.NAMESPACE + "." + table.logicalName();
        if (type != null && type.isTextual() && !type.textValue().replaceFirst("^#", "").equals(expected)) {
            throw DataverseError.INVALID_VALUE_IN_PAYLOAD.exception("The parameter '" + p.name() + "' takes a reference to a "
                    + table.logicalName() + " row, not a " + type.textValue() + ".");
        }
        JsonNode id = v.get(table.primaryId().name());
        if (id == null || !id.isTextual()) {
            throw DataverseError.INVALID_VALUE_IN_PAYLOAD.exception("The parameter '" + p.name() + "' takes a reference to a "
                    + table.logicalName() + " row: {\"@odata.type\":\"" + expected + "\",\"" + table.primaryId().name()
                    + "\":\"<id>\"} or {\"@odata.id\":\"" + table.entitySetName() + "(<id>)\"}.");
        }
        return new EntityReference(table.logicalName(), guid(p, id.textValue()));
    }

    private static Object fromLiteral(CustomApi.Parameter p, String text) {
        try {
            switch (p.type()) {
                case BOOLEAN:
                    if (text.equals("true") || text.equals("false")) {
                        return Boolean.valueOf(text);
                    }
                    break;
                case DATE_TIME:
                    return dateTime(p, unquote(text));
                case DECIMAL, MONEY:
                    return new BigDecimal(text);
                case FLOAT:
                    return Double.valueOf(text);
                case INTEGER, PICKLIST:
                    return Integer.valueOf(text);
                case STRING:
                    if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
                        return unquote(text);
                    }
                    break;
                case GUID:
                    return guid(p, unquote(text));
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw wrongType(p, text);
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        return text;
    }

    private static OffsetDateTime dateTime(CustomApi.Parameter p, String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw wrongType(p, text);
        }
    }

    private static UUID guid(CustomApi.Parameter p, String text) {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw wrongType(p, text);
    }

    private static DataverseException wrongType(CustomApi.Parameter p, String literal) {
        return DataverseError.INVALID_VALUE_IN_PAYLOAD.exception("Cannot convert the literal '" + literal
                + "' to the expected type '" + edmName(p) + "' of the parameter '" + p.name() + "'.");
    }

    private static String edmName(CustomApi.Parameter p) {
        return switch (p.type()) {
            case BOOLEAN -> "Edm.Boolean";
            case DATE_TIME -> "Edm.DateTimeOffset";
            case DECIMAL, MONEY -> "Edm.Decimal";
            case FLOAT -> "Edm.Double";
            case INTEGER, PICKLIST -> "Edm.Int32";
            case STRING -> "Edm.String";
            case GUID -> "Edm.Guid";
            case STRING_ARRAY -> "Collection(Edm.String)";
            default -> DataverseEdmProvider.NAMESPACE + "." + p.table().orElse("");
        };
    }

}
