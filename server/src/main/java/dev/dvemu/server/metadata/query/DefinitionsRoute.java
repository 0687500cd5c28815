package dev.dvemu.server.metadata.query;

import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.RequestNormalizer;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.ODataHandler;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ErrorProcessor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The way of a metadata query ({@code EntityDefinitions}, {@code RelationshipDefinitions},
 * {@code GlobalOptionSetDefinitions}) through the server: its keys by name ({@code (LogicalName='account')},
 * {@code (SchemaName='x')}, {@code (Name='x')}, the alternate keys Dataverse declares on these types) are turned into
 * the {@code MetadataId} they name before Olingo parses the URL, then {@link DefinitionsProcessor} answers; the
 * function {@code RetrieveMetadataChanges} is answered by {@link RetrieveMetadataChanges}. Writes are refused by name.
 */
public final class DefinitionsRoute {
    /** {@code Name(Property='value')}: one key segment by name. */
    private static final Pattern NAMED_KEY = Pattern.compile("([A-Za-z]+)\\(([A-Za-z]+)='((?:[^']|'')*)'\\)");
    private static final String RETRIEVE_METADATA_CHANGES = RetrieveMetadataChanges.NAME;

    private final Catalog catalog;
    private final RetrieveMetadataChanges retrieveMetadataChanges;

    public DefinitionsRoute(Catalog catalog) {
        this.catalog = catalog;
        this.retrieveMetadataChanges = new RetrieveMetadataChanges(catalog);
    }

    /** Whether {@code request} is a metadata query (by its first path segment). */
    public static boolean handles(ODataRequest request) {
        String first = firstSegmentName(request);
        return DefinitionsEdm.isDefinitionSet(first) || RETRIEVE_METADATA_CHANGES.equals(first)
                || "ManagedPropertyDefinitions".equals(first);
    }

    /** The answer, by a handler the caller made from the service's EDM, with {@code errors} for failures in Olingo. */
    public ODataResponse process(ODataRequest request, Supplier<ODataHandler> handlers, ErrorProcessor errors) {
        String first = firstSegmentName(request);
        if (RETRIEVE_METADATA_CHANGES.equals(first)) {
            return retrieveMetadataChanges.answer(request);
        }
        if (!DefinitionsEdm.isDefinitionSet(first)) {
            throw Requests.notYet("The entity set " + first + " (for internal use only in Dataverse)");
        }
        if (request.getMethod() != HttpMethod.GET) {
            throw writesRefused(request);
        }
        ODataHandler handler = handlers.get();
        handler.register(new DefinitionsProcessor(catalog));
        handler.register(errors);
        return handler.process(withKeysById(request));
    }

    static DataverseException writesRefused(ODataRequest request) {
        String path = RequestNormalizer.decode(request.getRawODataPath());
        return Requests.notYet("Creating, changing or deleting table definitions ('" + request.getMethod() + " "
                + (path.startsWith("/") ? path.substring(1) : path) + "')");
    }

    private static String firstSegmentName(ODataRequest request) {
        String path = request.getRawODataPath() == null ? "" : request.getRawODataPath();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int end = 0;
        while (end < trimmed.length() && trimmed.charAt(end) != '/' && trimmed.charAt(end) != '(' && trimmed.charAt(end) != '%') {
            end++;
        }
        return trimmed.substring(0, end);
    }

    /** The request with each key by name replaced by the MetadataId it names (404 when it names none). */
    private ODataRequest withKeysById(ODataRequest in) {
        String path = in.getRawODataPath();
        String[] segments = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
        StringBuilder out = new StringBuilder();
        Optional<TableDef> table = Optional.empty();
        for (String raw : segments) {
            String segment = RequestNormalizer.decode(raw);
            Matcher m = NAMED_KEY.matcher(segment);
            String written = raw;
            if (m.matches()) {
                String value = m.group(3).replace("''", "'");
                UUID id = resolve(m.group(1), m.group(2), value, table);
                written = m.group(1) + "(" + id + ")";
                if (m.group(1).equals(DefinitionsEdm.ENTITY_DEFINITIONS)) {
                    table = catalog.byLogicalName(value);
                }
            } else if (segment.startsWith(DefinitionsEdm.ENTITY_DEFINITIONS + "(") && segment.endsWith(")")) {
                String id = segment.substring(DefinitionsEdm.ENTITY_DEFINITIONS.length() + 1, segment.length() - 1);
                table = catalog.tables().stream().filter(t -> Definitions.tableId(t).toString().equalsIgnoreCase(id)).findFirst();
            }
            out.append('/').append(written);
        }
        ODataRequest r = new ODataRequest();
        r.setMethod(in.getMethod());
        r.setBody(in.getBody());
        r.setProtocol(in.getProtocol());
        r.setRawBaseUri(in.getRawBaseUri());
        r.setRawServiceResolutionUri(in.getRawServiceResolutionUri());
        r.setRawQueryPath(in.getRawQueryPath());
        r.setRawODataPath(out.toString());
        r.setRawRequestUri(in.getRawRequestUri());
        for (Map.Entry<String, List<String>> h : in.getAllHeaders().entrySet()) {
            r.addHeader(h.getKey(), h.getValue());
        }
        return r;
    }

    private UUID resolve(String segment, String property, String value, Optional<TableDef> table) {
        switch (segment + "." + property) {
            case "EntityDefinitions.LogicalName":
                return catalog.byLogicalName(value).map(Definitions::tableId)
                        .orElseThrow(() -> DataverseError.DEFINITION_NO_SUCH_ENTITY.exception(value));
            case "Attributes.LogicalName": {
                TableDef t = table.orElseThrow(() -> DataverseError.DEFINITION_NO_SUCH_ENTITY.exception(""));
                ColumnDef c = t.column(value).orElseThrow(() -> DataverseError.DEFINITION_NO_SUCH_ATTRIBUTE.exception(t.logicalName(), value));
                return Definitions.columnId(t, c);
            }
            case "Keys.LogicalName": {
                TableDef t = table.orElseThrow(() -> DataverseError.DEFINITION_NO_SUCH_ENTITY.exception(""));
                for (AlternateKey k : t.alternateKeys()) {
                    if (k.name().equalsIgnoreCase(value)) {
                        return MetadataIds.of("key", t.logicalName(), k.name());
                    }
                }
                throw DataverseError.DEFINITION_NOT_FOUND.exception("an entity key", "LogicalName", value);
            }
            case "RelationshipDefinitions.SchemaName":
            case "ManyToOneRelationships.SchemaName":
            case "OneToManyRelationships.SchemaName":
            case "ManyToManyRelationships.SchemaName":
                if (relationshipExists(value)) {
                    return Definitions.relationshipId(value);
                }
                throw DataverseError.DEFINITION_NOT_FOUND.exception("a relationship", "SchemaName", value);
            case "GlobalOptionSetDefinitions.Name":
                // every choice of dvemu is local to its column: no global option set has a name
                throw DataverseError.DEFINITION_NOT_FOUND.exception("an option set", "Name", value);
            default:
                throw DataverseError.BAD_URI.exception("Bad Request - the key property '" + property + "' of the segment '"
                        + segment + "' is not a key of it.");
        }
    }

    private boolean relationshipExists(String schemaName) {
        for (TableDef t : catalog.tables()) {
            for (OneToMany r : catalog.oneToMany(t)) {
                if (r.schemaName().equals(schemaName)) {
                    return true;
                }
            }
        }
        for (ManyToMany r : catalog.manyToMany()) {
            if (r.schemaName().equals(schemaName)) {
                return true;
            }
        }
        return false;
    }
}
