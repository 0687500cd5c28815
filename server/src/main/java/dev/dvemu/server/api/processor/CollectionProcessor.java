package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Http;
import dev.dvemu.server.api.RequestNormalizer;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.json.Annotations;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.api.query.Expansions;
import dev.dvemu.server.api.query.FilterTranslator;
import dev.dvemu.server.api.query.OrderBy;
import dev.dvemu.server.api.query.SkipTokens;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowQuery;
import dev.dvemu.server.store.SortKey;
import dev.dvemu.server.store.SqlFragment;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.CountEntityCollectionProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceCount;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Collection reads and counts (§8): $select, $filter, $orderby, $top, $count, and paging with
 * {@code Prefer: odata.maxpagesize} through an opaque, keyset-based {@code @odata.nextLink}.
 */
public final class CollectionProcessor implements CountEntityCollectionProcessor {
    /** Dataverse's default and largest page, and the cap on @odata.count (§8). */
    static final int MAX_PAGE = 5000;

    private final Api api;
    private final UnitOfWork unit;

    public CollectionProcessor(Api api, UnitOfWork unit) {
        this.api = api;
        this.unit = unit;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests
    }

    @Override
    public void readEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Source source = source(request, uriInfo);
        TableDef table = source.table();
        Expansions expansions = Expansions.parse(api.catalog(), table, uriInfo, request.getRawQueryPath());
        List<ColumnDef> columns = expansions.select(table, Requests.selected(table, uriInfo.getSelectOption()));
        Optional<SqlFragment> filter = source.restrict(filter(table, uriInfo));
        List<SortKey> orderBy = OrderBy.keys(table, uriInfo.getOrderByOption());
        Integer top = uriInfo.getTopOption() == null ? null : uriInfo.getTopOption().getValue();
        Integer maxPageSize = Requests.preferences(api, request).getMaxPageSize();
        boolean pageSizeApplied = top == null && maxPageSize != null && maxPageSize > 0 && maxPageSize <= MAX_PAGE;
        int pageSize = top != null ? Math.min(top, MAX_PAGE) : pageSizeApplied ? maxPageSize : MAX_PAGE;
        Optional<List<Object>> after = uriInfo.getSkipTokenOption() == null ? Optional.empty()
                : Optional.of(SkipTokens.decode(uriInfo.getSkipTokenOption().getValue(), RowQuery.sortKeys(table, orderBy)));
        RowQuery query = new RowQuery(table, filter, orderBy, top != null ? pageSize : pageSize + 1, after);
        boolean withCount = uriInfo.getCountOption() != null && uriInfo.getCountOption().getValue();

        record Result(List<Row> rows, OptionalLong count) {
        }
        // counted up to MAX_PAGE + 1, so "more than the cap" can be told (totalrecordcountlimitexceeded)
        Result result = unit.read(c -> new Result(api.store().query(c, query),
                withCount ? OptionalLong.of(api.store().count(c, table, filter, MAX_PAGE)) : OptionalLong.empty()));
        List<Row> rows = result.rows();
        String nextLink = null;
        if (top == null && rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            List<Object> last = new ArrayList<>();
            Row lastRow = rows.get(rows.size() - 1);
            for (SortKey k : query.sortKeys()) {
                last.add(lastRow.get(k.column()));
            }
            nextLink = nextLink(request, SkipTokens.encode(last));
        }
        RowJson.Expansions expanded = Expander.read(api, unit, request, expansions, rows, Expander.Paging.of(expansions, maxPageSize));
        Annotations annotations = Requests.annotations(api, request, response);
        Requests.json(response, 200, RowJson.collection(Requests.contextUrl(request, table, columns, false, expansions), rows,
                columns, annotations, new RowJson.Count(result.count(), MAX_PAGE), nextLink, expanded));
        if (pageSizeApplied) {
            response.addHeader(Http.PREFERENCE_APPLIED, "odata.maxpagesize=" + maxPageSize);
        }
    }

    @Override
    public void countEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Source source = source(request, uriInfo);
        TableDef table = source.table();
        Optional<SqlFragment> filter = source.restrict(filter(table, uriInfo));
        long count = unit.read(c -> Math.min(api.store().count(c, table, filter, MAX_PAGE), MAX_PAGE));
        response.setStatusCode(200);
        response.setHeader(Http.CONTENT_TYPE, "text/plain");
        response.setContent(new ByteArrayInputStream(Long.toString(count).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Where the rows come from: a table ({@code contacts}), or the rows related to one row through a
     * collection-valued navigation property ({@code accounts(<id>)/contact_customer_accounts}): the referencing
     * table's rows whose lookup holds that row's id. The row must exist (404 as for any read of it).
     */
    private record Source(TableDef table, Optional<SqlFragment> relatedTo) {
        Optional<SqlFragment> restrict(Optional<SqlFragment> filter) {
            if (relatedTo.isEmpty()) {
                return filter;
            }
            if (filter.isEmpty()) {
                return relatedTo;
            }
            return Optional.of(new SqlFragment.Builder().append(relatedTo.get()).append(" AND (").append(filter.get())
                    .append(")").build());
        }
    }

    private Source source(ODataRequest request, UriInfo uriInfo) {
        UriResourceEntitySet es = Requests.entitySetPart(uriInfo);
        List<UriResource> parts = uriInfo.getUriResourceParts();
        boolean keyed = es.getKeyPredicates() != null && !es.getKeyPredicates().isEmpty();
        // parts: the set, then (with a key) a collection-valued navigation property, then perhaps $count
        int navigations = parts.size() - 1 - (parts.get(parts.size() - 1) instanceof UriResourceCount ? 1 : 0);
        if (!keyed && navigations == 0) {
            return new Source(Requests.table(api, es), Optional.empty());
        }
        if (!keyed || navigations != 1 || !(parts.get(1) instanceof UriResourceNavigation nav) || !nav.isCollection()) {
            throw Requests.notYet(uriInfo, keyed ? 2 : 1);
        }
        TableDef parentTable = Requests.table(api, es);
        CollectionNavigation relationship = api.catalog().collectionNavigation(parentTable, nav.getProperty().getName())
                .orElseThrow(() -> Requests.notYet(uriInfo, 1));
        RowAddress parent = Requests.address(request, es, parentTable);
        Row row = api.executor().find(unit, parent, false).orElseThrow(() -> RowStore.notFound(parent));
        return new Source(relationship.related(), Optional.of(RowStore.linkedTo(relationship, row.id())));
    }

    private static Optional<SqlFragment> filter(TableDef table, UriInfo uriInfo) {
        if (uriInfo.getFilterOption() == null || uriInfo.getFilterOption().getExpression() == null) {
            return Optional.empty();
        }
        return Optional.of(FilterTranslator.translate(table, uriInfo, uriInfo.getFilterOption().getExpression()));
    }

    /** The same request with the new $skiptoken in place of any old one. */
    private static String nextLink(ODataRequest request, String token) {
        String path = request.getRawODataPath();
        StringBuilder sb = new StringBuilder(Requests.serviceRoot(request)).append(path.startsWith("/") ? path.substring(1) : path);
        String query = request.getRawQueryPath();
        List<String> kept = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = RequestNormalizer.decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
                if (!name.equals("$skiptoken") && !pair.isEmpty()) {
                    kept.add(pair);
                }
            }
        }
        kept.add("$skiptoken=" + token);
        return sb.append('?').append(String.join("&", kept)).toString();
    }
}
