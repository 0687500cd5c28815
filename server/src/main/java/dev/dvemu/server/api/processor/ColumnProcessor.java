package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.execution.WriteOperation;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.PrimitiveValueProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One column of one row: {@code GET/PUT/DELETE accounts(<id>)/name} and {@code .../name/$value} (§4). */
public final class ColumnProcessor implements PrimitiveValueProcessor {
    private final Api api;
    private final UnitOfWork unit;

    public ColumnProcessor(Api api, UnitOfWork unit) {
        this.api = api;
        this.unit = unit;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests
    }

    private record Target(TableDef table, RowAddress address, ColumnDef column) {
    }

    private Target target(ODataRequest request, UriInfo uriInfo) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        TableDef table = Requests.table(api, es);
        List<UriResource> parts = uriInfo.getUriResourceParts();
        if (!(parts.get(1) instanceof UriResourcePrimitiveProperty p)) {
            // a column of a related row (accounts(<id>)/primarycontactid/fullname)
            throw Requests.notYet(uriInfo, parts.size() - 1);
        }
        String name = p.getProperty().getName();
        ColumnDef column = table.columnByProperty(name).orElseThrow(() ->
                DataverseError.PROPERTY_NOT_FOUND.exception(name, table.qualifiedTypeName()));
        return new Target(table, Requests.address(request, es, table), column);
    }

    private Object currentValue(Target t) {
        Row row = api.executor().find(unit, t.address(), false).orElseThrow(() -> RowStore.notFound(t.address()));
        return row.get(t.column());
    }

    @Override
    public void readPrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Target t = target(request, uriInfo);
        Object value = currentValue(t);
        if (value == null) {
            response.setStatusCode(204);
            return;
        }
        String context = Requests.serviceRoot(request) + "$metadata#" + t.table().entitySetName() + "("
                + t.address().urlPredicate() + ")/" + t.column().propertyName();
        Requests.json(response, 200, RowJson.property(context, t.column(), value));
    }

    @Override
    public void readPrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Target t = target(request, uriInfo);
        Object value = currentValue(t);
        if (value == null) {
            response.setStatusCode(204);
            return;
        }
        response.setStatusCode(200);
        response.setHeader(Http.CONTENT_TYPE, "text/plain");
        response.setContent(new ByteArrayInputStream(RowJson.text(value).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void updatePrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                                ContentType responseFormat) {
        Target t = target(request, uriInfo);
        checkWritable(t);
        Object value = api.payloads().readPropertyValue(request.getBody(), t.table(), t.column());
        set(request, t, value);
        response.setStatusCode(204);
    }

    @Override
    public void deletePrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Target t = target(request, uriInfo);
        checkWritable(t);
        set(request, t, null);
        response.setStatusCode(204);
    }

    private void set(ODataRequest request, Target t, Object value) {
        api.executor().execute(unit, Requests.options(api, request), new WriteOperation.SetColumn(t.address(), t.column(), value));
    }

    private static void checkWritable(Target t) {
        if (t.column().isReadOnly() || t.column().isLookup() || t.column().origin() == ColumnDef.Origin.PRIMARY_ID) {
            throw DataverseError.READ_ONLY_PROPERTY.exception(t.table().logicalName(), t.column().propertyName());
        }
    }

    @Override
    public void updatePrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo,
                                     ContentType requestFormat, ContentType responseFormat) {
        throw DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod().name());
    }

    @Override
    public void deletePrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        throw DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod().name());
    }
}
