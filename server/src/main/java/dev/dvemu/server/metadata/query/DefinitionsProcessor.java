package dev.dvemu.server.metadata.query;

import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.Catalog;
import org.apache.olingo.commons.api.data.ContextURL;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.EntityCollection;
import org.apache.olingo.commons.api.data.Link;
import org.apache.olingo.commons.api.edm.EdmEntityType;
import org.apache.olingo.commons.api.edm.EdmStructuredType;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.EntityCollectionProcessor;
import org.apache.olingo.server.api.processor.EntityProcessor;
import org.apache.olingo.server.api.serializer.EntityCollectionSerializerOptions;
import org.apache.olingo.server.api.serializer.EntitySerializerOptions;
import org.apache.olingo.server.api.serializer.ODataSerializer;
import org.apache.olingo.server.api.serializer.SerializerException;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourcePartTyped;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of {@code EntityDefinitions}, {@code RelationshipDefinitions} and {@code GlobalOptionSetDefinitions}: Olingo
 * parses the path, {@code $select}, {@code $filter} and {@code $expand}; the path is walked over the
 * {@link Definitions} graph, {@code $filter} is evaluated in memory ({@link DefinitionFilter}) and Olingo writes the
 * answer. Not paged: Dataverse returns every matching definition at once (query-metadata-web-api.md).
 */
final class DefinitionsProcessor implements EntityCollectionProcessor, EntityProcessor {
    private final Catalog catalog;
    private OData odata;
    private ServiceMetadata serviceMetadata;

    DefinitionsProcessor(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        this.odata = odata;
        this.serviceMetadata = serviceMetadata;
    }

    /** Where the walk along the path stands: a collection, or one definition. */
    private static final class Position {
        List<Entity> collection;
        Entity single;
        EdmEntityType type;
        /** The context URL's path up to here: {@code EntityDefinitions(<id>)/Attributes}. */
        StringBuilder path = new StringBuilder();
        /** The same, without the key of the last segment (the context URL of one entity names its set). */
        String pathWithoutLastKey = "";
    }

