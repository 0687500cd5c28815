package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.Annotations;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.api.query.Expansions;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.DeepInsert;
import dev.dvemu.server.execution.NewRow;
import dev.dvemu.server.execution.Payload;
import dev.dvemu.server.execution.RequestOptions;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.execution.WriteOperation;
import dev.dvemu.server.execution.WriteResult;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.store.RowVersion;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.EntityProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One row: GET, POST (create), PATCH (update or upsert), DELETE, with Dataverse's conditional-request table
 * (§2, §3, §4, §9). Preconditions are decided here and in SQL, never by Olingo's precondition validator, which
 * would demand If-Match where Dataverse makes it optional.
 */
public final class RowProcessor implements EntityProcessor {
    private final Api api;
    private final UnitOfWork unit;

    /** A processor for the requests of one unit of work (a request, or a changeset's operations). */
    public RowProcessor(Api api, UnitOfWork unit) {
        this.api = api;
        this.unit = unit;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests; everything it needs comes from Api
    }

    @Override
    public void readEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        TableDef table = Requests.table(api, es);
        RowAddress address = Requests.address(request, es, table);
        List<UriResource> parts = uriInfo.getUriResourceParts();
        if (parts.size() == 2 && parts.get(1) instanceof UriResourceNavigation nav) {
            Row row = find(address);
            ColumnDef lookup = table.lookupByNavigation(nav.getProperty().getName()).orElseThrow();
            TableDef target = api.catalog().require(lookup.lookupTarget());
            UUID targetId = (UUID) row.get(lookup);
            if (targetId == null) {
                response.setStatusCode(204);
                return;
            }
            Expansions expansions = Expansions.parse(api.catalog(), target, uriInfo, request.getRawQueryPath());
            answer(request, response, find(RowAddress.byId(target, targetId)),
                    () -> expansions.select(target, Requests.selected(target, uriInfo.getSelectOption())), expansions);
            return;
        } else if (parts.size() != 1) {
            throw Requests.notYet(uriInfo, parts.size() == 2 ? 1 : 2);
        }
        Expansions expansions = Expansions.parse(api.catalog(), table, uriInfo, request.getRawQueryPath());
        answer(request, response, find(address), () -> expansions.select(table, Requests.selected(table, uriInfo.getSelectOption())),
                expansions);
    }

    /** GET of one row: 200 with the row and its ETag, or 304 when If-None-Match names its version. */
    public void read(ODataRequest request, ODataResponse response, RowAddress address, Supplier<List<ColumnDef>> columns) {
        answer(request, response, find(address), columns, Expansions.NONE);
    }

    private Row find(RowAddress address) {
        return api.executor().find(unit, address, false).orElseThrow(() -> RowStore.notFound(address));
    }

    private void answer(ODataRequest request, ODataResponse response, Row row, Supplier<List<ColumnDef>> columns,
                        Expansions expansions) {
        // never 304 with $expand: the related rows have versions of their own (§2)
        if (expansions.isEmpty() && notModified(request, row)) {
            response.setStatusCode(304);
            response.setHeader(Http.CONTENT_TYPE, Http.JSON);
            response.setHeader(Http.ETAG, row.etag());
            return;
        }
        List<ColumnDef> chosen = columns.get();
        RowJson.Expansions expanded = Expander.read(api, unit, request, expansions, List.of(row),
                Expander.Paging.of(expansions, Requests.preferences(api, request).getMaxPageSize()));
        Annotations annotations = Requests.annotations(api, request, response);
        Requests.json(response, 200, RowJson.entity(Requests.contextUrl(request, row.table(), chosen, true, expansions), row,
                chosen, annotations, expanded));
        response.setHeader(Http.ETAG, row.etag());
    }

    /** GET with a current If-None-Match is 304, except when annotations are asked for (§2). */
    private boolean notModified(ODataRequest request, Row row) {
        String ifNoneMatch = request.getHeader(Http.IF_NONE_MATCH);
        if (ifNoneMatch == null || ifNoneMatch.isBlank() || ifNoneMatch.trim().equals("null")) {
            return false;
        }
        if (Requests.preferences(api, request).getPreference("odata.include-annotations") != null) {
            return false;
        }
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        for (String part : ifNoneMatch.split(",")) {
            OptionalLong v = RowVersion.parse(part);
            if (v.isPresent() && v.getAsLong() == row.version()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void createEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                             ContentType responseFormat) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (uriInfo.getUriResourceParts().size() != 1) {
            throw Requests.notYet(uriInfo, 1);
        }
        TableDef table = Requests.table(api, es);
        Expansions expansions = Expansions.parse(api.catalog(), table, uriInfo, request.getRawQueryPath());
        create(request, response, table, () -> expansions.select(table, Requests.selected(table, uriInfo.getSelectOption())),
                expansions);
    }

    /** POST of a new row: 204 with OData-EntityId, or 201 with the row when the representation is asked for. */
    public void create(ODataRequest request, ODataResponse response, TableDef table, Supplier<List<ColumnDef>> columns) {
        create(request, response, table, columns, Expansions.NONE);
    }

    /** As {@link #create(ODataRequest, ODataResponse, TableDef, Supplier)}; the representation with its expansions. */
    private void create(ODataRequest request, ODataResponse response, TableDef table, Supplier<List<ColumnDef>> columns,
                        Expansions expansions) {
        Row row = insert(table, request.getBody(), Requests.options(api, request));
        if (Requests.returnRepresentation(api, request)) {
            represent(request, response, 201, row, columns.get(), expansions);
        } else {
            Requests.noContent(response);
            response.setHeader(Http.ODATA_ENTITY_ID, Requests.rowUrl(request, row));
        }
    }

    /**
     * The create of a POST body: read and checked against metadata, then written in the unit of work. A body with
     * rows nested under navigation properties is a deep insert, in one transaction; a plain one is one Create, as
     * it always was (no transaction of its own unless its steps need one).
     */
    public Row insert(TableDef table, java.io.InputStream body, RequestOptions options) {
        NewRow row = api.payloads().readNew(body, table, unit);
        if (row.isDeep()) {
            return DeepInsert.create(api.executor(), unit, options, row);
        }
        return api.executor().execute(unit, options, new WriteOperation.Create(table, row.payload())).requireRow();
    }

    private void represent(ODataRequest request, ODataResponse response, int status, Row row, List<ColumnDef> columns,
                           Expansions expansions) {
        RowJson.Expansions expanded = Expander.read(api, unit, request, expansions, List.of(row),
                Expander.Paging.of(expansions, Requests.preferences(api, request).getMaxPageSize()));
        Annotations annotations = Requests.annotations(api, request, response);
        Requests.json(response, status, RowJson.entity(Requests.contextUrl(request, row.table(), columns, true, expansions), row,
                columns, annotations, expanded));
        response.addHeader(Http.PREFERENCE_APPLIED, "return=representation");
        response.setHeader(Http.ETAG, row.etag());
    }

    @Override
    public void updateEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                             ContentType responseFormat) {
        if (request.getMethod() == HttpMethod.PUT) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception("PUT");
        }
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (uriInfo.getUriResourceParts().size() != 1) {
            throw Requests.notYet(uriInfo, 1);
        }
        TableDef table = Requests.table(api, es);
        update(request, response, Requests.address(request, es, table), () -> Requests.selected(table, uriInfo.getSelectOption()));
    }

    /** PATCH of a row: update or upsert under the request's precondition (§2, §3). */
    public void update(ODataRequest request, ODataResponse response, RowAddress address, Supplier<List<ColumnDef>> columns) {
        RequestOptions options = Requests.options(api, request);
        Payload payload = api.payloads().read(request.getBody(), address.table(), unit);
        Optional<UUID> urlId = address.id();
        if (payload.id().isPresent() && urlId.isPresent() && !payload.id().equals(urlId)) {
            throw DataverseError.BAD_REQUEST.exception("The id in the body (" + payload.id().get()
                    + ") does not match the id in the URL (" + urlId.get() + ").");
        }
        Precondition precondition = Requests.precondition(request);
        WriteResult outcome = api.executor().execute(unit, options, new WriteOperation.Patch(address, payload, precondition));
        if (Requests.returnRepresentation(api, request)) {
            // PATCH ignores $expand, as Dataverse does
            represent(request, response, outcome.created() ? 201 : 200, outcome.requireRow(), columns.get(), Expansions.NONE);
        } else {
            Requests.noContent(response);
            response.setHeader(Http.ODATA_ENTITY_ID, Requests.rowUrl(request, address));
        }
    }

    @Override
    public void deleteEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (uriInfo.getUriResourceParts().size() != 1) {
            throw Requests.notYet(uriInfo, 1);
        }
        TableDef table = Requests.table(api, es);
        delete(request, response, Requests.address(request, es, table));
    }

    /** DELETE of a row under the request's precondition. */
    public void delete(ODataRequest request, ODataResponse response, RowAddress address) {
        RequestOptions options = Requests.options(api, request);
        api.executor().execute(unit, options, new WriteOperation.Delete(address, Requests.precondition(request)));
        Requests.noContent(response);
    }
}
