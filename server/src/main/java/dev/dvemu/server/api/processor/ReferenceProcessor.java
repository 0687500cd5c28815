package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.KeyPredicates;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.Links;
import dev.dvemu.server.execution.RequestOptions;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.api.json.References;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourceRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code $ref} on navigation properties (§10b). For a one-to-many relationship, associating and disassociating rows
 * is writing the lookup of the referencing row, through the executor as an Update of that row (its steps run); for
 * a many-to-many relationship it is adding or removing a row of its intersect table, through the executor as the
 * Associate or Disassociate message.
 * <ul>
 *   <li>{@code PUT contacts(<id>)/parentcustomerid_account/$ref} {@code {"@odata.id":"accounts(<id>)"}}: set;
 *       {@code DELETE …/parentcustomerid_account/$ref}: clear; {@code GET}: the reference or 204.</li>
 *   <li>{@code POST accounts(<id>)/contact_customer_accounts/$ref} {@code {"@odata.id":"contacts(<id>)"}}: the contact's
 *       lookup points at the account; {@code DELETE accounts(<id>)/contact_customer_accounts(<id>)/$ref} (or
 *       {@code …/$ref?$id=<URL>}): it points nowhere, if it pointed at that account.</li>
 * </ul>
 */
public final class ReferenceProcessor implements org.apache.olingo.server.api.processor.ReferenceProcessor,
        org.apache.olingo.server.api.processor.ReferenceCollectionProcessor {
    private final Api api;
    private final UnitOfWork unit;

    public ReferenceProcessor(Api api, UnitOfWork unit) {
        this.api = api;
        this.unit = unit;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // bound to one request's unit of work; everything else comes from Api
    }

    /** The row the path starts at and the navigation property after it; {@code child} when the path keys it. */
    private record Path(TableDef table, RowAddress row, UriResourceNavigation navigation, Optional<RowAddress> child) {
    }

    private Path path(ODataRequest request, UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        if (parts.size() != 3 || !(parts.get(1) instanceof UriResourceNavigation nav) || !(parts.get(2) instanceof UriResourceRef)
                || es.getKeyPredicates() == null || es.getKeyPredicates().isEmpty()) {
            throw Requests.notYet(uriInfo, Math.min(parts.size() - 1, 2));
        }
        TableDef table = Requests.table(api, es);
        Optional<RowAddress> child = Optional.empty();
        if (nav.getKeyPredicates() != null && !nav.getKeyPredicates().isEmpty()) {
            CollectionNavigation r = relationship(table, nav, uriInfo);
            List<UriParameter> keys = nav.getKeyPredicates();
            String predicate = keys.size() == 1 && keys.get(0).getName().equals(r.related().primaryId().name())
                    ? keys.get(0).getText()
                    : keys.stream().map(k -> k.getName() + "=" + k.getText()).collect(java.util.stream.Collectors.joining(","));
            child = Optional.of(KeyPredicates.resolve(r.related(), predicate));
        }
        return new Path(table, Requests.address(request, es, table), nav, child);
    }

    private CollectionNavigation relationship(TableDef table, UriResourceNavigation nav, UriInfo uriInfo) {
        return api.catalog().collectionNavigation(table, nav.getProperty().getName()).orElseThrow(() -> Requests.notYet(uriInfo, 1));
    }

    private ColumnDef lookup(TableDef table, UriResourceNavigation nav, UriInfo uriInfo) {
        return table.lookupByNavigation(nav.getProperty().getName()).orElseThrow(() -> Requests.notYet(uriInfo, 1));
    }

    private Row find(RowAddress address) {
        return api.executor().find(unit, address, false).orElseThrow(() -> RowStore.notFound(address));
    }

    @Override
    public void readReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Path p = path(request, uriInfo);
        if (p.navigation().getProperty().isCollection()) {
            throw Requests.notYet(uriInfo, 1);
        }
        ColumnDef lookup = lookup(p.table(), p.navigation(), uriInfo);
        Object target = find(p.row()).get(lookup);
        if (target == null) {
            response.setStatusCode(204);
            return;
        }
        TableDef targetTable = api.catalog().require(lookup.lookupTarget());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("@odata.id", Requests.rowUrl(request, RowAddress.byId(targetTable, (UUID) target)));
        Requests.json(response, 200, RowJson.object(Requests.serviceRoot(request) + "$metadata#$ref", fields));
    }

    /** {@code GET accounts(<id>)/contact_customer_accounts/$ref}: the related rows' URLs, in id order. */
    @Override
    public void readReferenceCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Path p = path(request, uriInfo);
        CollectionNavigation r = relationship(p.table(), p.navigation(), uriInfo);
        UUID parent = find(p.row()).id();
        List<Row> rows = api.executor().query(unit, new RowQuery(r.related(), Optional.of(RowStore.linkedTo(r, parent)), List.of(),
                CollectionProcessor.MAX_PAGE + 1, Optional.empty()));
        if (rows.size() > CollectionProcessor.MAX_PAGE) {
            throw Requests.notYet("Paging the references of more than " + CollectionProcessor.MAX_PAGE + " related rows");
        }
        List<String> ids = new java.util.ArrayList<>();
        for (Row row : rows) {
            ids.add(Requests.rowUrl(request, row));
        }
        Requests.json(response, 200, RowJson.references(Requests.serviceRoot(request) + "$metadata#Collection($ref)", ids));
    }

    @Override
    public void createReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat) {
        Path p = path(request, uriInfo);
        if (!p.navigation().getProperty().isCollection() || p.child().isPresent()) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod());
        }
        CollectionNavigation r = relationship(p.table(), p.navigation(), uriInfo);
        RowAddress child = referenced(request, p.table(), r.related());
        UUID parent = find(p.row()).id();
        links(request).associate(r, parent, find(child).id());
        response.setStatusCode(204);
    }

    @Override
    public void updateReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat) {
        Path p = path(request, uriInfo);
        if (p.navigation().getProperty().isCollection()) {
            throw DataverseError.METHOD_NOT_ALLOWED.exception(request.getMethod());
        }
        ColumnDef lookup = lookup(p.table(), p.navigation(), uriInfo);
        RowAddress target = referenced(request, p.table(), api.catalog().require(lookup.lookupTarget()));
        links(request).setLookup(p.row(), lookup, find(target).id(), Precondition.EXISTS);
        response.setStatusCode(204);
    }

    @Override
    public void deleteReference(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Path p = path(request, uriInfo);
        if (!p.navigation().getProperty().isCollection()) {
            links(request).setLookup(p.row(), lookup(p.table(), p.navigation(), uriInfo), null, Precondition.EXISTS);
            response.setStatusCode(204);
            return;
        }
        CollectionNavigation r = relationship(p.table(), p.navigation(), uriInfo);
        RowAddress child = p.child().or(() -> Optional.ofNullable(uriInfo.getIdOption())
                .map(id -> References.parse(id.getValue(), api.catalog(), unit).orElseThrow(() ->
                        DataverseError.BAD_REQUEST.exception("The $id '" + id.getValue() + "' does not name a row of a table."))))
                .orElseThrow(() -> DataverseError.BAD_REQUEST.exception("Name the row to remove from " + r.navigation()
                        + ": " + r.navigation() + "(<id>)/$ref, or $ref?$id=<URL of the row>."));
        if (!child.table().equals(r.related())) {
            throw DataverseError.BAD_REQUEST.exception("The row to remove is not a " + r.related().logicalName() + " row.");
        }
        UUID parent = find(p.row()).id();
        links(request).disassociate(r, parent, find(child).id());
        response.setStatusCode(204);
    }

    /** Link changes with this request's options. */
    private Links links(ODataRequest request) {
        RequestOptions options = Requests.options(api, request);
        return new Links(api.executor(), unit, op -> api.executor().execute(unit, options, op));
    }

    /** The row a {@code $ref} body names, which must be of {@code expected}. */
    private RowAddress referenced(ODataRequest request, TableDef owner, TableDef expected) {
        RowAddress address = api.payloads().readReference(request.getBody(), owner, unit);
        if (!address.table().equals(expected)) {
            throw DataverseError.BAD_REQUEST.exception("The @odata.id names a " + address.table().logicalName()
                    + " row; this navigation property takes " + expected.logicalName() + " rows.");
        }
        return address;
    }
}
