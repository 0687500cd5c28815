package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.KeyPredicates;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.Payload;
import dev.dvemu.server.execution.RequestOptions;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.execution.WriteOperation;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.store.SqlFragment;
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
        if (r instanceof ManyToMany.Side side) {
            api.executor().execute(unit, Requests.options(api, request), new WriteOperation.Associate(side, parent, find(child).id()));
        } else {
            setLookup(request, child, ((OneToMany) r).lookup(), parent, Precondition.EXISTS);
        }
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
        setLookup(request, p.row(), lookup, find(target).id(), Precondition.EXISTS);
        response.setStatusCode(204);
    }

    @Override
    public void deleteReference(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Path p = path(request, uriInfo);
        if (!p.navigation().getProperty().isCollection()) {
            setLookup(request, p.row(), lookup(p.table(), p.navigation(), uriInfo), null, Precondition.EXISTS);
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
        if (r instanceof ManyToMany.Side side) {
            // removing a link that does not exist removes nothing, as removing a lookup that points elsewhere does
            api.executor().execute(unit, Requests.options(api, request), new WriteOperation.Disassociate(side, parent, find(child).id()));
            response.setStatusCode(204);
            return;
        }
        disassociate(request, (OneToMany) r, parent, child);
        response.setStatusCode(204);
    }

    /** Clears the child's lookup if it points at {@code parent}: a compare-and-set on the version read. */
    private void disassociate(ODataRequest request, OneToMany r, UUID parent, RowAddress child) {
        // cleared only while it still points at this row: the version read is the compare-and-set's condition
        for (int attempt = 0; ; attempt++) {
            Row row = find(child);
            if (!parent.equals(row.get(r.lookup()))) {
                break; // not related (any more): nothing to remove
            }
            try {
                setLookup(request, RowAddress.byId(r.referencing(), row.id()), r.lookup(), null,
                        new Precondition.VersionEquals(row.version()));
                break;
            } catch (dev.dvemu.server.error.DataverseException e) {
                if (e.error() != DataverseError.CONCURRENCY_VERSION_MISMATCH || attempt >= 5) {
                    throw e;
                }
            }
        }
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

    private void setLookup(ODataRequest request, RowAddress row, ColumnDef lookup, UUID value, Precondition precondition) {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        values.put(lookup, value);
        RequestOptions options = Requests.options(api, request);
        api.executor().execute(unit, options, new WriteOperation.Patch(row, new Payload(row.table(), Optional.empty(), values,
                Map.of()), precondition));
    }
}
