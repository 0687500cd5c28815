package dev.dvemu.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Calls the server's {@code dev.dvemu.server.Embedded} reflectively, from one of two places: the test's own class
 * loader when the server is on the test class path (dvemu's own tests), or else an isolated class loader over the
 * server jars embedded in the testkit jar, whose parent is the platform class loader, so no server class (Jetty,
 * Flyway, HikariCP, pgJDBC...) is visible to the test and none of the test's classes to the server. Only the
 * PostgreSQL binary archives ({@code postgres-*.txz}, resource-only jars on the test class path) are looked up
 * through the test's class loader.
 */
final class ServerBridge {
    static final String EMBEDDED = "dev.dvemu.server.Embedded";
    /** {@code -Ddvemu.testkit.isolated=true} uses the embedded jars even when the server is on the class path. */
    static final String ISOLATED_PROPERTY = "dvemu.testkit.isolated";
    /** Where the embedded jars are extracted to (default: a directory under {@code java.io.tmpdir}). */
    static final String CACHE_PROPERTY = "dvemu.testkit.cache";
    private static final String EMBEDDED_DIR = "META-INF/dvemu/server/";

    private static ServerBridge instance;

    private final ClassLoader loader;
    private final Class<?> embedded;
    private final boolean isolated;

    private ServerBridge(ClassLoader loader, Class<?> embedded, boolean isolated) {
        this.loader = loader;
        this.embedded = embedded;
        this.isolated = isolated;
    }

    static synchronized ServerBridge get() {
        if (instance == null) {
            instance = load();
        }
        return instance;
    }

    /** True when the server runs in a class loader of its own (a user's project). */
    boolean isolated() {
        return isolated;
    }

    ClassLoader loader() {
        return loader;
    }

    static ClassLoader testLoader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : ServerBridge.class.getClassLoader();
    }

    private static ServerBridge load() {
        ClassLoader test = testLoader();
        if (!Boolean.getBoolean(ISOLATED_PROPERTY)) {
            try {
                return new ServerBridge(test, Class.forName(EMBEDDED, true, test), false);
            } catch (ClassNotFoundException e) {
                // a user's project: the server comes from the jars embedded in the testkit
            }
        }
        URLClassLoader isolated = new IsolatedLoader(embeddedJars(), test);
        try {
            return new ServerBridge(isolated, Class.forName(EMBEDDED, true, isolated), true);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the dvemu server embedded in the testkit jar cannot be loaded: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> start(List<String> args, List<Object> pluginPackages) {
        if (pluginPackages.isEmpty()) {
            return (Map<String, Object>) call("start", new Class<?>[]{String[].class}, (Object) args.toArray(String[]::new));
        }
        return (Map<String, Object>) call("start", new Class<?>[]{String[].class, List.class},
                args.toArray(String[]::new), pluginPackages);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> startDatabase(List<String> args) {
        return (Map<String, Object>) call("startDatabase", new Class<?>[]{String[].class}, (Object) args.toArray(String[]::new));
    }

    String createDatabase(String jdbcUrl, String user, String password, String name) {
        return (String) call("createDatabase", new Class<?>[]{String.class, String.class, String.class, String.class},
                jdbcUrl, user, password, name);
    }

    String version() {
        return (String) call("version", new Class<?>[0]);
    }

    /** Runs {@code action} with the server's class loader as the context class loader (threads it starts inherit it). */
    <T> T inServerLoader(Callable<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private Object call(String name, Class<?>[] types, Object... args) {
        Method m;
        try {
            m = embedded.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the dvemu server on the class path has no " + EMBEDDED + "." + name
                    + ": is it older than the testkit?", e);
        }
        return inServerLoader(() -> {
            try {
                return m.invoke(null, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause.getMessage(), cause);
            }
        });
    }

    /** The server jars: used where they are (a classes directory) or extracted once from the testkit jar. */
    private static URL[] embeddedJars() {
        ClassLoader own = ServerBridge.class.getClassLoader();
        URL index = own.getResource(EMBEDDED_DIR + "index");
        if (index == null) {
            throw new IllegalStateException("the dvemu server is neither on the class path nor embedded in the testkit ("
                    + EMBEDDED_DIR + "index is missing)");
        }
        List<String> names = new ArrayList<>();
        try (InputStream in = index.openStream()) {
            for (String entry : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(",")) {
                String name = entry.trim();
                if (!name.isEmpty()) {
                    names.add(name.substring(name.lastIndexOf('/') + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        try {
            if ("file".equals(index.getProtocol())) {
                Path dir = Paths.get(index.toURI()).getParent();
                List<URL> urls = new ArrayList<>();
                for (String n : names) {
                    urls.add(dir.resolve(n).toUri().toURL());
                }
                return urls.toArray(URL[]::new);
            }
            Path dir = cacheDir(index);
            Files.createDirectories(dir);
            List<URL> urls = new ArrayList<>();
            for (String n : names) {
                Path target = dir.resolve(n);
                if (!Files.isRegularFile(target)) {
                    extract(own, EMBEDDED_DIR + n, target);
                }
                urls.add(target.toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the dvemu server jars: " + e.getMessage(), e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written to a temporary file, then moved into place: concurrent JVMs never see half a jar. */
    private static void extract(ClassLoader own, String resource, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (InputStream in = own.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is listed in the index but missing");
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                try {
                    Files.move(tmp, target);
                } catch (FileAlreadyExistsException another) {
                    // another JVM was quicker with the same content
                }
            } catch (FileAlreadyExistsException e) {
                // another JVM was quicker with the same content
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Keyed by the testkit jar (path, size, time) and the index, so another build never reuses stale jars. */
    private static Path cacheDir(URL index) throws IOException {
        String key = index.toString();
        URLConnection c = index.openConnection();
        if (c instanceof JarURLConnection jar) {
            URL jarFile = jar.getJarFileURL();
            key += "|" + jarFile;
            if ("file".equals(jarFile.getProtocol())) {
                try {
                    Path p = Paths.get(jarFile.toURI());
                    key += "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
                } catch (java.net.URISyntaxException | RuntimeException e) {
                    // keyed by the URL only
                }
            }
        }
        try (InputStream in = index.openStream()) {
            key += "|" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String version = ServerBridge.class.getPackage().getImplementationVersion();
        String base = System.getProperty(CACHE_PROPERTY);
        Path root = base != null ? Path.of(base)
                : Path.of(System.getProperty("java.io.tmpdir"), "dvemu-testkit-" + System.getProperty("user.name", "user"));
        return root.resolve((version == null ? "dev" : version) + "-" + hash);
    }

    /**
     * The server's own class loader. From the test's class loader come only the PostgreSQL binary archives and the
     * plug-in API ({@code dev.dvemu.plugin}), which the test's plug-ins and the server must share.
     */
    static final class IsolatedLoader extends URLClassLoader {
        private static final Pattern BINARIES = Pattern.compile("postgres-[^/]*\\.txz");
        private static final String PLUGIN_API = "dev.dvemu.plugin.";
        private final ClassLoader resources;

        IsolatedLoader(URL[] urls, ClassLoader resources) {
            super("dvemu-server", urls, ClassLoader.getPlatformClassLoader());
            this.resources = resources;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(PLUGIN_API)) {
                return resources.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            URL own = super.getResource(name);
            return own == null && BINARIES.matcher(name).matches() ? resources.getResource(name) : own;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> own = super.getResources(name);
            if (!BINARIES.matcher(name).matches() || own.hasMoreElements()) {
                return own;
            }
            return resources.getResources(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            URL url = getResource(name);
            try {
                return url == null ? null : url.openStream();
            } catch (IOException e) {
                return null;
            }
        }

        static {
            ClassLoader.registerAsParallelCapable();
        }
    }
}