    @Override
    public void readEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format)
            throws SerializerException {
        refuseUnsupportedOptions(uriInfo);
        Position at = walk(uriInfo);
        if (at.collection == null) {
            throw Requests.notYet(uriInfo, uriInfo.getUriResourceParts().size() - 1);
        }
        EntityCollection result = new EntityCollection();
        for (Entity e : at.collection) {
            if (DefinitionFilter.accepts(uriInfo.getFilterOption(), e)) {
                result.getEntities().add(e);
            }
        }
        applyExpandFilters(result.getEntities(), uriInfo.getExpandOption());
        ContextURL context = context(request, at.path.toString(), uriInfo, false);
        ODataSerializer serializer = odata.createSerializer(format);
        write(response, serializer.entityCollection(serviceMetadata, at.type, result, EntityCollectionSerializerOptions.with()
                .contextURL(context).select(uriInfo.getSelectOption()).expand(uriInfo.getExpandOption())
                .build()).getContent());
    }

    @Override
    public void readEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format)
            throws SerializerException {
        refuseUnsupportedOptions(uriInfo);
        Position at = walk(uriInfo);
        if (at.single == null) {
            throw Requests.notYet(uriInfo, uriInfo.getUriResourceParts().size() - 1);
        }
        applyExpandFilters(List.of(at.single), uriInfo.getExpandOption());
        ContextURL context = context(request, at.pathWithoutLastKey, uriInfo, true);
        ODataSerializer serializer = odata.createSerializer(format);
        write(response, serializer.entity(serviceMetadata, at.type, at.single, EntitySerializerOptions.with()
                .contextURL(context).select(uriInfo.getSelectOption()).expand(uriInfo.getExpandOption()).build()).getContent());
    }

    private static void write(ODataResponse response, java.io.InputStream content) {
        response.setStatusCode(200);
        response.setHeader(Http.CONTENT_TYPE, Http.JSON);
        response.setContent(content);
    }

    private Position walk(UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        Position at = new Position();
        Definitions definitions = new Definitions(catalog, navigationsReached(uriInfo));
        for (int i = 0; i < parts.size(); i++) {
            UriResource part = parts.get(i);
            List<UriParameter> keys;
            String name;
            if (i == 0 && part instanceof UriResourceEntitySet es) {
                name = es.getEntitySet().getName();
                at.collection = switch (name) {
                    case DefinitionsEdm.ENTITY_DEFINITIONS -> definitions.tables();
                    case DefinitionsEdm.RELATIONSHIP_DEFINITIONS -> definitions.relationships();
                    default -> List.of(); // dvemu's choices are local option sets: there are no global ones
                };
                keys = es.getKeyPredicates();
                at.type = es.getEntityType();
            } else if (i > 0 && part instanceof UriResourceNavigation nav && at.single != null) {
                name = nav.getProperty().getName();
                Link link = at.single.getNavigationLink(name);
                if (nav.getProperty().isCollection()) {
                    at.collection = link == null ? List.of() : link.getInlineEntitySet().getEntities();
                    at.single = null;
                } else {
                    at.single = link == null ? null : link.getInlineEntity();
                    at.collection = null;
                    if (at.single == null) {
                        throw DataverseError.NO_HTTP_RESOURCE.exception(uriInfo.toString());
                    }
                }
                keys = nav.getKeyPredicates();
                at.type = nav.getProperty().getType();
            } else {
                throw Requests.notYet(uriInfo, i);
            }
            at.path.append(i == 0 ? "" : "/").append(name);
            if (!keys.isEmpty()) {
                String id = keys.get(0).getText();
                at.single = at.collection.stream().filter(e -> id.equalsIgnoreCase(metadataId(e))).findFirst()
                        .orElseThrow(() -> notFound(name, id));
                at.collection = null;
                at.pathWithoutLastKey = at.path.toString();
                at.path.append('(').append(id).append(')');
            } else {
                at.pathWithoutLastKey = at.path.toString();
            }
            EdmEntityType cast = part instanceof UriResourcePartTyped typed ? typeFilter(part) : null;
            if (cast != null) {
                at.type = cast;
                String segment = "/" + cast.getFullQualifiedName().getFullQualifiedNameAsString();
                at.path.append(segment);
                at.pathWithoutLastKey += segment;
                if (at.collection != null) {
                    at.collection = at.collection.stream().filter(e -> isOf(e, cast)).toList();
                } else if (at.single != null && !isOf(at.single, cast)) {
                    throw notFound(name, metadataId(at.single));
                }
            }
        }
        return at;
    }

    /** The navigation properties the path walks through and the $expand names. */
    private static java.util.Set<String> navigationsReached(UriInfo uriInfo) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (UriResource part : uriInfo.getUriResourceParts()) {
            if (part instanceof UriResourceNavigation nav) {
                names.add(nav.getProperty().getName());
            }
        }
        if (uriInfo.getExpandOption() != null) {
            for (ExpandItem item : uriInfo.getExpandOption().getExpandItems()) {
                if (item.getResourcePath() != null) {
                    for (UriResource part : item.getResourcePath().getUriResourceParts()) {
                        names.add(part.getSegmentValue());
                    }
                }
            }
        }
        return names;
    }

    private static EdmEntityType typeFilter(UriResource part) {
        org.apache.olingo.commons.api.edm.EdmType t = null;
        if (part instanceof UriResourceEntitySet es) {
            t = es.getTypeFilterOnEntry() != null ? es.getTypeFilterOnEntry() : es.getTypeFilterOnCollection();
        } else if (part instanceof UriResourceNavigation nav) {
            t = nav.getTypeFilterOnEntry() != null ? nav.getTypeFilterOnEntry() : nav.getTypeFilterOnCollection();
        }
        return (EdmEntityType) t;
    }

    private boolean isOf(Entity e, EdmEntityType type) {
        EdmEntityType actual = serviceMetadata.getEdm().getEntityType(new FullQualifiedName(e.getType()));
        return actual != null && actual.compatibleTo(type);
    }

    private static String metadataId(Entity e) {
        return String.valueOf(e.getProperty("MetadataId").getValue());
    }

    private static RuntimeException notFound(String set, String id) {
        return DataverseError.OBJECT_DOES_NOT_EXIST.exception(set, id);
    }

    /** A filter inside an expansion ({@code Attributes($filter=...)}) applied to the expanded definitions. */
    private static void applyExpandFilters(List<Entity> entities, ExpandOption expand) {
        if (expand == null) {
            return;
        }
        for (ExpandItem item : expand.getExpandItems()) {
            if (item.isStar() || item.getLevelsOption() != null || item.getTopOption() != null || item.getSkipOption() != null
                    || item.getOrderByOption() != null || item.getCountOption() != null || item.getSearchOption() != null
                    || item.getExpandOption() != null) {
                throw Requests.notYet("In $expand of table definitions, an option other than $select and $filter");
            }
            FilterOption filter = item.getFilterOption();
            if (filter == null) {
                continue;
            }
            List<UriResource> path = item.getResourcePath().getUriResourceParts();
            String name = ((UriResourceNavigation) path.get(path.size() - 1)).getProperty().getName();
            for (Entity e : entities) {
                Link link = e.getNavigationLink(name);
                if (link != null && link.getInlineEntitySet() != null) {
                    List<Entity> kept = new ArrayList<>();
                    for (Entity child : link.getInlineEntitySet().getEntities()) {
                        if (DefinitionFilter.accepts(filter, child)) {
                            kept.add(child);
                        }
                    }
                    link.getInlineEntitySet().getEntities().retainAll(kept);
                }
            }
        }
    }

    /**
     * Dataverse answers every matching definition at once and has no paging, counting or ordering here; dvemu refuses
     * those options by name rather than ignore them.
     */
    private static void refuseUnsupportedOptions(UriInfo uriInfo) {
        List<String> refused = new ArrayList<>();
        if (uriInfo.getTopOption() != null) {
            refused.add("$top");
        }
        if (uriInfo.getSkipOption() != null) {
            refused.add("$skip");
        }
        if (uriInfo.getOrderByOption() != null) {
            refused.add("$orderby");
        }
        if (uriInfo.getCountOption() != null) {
            refused.add("$count");
        }
        if (uriInfo.getSearchOption() != null) {
            refused.add("$search");
        }
        if (uriInfo.getSkipTokenOption() != null) {
            refused.add("$skiptoken");
        }
        if (!refused.isEmpty()) {
            throw Requests.notYet("The query option " + String.join(", ", refused) + " on table definitions");
        }
    }

    private static ContextURL context(ODataRequest request, String path, UriInfo uriInfo, boolean single) {
        String select = selectList(uriInfo.getSelectOption(), uriInfo.getExpandOption());
        // the set, then the key of the definition a navigation starts from, then the rest as it was written
        int end = 0;
        while (end < path.length() && path.charAt(end) != '(' && path.charAt(end) != '/') {
            end++;
        }
        ContextURL.Builder b = ContextURL.with().serviceRoot(URI.create(request.getRawBaseUri() + "/"))
                .entitySetOrSingletonOrType(path.substring(0, end)).selectList(select.isEmpty() ? null : select);
        String rest = path.substring(end);
        if (rest.startsWith("(")) {
            int close = rest.indexOf(')');
            b.keyPath(rest.substring(1, close));
            rest = rest.substring(close + 1);
        }
        if (rest.startsWith("/")) {
            b.navOrPropertyPath(rest.substring(1));
        }
        if (single) {
            b.suffix(ContextURL.Suffix.ENTITY);
        }
        return b.build();
    }

    /**
     * The select list of the context URL as Dataverse writes it: the selected properties in the order the request named
     * them (without the MetadataId it adds), then each expansion, with its own select list when it has one
     * ({@code EntityDefinitions(LogicalName,Attributes(LogicalName))}); none without {@code $select}.
     */
    private static String selectList(SelectOption select, ExpandOption expand) {
        if (select == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (SelectItem item : select.getSelectItems()) {
            names.add(item.isStar() ? "*" : item.getResourcePath().getUriResourceParts().stream()
                    .map(UriResource::getSegmentValue).collect(java.util.stream.Collectors.joining("/")));
        }
        if (expand != null) {
            for (ExpandItem item : expand.getExpandItems()) {
                List<UriResource> path = item.getResourcePath().getUriResourceParts();
                String inner = selectList(item.getSelectOption(), item.getExpandOption());
                names.add(path.get(path.size() - 1).getSegmentValue() + (inner.isEmpty() ? "" : "(" + inner + ")"));
            }
        }
        return String.join(",", names);
    }

    @Override
    public void createEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                             ContentType responseFormat) {
        throw DefinitionsRoute.writesRefused(request);
    }

    @Override
    public void updateEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                             ContentType responseFormat) {
        throw DefinitionsRoute.writesRefused(request);
    }

    @Override
    public void deleteEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        throw DefinitionsRoute.writesRefused(request);
    }
}
