package dev.dvemu.server.metadata.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dvemu.server.api.FunctionCalls;
import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.RequestNormalizer;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.Link;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * The function {@code RetrieveMetadataChanges(Query=@p1)?@p1=<EntityQueryExpression JSON>}
 * (query-schema-definitions.md), the subset code generators such as dataverse-gen call: {@code Criteria} with
 * {@code And}/{@code Or}, nested {@code Filters} and the conditions {@code Equals}, {@code NotEquals}, {@code In},
 * {@code NotIn} ({@link MetadataCriteria}); {@code Properties} ({@code AllProperties} or {@code PropertyNames});
 * {@code AttributeQuery}, {@code RelationshipQuery} and {@code KeyQuery} with their own criteria and properties;
 * a {@code LabelQuery} for English (1033), the only language of dvemu's labels. The definitions are the ones
 * EntityDefinitions serves ({@link Definitions}), written as the complex types this function returns
 * ({@link ComplexMetadataJson}). dvemu's tables do not change while it runs, so a {@code ClientVersionStamp} is
 * answered with everything and no deletions, and {@code ServerVersionStamp} is a digest of the definitions.
 */
final class RetrieveMetadataChanges {
    static final String NAME = "RetrieveMetadataChanges";
    private static final Set<String> PARAMETERS = Set.of("Query", "DeletedMetadataFilters", "ClientVersionStamp",
            "AppModuleId", "RetrieveAllSettings");
    private static final Set<String> DELETED_METADATA_FILTERS = Set.of("Default", "Attribute", "Relationship", "Label",
            "OptionSet", "All");
    private static final List<String> RELATIONSHIPS = List.of("ManyToOneRelationships", "OneToManyRelationships",
            "ManyToManyRelationships");
    private static final int ENGLISH = 1033;
    private static final JsonFactory JSON = new JsonFactory();

    private final Catalog catalog;
    private final DefinitionTypes types = new DefinitionTypes();
    private final ComplexMetadataJson writer = new ComplexMetadataJson(types);
    private final String serverVersionStamp;

    RetrieveMetadataChanges(Catalog catalog) {
        this.catalog = catalog;
        this.serverVersionStamp = digest(catalog);
    }

