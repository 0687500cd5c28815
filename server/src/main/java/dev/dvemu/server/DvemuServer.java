package dev.dvemu.server;

import dev.dvemu.server.admin.AdminResource;
import dev.dvemu.server.admin.AdminServlet;
import dev.dvemu.server.admin.InfoResource;
import dev.dvemu.server.admin.ResetResource;
import dev.dvemu.server.admin.SeedResource;
import dev.dvemu.server.admin.SnapshotsResource;
import dev.dvemu.server.admin.FaultsResource;
import dev.dvemu.server.admin.HoldsResource;
import dev.dvemu.server.admin.JournalResource;
import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.control.Faults;
import dev.dvemu.server.control.Journal;
import dev.dvemu.server.db.DataSources;
import dev.dvemu.server.db.ChangesCommand;
import dev.dvemu.server.db.Database;
import dev.dvemu.server.db.Migrations;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.http.AllowedHostsHandler;
import dev.dvemu.server.http.AuthFilter;
import dev.dvemu.server.http.HealthServlet;
import dev.dvemu.server.http.JsonErrorHandler;
import dev.dvemu.server.http.NotFoundServlet;
import dev.dvemu.server.http.RequestBodyHandler;
import dev.dvemu.server.http.RequestLogFilter;
import dev.dvemu.server.http.ServiceProtectionFilter;
import dev.dvemu.server.http.ServiceProtectionLimiter;
import dev.dvemu.server.http.TrustedProxies;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.server.store.StateStore;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import dev.dvemu.server.execution.PluginLoader;
import dev.dvemu.server.execution.Plugins;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * One running emulator: database opened and migrated, schema checked against metadata, then Jetty listening.
 * {@link #start(ServerConfig)} returns only once it serves; {@link #close()} stops it and the embedded database.
 */
public final class DvemuServer implements AutoCloseable {
    private final ServerConfig config;
    private final DataSources dataSources;
    private final Server jetty;
    private final Catalog catalog;

    private DvemuServer(ServerConfig config, DataSources dataSources, Server jetty, Catalog catalog) {
        this.config = config;
        this.dataSources = dataSources;
        this.jetty = jetty;
        this.catalog = catalog;
    }

    public static DvemuServer start(ServerConfig config) throws Exception {
        return start(config, List.of());
    }

    /**
     * Starts with plug-in packages handed over by the caller ({@code dev.dvemu.plugin.PluginPackage} instances, the
     * testkit's), besides those in {@link ServerConfig#plugins()}.
     */
    public static DvemuServer start(ServerConfig config, List<?> pluginPackages) throws Exception {
        StartupPhases phases = new StartupPhases();
        MetadataSources metadata = MetadataSources.of(config.metadata());
        Catalog catalog = metadata.load();
        phases.mark("metadata (" + catalog.tables().size() + " tables)");
        Plugins plugins = PluginLoader.load(config.plugins(), pluginPackages, catalog);
        if (plugins.steps().size() > 0 || plugins.customApis().size() > 0) {
            LoggerFactory.getLogger(DvemuServer.class).info("plug-ins: {} step(s) and {} custom API(s) registered",
                    plugins.steps().size(), plugins.customApis().size());
        }
        phases.mark("plug-ins");
        DataSources ds = DataSources.open(config);
        try {
            phases.mark("database");
            Migrations.migrate(ds.dataSource(), metadata.sources().stream()
                    .map(m -> new Migrations.Location(m.flywayLocation(), metadata.historyTable(m))).toList());
            phases.mark("migrations");
            new SchemaCheck().verify(ds.dataSource(), catalog, d -> ChangesCommand.hint(config, metadata, catalog, d));
            phases.mark("schema check");
            Journal journal = new Journal(config.journalSize(), catalog);
            Faults faults = new Faults();
            Api api = new Api(catalog, new Database(ds.dataSource(), faults), faults, journal, plugins);
            phases.mark("api");

            QueuedThreadPool threads = new QueuedThreadPool(256, 8);
            threads.setName("dvemu-http");
            Server jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            // Dataverse accepts GET URLs up to 32,768 characters (§0)
            http.setRequestHeaderSize(48 * 1024);
            if (!config.trustedProxies().isEmpty()) {
                http.addCustomizer(new TrustedProxies(config.trustedProxies()));
            }
            ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            connector.setHost(config.bind());
            connector.setPort(config.port());
            jetty.addConnector(connector);

            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addFilter(new FilterHolder(new RequestLogFilter(config.quiet(), journal)), "/*", EnumSet.of(DispatcherType.REQUEST));
            FilterHolder auth = new FilterHolder(new AuthFilter());
            ServletHolder apiServlet = new ServletHolder("api", new ApiServlet(api, config.publicUrl()));
            for (String path : ServerConfig.API_PATHS) {
                if (!config.allowAnonymous()) {
                    context.addFilter(auth, path + "/*", EnumSet.of(DispatcherType.REQUEST));
                }
                context.addServlet(apiServlet, path + "/*");
            }
            if (config.serviceProtection().isPresent()) {
                // after the auth filter: a request refused 401 is not counted
                FilterHolder limiter = new FilterHolder(new ServiceProtectionFilter(
                        new ServiceProtectionLimiter(config.serviceProtection().get())));
                for (String path : ServerConfig.API_PATHS) {
                    context.addFilter(limiter, path + "/*", EnumSet.of(DispatcherType.REQUEST));
                }
            }
            context.addServlet(new ServletHolder("health", new HealthServlet(ds.health())), "/health");
            if (config.admin()) {
                if (!config.allowAnonymous()) {
                    context.addFilter(auth, AdminServlet.PATH + "/*", EnumSet.of(DispatcherType.REQUEST));
                }
                context.addServlet(new ServletHolder("admin", new AdminServlet(adminResources(config, catalog, ds, api, journal, faults))),
                        AdminServlet.PATH + "/*");
            } else {
                context.addServlet(new ServletHolder("admin", new AdminServlet.Disabled()), AdminServlet.PATH + "/*");
            }
            context.addServlet(new ServletHolder("notfound", new NotFoundServlet()), "/");
            context.setErrorHandler(new JsonErrorHandler());
            // in front of the servlets: the Host check, then the whole body read without holding a thread
            Handler handler = new RequestBodyHandler(context, ApiServlet::maxBodyBytes);
            if (AllowedHostsHandler.needed(config.bind(), config.allowedHosts())) {
                List<String> names = new ArrayList<>(config.allowedHosts());
                config.publicUrl().map(URI::getHost).ifPresent(names::add);
                handler = new AllowedHostsHandler(handler, names);
            }
            jetty.setHandler(handler);
            if (config.quiet()) {
                jetty.setAttribute(RequestLogFilter.QUIET_ATTRIBUTE, true);
            }
            jetty.setErrorHandler(new JsonErrorHandler());
            jetty.start();
            phases.mark("http");
            LoggerFactory.getLogger(DvemuServer.class).info("{}", phases);
            return new DvemuServer(config, ds, jetty, catalog);
        } catch (Exception | Error e) {
            ds.close();
            throw e;
        }
    }

    /** The resources of the admin API under {@code /_dvemu/}. */
    private static List<AdminResource> adminResources(ServerConfig config, Catalog catalog, DataSources ds, Api api,
                                                      Journal journal, Faults faults) {
        List<AdminResource> resources = new ArrayList<>();
        StateStore state = new StateStore(ds.dataSource(), catalog);
        resources.add(new ResetResource(state));
        resources.add(new SnapshotsResource(state));
        resources.add(new SeedResource(api));
        resources.add(new JournalResource(journal));
        resources.add(new FaultsResource(faults, catalog));
        resources.add(new HoldsResource(faults.holds()));
        resources.add(new InfoResource(config, catalog, ds.dataSource(), ds.jdbcUrl(),
                () -> resources.stream().map(AdminResource::name).toList()));
        return resources;
    }

    /** The port actually listened on (useful with {@code --port 0}). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://<bind>:<port>/api/data/v9.2/} */
    public URI baseUri() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return URI.create("http://" + host + ":" + port() + ServerConfig.BASE_PATH + "/");
    }

    /** The JDBC URL of the database this server uses (for a second server on the same database). */
    public String jdbcUrl() {
        return dataSources.jdbcUrl();
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * Runs {@code action} with the reason if the database is lost for good (the embedded PostgreSQL died and could
     * not be restarted). Until then, and after, requests fail at once and {@code /health} answers 503 with the reason.
     */
    public void whenDatabaseLost(Consumer<String> action) {
        dataSources.status().whenLost(action);
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            dataSources.close();
        }
    }
}
