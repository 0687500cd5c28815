package dev.dvemu.server.api;

import dev.dvemu.server.error.DataverseError;
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

/**
 * One row: GET, POST (create), PATCH (update or upsert), DELETE, with Dataverse's conditional-request table
 * (§2, §3, §4, §9). Preconditions are decided here and in SQL, never by Olingo's precondition validator, which
 * would demand If-Match where Dataverse makes it optional.
 */
final class RowProcessor implements EntityProcessor {
    private final Api api;

    RowProcessor(Api api) {
        this.api = api;
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
        Row row = api.database.read(c -> api.store.find(c, address)).orElseThrow(() -> RowStore.notFound(address));
        if (parts.size() == 2 && parts.get(1) instanceof UriResourceNavigation nav) {
            ColumnDef lookup = table.lookupByNavigation(nav.getProperty().getName()).orElseThrow();
            TableDef target = api.catalog.require(lookup.lookupTarget());
            UUID targetId = (UUID) row.get(lookup);
            if (targetId == null) {
                response.setStatusCode(204);
                return;
            }
            RowAddress targetAddress = RowAddress.byId(target, targetId);
            row = api.database.read(c -> api.store.find(c, targetAddress)).orElseThrow(() -> RowStore.notFound(targetAddress));
            table = target;
        } else if (parts.size() != 1) {
            throw DataverseError.NOT_SUPPORTED.exception("This path is not supported by dvemu.");
        }
        if (notModified(request, row)) {
            response.setStatusCode(304);
            response.setHeader(Http.CONTENT_TYPE, Http.JSON);
            response.setHeader(Http.ETAG, row.etag());
            return;
        }
        List<ColumnDef> columns = Requests.selected(table, uriInfo.getSelectOption());
        Annotations annotations = Requests.annotations(api, request, response);
        Requests.json(response, 200, RowJson.entity(Requests.contextUrl(request, table, columns, true), row, columns, annotations));
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
            throw DataverseError.NOT_SUPPORTED.exception("Creating rows through a navigation property is not supported by dvemu.");
        }
        TableDef table = Requests.table(api, es);
        Payload payload = api.payloads.read(request.getBody(), table);
        Row row = api.database.write(c -> api.store.create(c, table, payload.id(), payload.resolve(c, api.store)));
        if (Requests.returnRepresentation(api, request)) {
            List<ColumnDef> columns = Requests.selected(table, uriInfo.getSelectOption());
            Annotations annotations = Requests.annotations(api, request, response);
            Requests.json(response, 201, RowJson.entity(Requests.contextUrl(request, table, columns, true), row, columns, annotations));
            response.addHeader(Http.PREFERENCE_APPLIED, "return=representation");
            response.setHeader(Http.ETAG, row.etag());
        } else {
            Requests.noContent(response);
            response.setHeader(Http.ODATA_ENTITY_ID, Requests.rowUrl(request, row));
        }
    }

    @Override
    public void updateEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                             ContentType responseFormat) {
        if (request.getMethod() == HttpMethod.PUT) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception("PUT");
        }
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (uriInfo.getUriResourceParts().size() != 1) {
            throw DataverseError.NOT_SUPPORTED.exception("Updating rows through a navigation property is not supported by dvemu.");
        }
        TableDef table = Requests.table(api, es);
        RowAddress address = Requests.address(request, es, table);
        Payload payload = api.payloads.read(request.getBody(), table);
        Optional<UUID> urlId = address.id();
        if (payload.id().isPresent() && urlId.isPresent() && !payload.id().equals(urlId)) {
            throw DataverseError.BAD_REQUEST.exception("The id in the body (" + payload.id().get()
                    + ") does not match the id in the URL (" + urlId.get() + ").");
        }
        Precondition precondition = Requests.precondition(request);
        RowStore.WriteOutcome outcome = api.database.write(c ->
                api.store.write(c, address, payload.resolve(c, api.store), precondition));
        if (Requests.returnRepresentation(api, request)) {
            List<ColumnDef> columns = Requests.selected(table, uriInfo.getSelectOption());
            Annotations annotations = Requests.annotations(api, request, response);
            Requests.json(response, outcome.created() ? 201 : 200,
                    RowJson.entity(Requests.contextUrl(request, table, columns, true), outcome.row(), columns, annotations));
            response.addHeader(Http.PREFERENCE_APPLIED, "return=representation");
            response.setHeader(Http.ETAG, outcome.row().etag());
        } else {
            Requests.noContent(response);
            response.setHeader(Http.ODATA_ENTITY_ID, Requests.rowUrl(request, address));
        }
    }

    @Override
    public void deleteEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (uriInfo.getUriResourceParts().size() != 1) {
            throw DataverseError.NOT_SUPPORTED.exception("Deleting through a navigation property is not supported; use /$ref.");
        }
        TableDef table = Requests.table(api, es);
        RowAddress address = Requests.address(request, es, table);
        Precondition precondition = Requests.precondition(request);
        api.database.write(c -> {
            api.store.delete(c, address, precondition);
            return null;
        });
        Requests.noContent(response);
    }
}
