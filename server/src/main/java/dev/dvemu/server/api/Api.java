package dev.dvemu.server.api;

import dev.dvemu.server.api.processor.CustomApiProcessor;
import dev.dvemu.server.api.batch.BatchHandler;
import dev.dvemu.server.api.edm.DataverseEdmProvider;
import dev.dvemu.server.api.json.PayloadReader;
import dev.dvemu.server.api.json.Utf8;
import dev.dvemu.server.api.processor.CollectionProcessor;
import dev.dvemu.server.api.processor.ColumnProcessor;
import dev.dvemu.server.api.processor.ErrorBodyProcessor;
import dev.dvemu.server.api.processor.MetadataDocumentProcessor;
import dev.dvemu.server.api.processor.ReferenceProcessor;
import dev.dvemu.server.api.processor.RowProcessor;
import dev.dvemu.server.api.processor.ServiceDocumentProcessor;
import dev.dvemu.server.api.processor.WhoAmIProcessor;
import dev.dvemu.server.control.FaultRule;
import dev.dvemu.server.control.Faults;
import dev.dvemu.server.control.Journal;
import dev.dvemu.server.db.Database;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.CustomApis;
import dev.dvemu.server.execution.Executor;
import dev.dvemu.server.execution.RequestOptions;
import dev.dvemu.server.execution.Plugins;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.metadata.query.DefinitionsRoute;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowStore;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataHandler;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;

import java.io.InputStream;
import java.util.function.Function;

/**
 * What every processor shares: the tables, the database and the store, and the Olingo service built from the
 * tables. Immutable and thread-safe; one per server.
 */
public final class Api {
    private final Catalog catalog;
    private final Database database;
    private final RowStore store;
    /** The one caller of the store's writes, where plug-in steps run. */
    private final Executor executor;
    private final PayloadReader payloads;
    private final OData odata;
    private final ServiceMetadata serviceMetadata;
    final BatchHandler batches;
    final DirectRoute direct;
    /** The fault rules of this instance (test control); without a rule they cost one volatile read per operation. */
    private final Faults faults;
    /** The request journal of this instance: the $batch handler records each part in it. */
    private final Journal journal;
    /** The custom APIs the plug-in packages declared: in $metadata, and called through {@link CustomApiProcessor}. */
    private final CustomApis customApis;
    private final WhoAmIProcessor whoAmI;
    private final ErrorBodyProcessor errors;
    private final ServiceDocumentProcessor serviceDocument;
    /** Metadata queries (EntityDefinitions and co.): their own processor, apart from the tables' ones. */
    private final DefinitionsRoute definitions;
    private final MetadataDocumentProcessor metadataDocument;

    public Api(Catalog catalog, Database database) {
        this(catalog, database, new Faults(), Journal.OFF, Plugins.NONE);
    }

    public Api(Catalog catalog, Database database, Faults faults, Journal journal, Plugins plugins) {
        this.catalog = catalog;
        this.faults = faults;
        this.journal = journal;
        this.database = database;
        this.store = new RowStore();
        this.executor = new Executor(catalog, store, plugins.steps());
        this.customApis = plugins.customApis();
        this.payloads = new PayloadReader(catalog);
        this.odata = OData.newInstance();
        this.serviceMetadata = odata.createServiceMetadata(new DataverseEdmProvider(catalog, customApis),
                java.util.List.of());
        this.batches = new BatchHandler(this);
        this.whoAmI = new WhoAmIProcessor();
        this.errors = new ErrorBodyProcessor();
        this.serviceDocument = new ServiceDocumentProcessor(this);
        this.metadataDocument = new MetadataDocumentProcessor(serviceMetadata);
        this.direct = new DirectRoute(this, errors);
        this.definitions = new DefinitionsRoute(catalog);
    }

    /**
     * The answer to one request (not a batch): refused first if it asks for what dvemu does not do
     * ({@link RequestSurface}), then by the direct route when it recognises the request, else by Olingo.
     */
    public ODataResponse process(ODataRequest request, UnitOfWork unit) {
        if (!Utf8.isValidPercentEncoded(request.getRawODataPath()) || !Utf8.isValidPercentEncoded(request.getRawQueryPath())) {
            throw DataverseError.BAD_URI.exception("Bad Request - the URL is not valid UTF-8 once percent-decoded.");
        }
        RequestSurface.check(request);
        if (faults.active()) {
            // the one place every operation starts, standalone or a $batch part
            String path = request.getRawODataPath();
            FaultRule.Respond injected = faults.begin(request.getMethod().name(), path.startsWith("/") ? path.substring(1) : path,
                    unit.inChangeset());
            if (injected != null) {
                return ApiServlet.injectedResponse(injected);
            }
        }
        if (DefinitionsRoute.handles(request)) {
            return definitions.process(request, () -> odata.createRawHandler(serviceMetadata), errors);
        }
        ODataResponse direct = this.direct.serve(request, unit);
        return direct != null ? direct : newHandler(unit).process(RequestNormalizer.normalize(request, catalog, customApis));
    }

    /**
     * A handler for one request: Olingo's handler keeps per-request state; the processors that touch data are bound
     * to the request's unit of work, the others are shared.
     */
    ODataHandler newHandler(UnitOfWork unit) {
        ODataHandler h = odata.createRawHandler(serviceMetadata);
        h.register(new RowProcessor(this, unit));
        h.register(new CollectionProcessor(this, unit));
        h.register(new ColumnProcessor(this, unit));
        h.register(new ReferenceProcessor(this, unit));
        // also the complex processor: WhoAmI is answered through it
        h.register(new CustomApiProcessor(this, unit, whoAmI));
        h.register(errors);
        h.register(serviceDocument);
        h.register(metadataDocument);
        return h;
    }

    public Catalog catalog() {
        return catalog;
    }

    public RowStore store() {
        return store;
    }

    /** The one caller of the store's writes. */
    public Executor executor() {
        return executor;
    }

    public PayloadReader payloads() {
        return payloads;
    }

    public OData odata() {
        return odata;
    }

    public Faults faults() {
        return faults;
    }

    public Journal journal() {
        return journal;
    }

    /** The custom APIs the plug-in packages declared. */
    public CustomApis customApis() {
        return customApis;
    }

    /**
     * Creates a row from a Web API POST body exactly as {@code POST /<entityset>} does (validation, defaults,
     * autonumbers, required columns, {@code @odata.bind}, plug-in steps), in {@code unit}.
     */
    public Row create(UnitOfWork unit, TableDef table, InputStream body) {
        return new RowProcessor(this, unit).insert(table, body, RequestOptions.DEFAULT);
    }

    /** Runs {@code work} as one changeset: every {@link #create} it makes in the unit commits, or none does. */
    public <T> T inChangeset(Function<UnitOfWork, T> work) {
        return UnitOfWork.changeset(database, work);
    }

    /** A unit of work for one request outside a changeset. */
    public UnitOfWork standalone() {
        return UnitOfWork.standalone(database);
    }
}