    ODataResponse answer(ODataRequest request) {
        if (request.getMethod() != HttpMethod.GET) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod().name());
        }
        String path = request.getRawODataPath();
        String segment = path.startsWith("/") ? path.substring(1) : path;
        // a literal argument may hold a '/' (Dataverse's stamps do: '74812162!10/09/2022 22:10:22'): look after the ')'
        String structural = FunctionCalls.structural(segment);
        int close = structural.lastIndexOf(')');
        boolean trailing = structural.indexOf('(') < 0 ? structural.indexOf('/') >= 0
                : close >= 0 && close < structural.length() - 1;
        if (trailing) {
            throw Requests.notYet("A path after the function " + NAME + " ('" + RequestNormalizer.decode(segment) + "')");
        }
        refuseQueryOptions(request.getRawQueryPath());
        MetadataQuery query = query(FunctionCalls.arguments(segment, NAME, request.getRawQueryPath(), true));
        byte[] body = write(request.getRawBaseUri(), run(query));
        ODataResponse response = new ODataResponse();
        response.setStatusCode(200);
        response.setHeader(Http.CONTENT_TYPE, Http.JSON);
        response.setContent(new ByteArrayInputStream(body));
        return response;
    }

    /** The query the arguments name; the other parameters are checked and, as dvemu's tables never change, unused. */
    private static MetadataQuery query(Map<String, String> arguments) {
        for (String name : arguments.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw DataverseError.BAD_URI.exception("Bad Request - the parameter '" + name + "' is not a parameter of the function "
                        + NAME + " (its parameters: Query, DeletedMetadataFilters, ClientVersionStamp, AppModuleId, RetrieveAllSettings).");
            }
        }
        for (String name : List.of("AppModuleId", "RetrieveAllSettings")) {
            if (isGiven(arguments.get(name))) {
                throw Requests.notYet("The parameter " + name + " of " + NAME + " (dvemu has no model-driven apps or settings)");
            }
        }
        String filters = arguments.get("DeletedMetadataFilters");
        if (isGiven(filters)) {
            String member = filters.replaceFirst("^(Microsoft\\.Dynamics\\.CRM\\.)?DeletedMetadataFilters", "");
            member = member.startsWith("'") && member.endsWith("'") && member.length() >= 2
                    ? member.substring(1, member.length() - 1) : member;
            for (String m : member.split(",")) {
                if (!DELETED_METADATA_FILTERS.contains(m.trim())) {
                    throw DataverseError.BAD_REQUEST.exception("'" + filters + "' is not a DeletedMetadataFilters value ("
                            + String.join(", ", DELETED_METADATA_FILTERS.stream().sorted().toList()) + ").");
                }
            }
        }
        String stamp = arguments.get("ClientVersionStamp");
        if (isGiven(stamp) && !(stamp.length() >= 2 && stamp.startsWith("'") && stamp.endsWith("'"))) {
            throw DataverseError.BAD_REQUEST.exception("The ClientVersionStamp of " + NAME + " must be a string literal ('...').");
        }
        String json = arguments.get("Query");
        return isGiven(json) ? MetadataQuery.parse(json) : MetadataQuery.ALL;
    }

    private static boolean isGiven(String value) {
        return value != null && !value.isEmpty() && !value.equals("null");
    }

    /** A function answers no system query option here; dvemu refuses them rather than ignore them. */
    private static void refuseQueryOptions(String rawQuery) {
        if (rawQuery == null) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = RequestNormalizer.decode(eq < 0 ? pair : pair.substring(0, eq)).trim();
            if (name.startsWith("$")) {
                throw Requests.notYet("The query option " + name + " on " + NAME);
            }
        }
    }

    /** The definitions the query asks for. */
    private List<Result> run(MetadataQuery q) {
        checkLabels(q.labelQuery());
        MetadataQuery.Properties entityProperties = q.properties();
        ComplexMetadataJson.Selection entity = selection(entityProperties, DefinitionsEdm.ENTITY_METADATA, "EntityQuery");
        Predicate<Entity> tables = new MetadataCriteria(types, DefinitionsEdm.ENTITY_METADATA, "EntityQuery").compile(q.criteria());
        Map<String, ComplexMetadataJson.Selection> nested = new HashMap<>();
        Map<String, Predicate<Entity>> nestedCriteria = new HashMap<>();
        sub(q.attributeQuery(), "AttributeQuery", DefinitionsEdm.ATTRIBUTE_METADATA, List.of("Attributes"), entity, nested, nestedCriteria);
        sub(q.relationshipQuery(), "RelationshipQuery", DefinitionsEdm.RELATIONSHIP_METADATA_BASE, RELATIONSHIPS, entity, nested, nestedCriteria);
        sub(q.keyQuery(), "KeyQuery", DefinitionsEdm.ENTITY_KEY_METADATA, List.of("Keys"), entity, nested, nestedCriteria);

        Set<String> navigations = new HashSet<>();
        for (String n : List.of("Attributes", "Keys", "ManyToOneRelationships", "OneToManyRelationships", "ManyToManyRelationships")) {
            if (entity.includes(n)) {
                navigations.add(n);
            }
        }
        // the criteria see only properties, so they are tested on definitions without attributes: cheap at 800 tables
        Definitions light = new Definitions(catalog, Set.of());
        Definitions full = new Definitions(catalog, navigations);
        List<Result> out = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            if (!tables.test(light.table(t))) {
                continue;
            }
            Entity e = full.table(t);
            for (Map.Entry<String, Predicate<Entity>> c : nestedCriteria.entrySet()) {
                Link link = e.getNavigationLink(c.getKey());
                if (link != null && link.getInlineEntitySet() != null) {
                    link.getInlineEntitySet().getEntities().removeIf(c.getValue().negate());
                }
            }
            out.add(new Result(e, entity, nested));
        }
        return out;
    }

    private record Result(Entity table, ComplexMetadataJson.Selection selection, Map<String, ComplexMetadataJson.Selection> nested) {
    }

    /**
     * A sub-query ({@code AttributeQuery}, ...) of the navigation properties {@code navigations}: one of them must be
     * among the table properties asked for (query-schema-definitions.md: "When using AttributeQuery, Attributes must be
     * one of the Properties requested").
     */
    private void sub(MetadataQuery.SubQuery query, String where, FullQualifiedName root, List<String> navigations,
                     ComplexMetadataJson.Selection entity, Map<String, ComplexMetadataJson.Selection> nested,
                     Map<String, Predicate<Entity>> criteria) {
        if (query == null) {
            return;
        }
        if (navigations.stream().noneMatch(entity::includes)) {
            throw DataverseError.BAD_REQUEST.exception("The " + where + " needs " + String.join(" or ", navigations)
                    + " among the Properties of the EntityQueryExpression.");
        }
        ComplexMetadataJson.Selection selection = selection(query.properties(), root, where);
        Predicate<Entity> test = new MetadataCriteria(types, root, where).compile(query.criteria());
        for (String n : navigations) {
            nested.put(n, selection);
            criteria.put(n, test);
        }
    }

    /** The properties asked for: all when there is no {@code Properties} or it says {@code AllProperties}. */
    private ComplexMetadataJson.Selection selection(MetadataQuery.Properties properties, FullQualifiedName root, String where) {
        if (properties == null || properties.all()) {
            return ComplexMetadataJson.Selection.ALL;
        }
        Set<String> known = types.names(root);
        for (String name : properties.propertyNames()) {
            if (name == null || !known.contains(name)) {
                throw DataverseError.BAD_REQUEST.exception("The Properties of the " + where + " name '" + name
                        + "', which is not a property of " + root.getName() + " that dvemu serves.");
            }
        }
        return new ComplexMetadataJson.Selection(false, Set.copyOf(properties.propertyNames()));
    }

    /** dvemu's labels are English: a LabelQuery that keeps English changes nothing, any other is not built. */
    private static void checkLabels(MetadataQuery.LabelQuery labels) {
        if (labels == null) {
            return;
        }
        if (!labels.filterLanguages().isEmpty() && !labels.filterLanguages().contains(ENGLISH)) {
            throw Requests.notYet("A LabelQuery for languages other than 1033 (dvemu's labels are English only)");
        }
        Integer missing = labels.missingLabelBehavior();
        if (missing != null && missing != 0 && missing != 1) {
            throw DataverseError.BAD_REQUEST.exception("The MissingLabelBehavior of the LabelQuery must be 0 or 1, not " + missing + ".");
        }
    }

    private byte[] write(String baseUri, List<Result> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", baseUri + "/$metadata#" + DefinitionsEdm.NAMESPACE + "." + NAME + "Response");
            g.writeStringField("ServerVersionStamp", serverVersionStamp);
            // nothing is ever deleted from a running dvemu's definitions
            g.writeObjectFieldStart("DeletedMetadata");
            g.writeNumberField("Count", 0);
            g.writeBooleanField("IsReadOnly", false);
            g.writeArrayFieldStart("Keys");
            g.writeEndArray();
            g.writeArrayFieldStart("Values");
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("EntityMetadata");
            for (Result r : results) {
                writer.write(g, r.table(), r.selection(), r.nested());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A digest of the definitions: the same for the same tables and columns, across restarts and servers. */
    private static String digest(Catalog catalog) {
        CRC32 crc = new CRC32();
        for (TableDef t : catalog.tables()) {
            crc.update((t.logicalName() + "|" + t.schemaName() + "|" + t.displayName() + "|").getBytes(StandardCharsets.UTF_8));
            for (ColumnDef c : t.columns()) {
                crc.update((c.name() + ":" + c.type() + ":" + c.naming() + ":" + c.maxLength() + ":" + c.required() + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return crc.getValue() + "!" + catalog.tables().size();
    }
}
