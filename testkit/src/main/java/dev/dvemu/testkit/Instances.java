package dev.dvemu.testkit;

import dev.dvemu.plugin.PluginPackage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulators of this JVM: one embedded PostgreSQL, started on first use, and per configuration a pool of
 * servers, each on a database of its own. A test class leases a server for its duration; a class running at the
 * same time gets another one, so no two concurrent classes ever share rows. Everything stops when the JVM exits.
 */
final class Instances {
    private static Instances instance;

    private final ServerBridge bridge;
    private final Map<DvemuConfig, Deque<Dvemu>> idle = new ConcurrentHashMap<>();
    private final List<Dvemu> all = new ArrayList<>();
    private final Map<String, Integer> externalDatabases = new ConcurrentHashMap<>();
    private Map<String, Object> cluster;
    private int databases;
    private volatile long clusterStartMs = -1;

    private Instances(ServerBridge bridge) {
        this.bridge = bridge;
    }

    static synchronized Instances get() {
        if (instance == null) {
            instance = new Instances(ServerBridge.get());
            Runtime.getRuntime().addShutdownHook(new Thread(instance::closeAll, "dvemu-testkit-shutdown"));
        }
        return instance;
    }

    ServerBridge bridge() {
        return bridge;
    }

    /** How long the embedded PostgreSQL took to start, or -1 if it has not been started. */
    long clusterStartMs() {
        return clusterStartMs;
    }

    /** An instance of this configuration nobody else uses until {@link #release}. */
    Dvemu lease(DvemuConfig config) {
        Deque<Dvemu> pool = idle.computeIfAbsent(config, c -> new ArrayDeque<>());
        synchronized (pool) {
            Dvemu d = pool.poll();
            if (d != null) {
                return d;
            }
        }
        return create(config, false);
    }

    void release(Dvemu d) {
        Deque<Dvemu> pool = idle.computeIfAbsent(d.config(), c -> new ArrayDeque<>());
        synchronized (pool) {
            pool.push(d);
        }
    }

    Dvemu startOwned(DvemuConfig config) {
        return create(config, true);
    }

    private Dvemu create(DvemuConfig config, boolean owned) {
        List<String> args = new ArrayList<>(config.serverArgs());
        String[] db = database(config);
        args.add("--db-url");
        args.add(db[0]);
        if (db[1] != null) {
            args.add("--db-user");
            args.add(db[1]);
        }
        if (db[2] != null) {
            args.add("--db-password");
            args.add(db[2]);
        }
        Map<String, Object> started;
        try {
            started = bridge.start(args, pluginPackages(config));
        } catch (RuntimeException e) {
            throw new DvemuException("dvemu did not start (" + config + "): " + e.getMessage(), e);
        }
        Dvemu d = new Dvemu(config, started, (AutoCloseable) started.get("close"), owned);
        try {
            d.prepareFixture();
        } catch (RuntimeException e) {
            try {
                d.stop();
            } catch (Exception ignored) {
                // failing anyway
            }
            throw e;
        }
        synchronized (all) {
            all.add(d);
        }
        return d;
    }

    /** {jdbcUrl, user, password} of a database no other instance uses. */
    /** The configuration's plug-in packages, those given as classes made now. */
    private static List<Object> pluginPackages(DvemuConfig config) {
        List<Object> out = new ArrayList<>();
        for (Class<? extends PluginPackage> type : config.pluginClasses()) {
            try {
                out.add(type.getConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new DvemuException("the plug-in package " + type.getName()
                        + " needs a public constructor without arguments: " + e, e);
            }
        }
        out.addAll(config.plugins());
        return out;
    }

    private String[] database(DvemuConfig config) {
        if (config.dbUrl().isPresent()) {
            String url = config.dbUrl().get();
            int n = externalDatabases.merge(url, 1, Integer::sum);
            String user = config.dbUser().orElse(null);
            String password = config.dbPassword().orElse(null);
            if (n == 1) {
                return new String[]{url, user, password};
            }
            return new String[]{bridge.createDatabase(url, user, password, databaseName(url) + "_" + n), user, password};
        }
        String clusterUrl;
        String name;
        synchronized (this) {
            if (cluster == null) {
                long t0 = System.nanoTime();
                cluster = bridge.startDatabase(List.of("--ephemeral"));
                clusterStartMs = (System.nanoTime() - t0) / 1_000_000;
            }
            clusterUrl = (String) cluster.get("jdbcUrl");
            name = "dvemu_" + (++databases);
        }
        return new String[]{bridge.createDatabase(clusterUrl, "postgres", null, name), "postgres", null};
    }

    private static String databaseName(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        String path = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.isEmpty() ? "dvemu" : name;
    }

    private void closeAll() {
        List<Dvemu> servers;
        synchronized (all) {
            servers = new ArrayList<>(all);
        }
        for (Dvemu d : servers) {
            try {
                d.stop();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
        synchronized (this) {
            if (cluster != null) {
                try {
                    ((AutoCloseable) cluster.get("close")).close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }
        }
    }
}
