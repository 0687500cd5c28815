package dev.dvemu.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server is started with; built once by {@link ConfigParser} from command-line flags and
 * {@code DVEMU_*} environment variables (flags win), with defaults that run out of the box.
 *
 * @param dbUrl        an external PostgreSQL; empty means the embedded one
 * @param dataDir      where the embedded PostgreSQL keeps its files (ignored with an external database)
 * @param ephemeral    a throwaway embedded database, deleted on exit
 * @param metadata     the metadata sources, in order: {@value #BUILTIN_METADATA} (the shipped tables) or the absolute
 *                     path of a directory with {@code tables/} and {@code migrations/}; never empty
 * @param allowAnonymous accept requests without a bearer token (real Dataverse answers them 401)
 * @param allowedHosts   Host names answered besides the loopback ones when bound to a loopback address; "*" is any
 * @param publicUrl      the externally visible base URL (scheme, host, port, path prefix) every link is written with
 * @param trustedProxies IPs and CIDRs whose Forwarded / X-Forwarded-* headers are believed
 * @param admin          serve the admin API under {@code /_dvemu/} (off with {@code --no-admin})
 * @param journalSize    how many entries the request journal keeps (the oldest are dropped first)
 * @param serviceProtection Dataverse's service protection limits, enforced per token; empty means off
 * @param logFile        write the log here instead of standard error
 * @param quiet          no per-request log lines (start-up and failures are still logged)
 * @param portFile       once serving, write the Web API URL to this file
 * @param plugins        directories whose jars hold plug-in packages (found with {@code ServiceLoader})
 */
public record ServerConfig(
        int port,
        String bind,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        Path dataDir,
        boolean ephemeral,
        List<String> metadata,
        int poolSize,
        boolean allowAnonymous,
        List<String> allowedHosts,
        Optional<URI> publicUrl,
        List<String> trustedProxies,
        boolean admin,
        int journalSize,
        Optional<ServiceProtection> serviceProtection,
        Optional<Path> logFile,
        boolean quiet,
        Optional<Path> portFile,
        List<Path> plugins) {

    public static final int DEFAULT_PORT = 5555;
    /** The word that names the shipped tables among the {@code --metadata} sources. */
    public static final String BUILTIN_METADATA = "builtin";
    /** The version advertised; {@link #API_PATHS} are all served alike. */
    public static final String BASE_PATH = "/api/data/v9.2";
    /** Clients and code generators hard-code v9.0 or v9.1 (dataverse-web-api.md §0); links echo the one used. */
    public static final List<String> API_PATHS = List.of("/api/data/v9.0", "/api/data/v9.1", BASE_PATH);

    public ServerConfig {
        metadata = metadata.isEmpty() ? List.of(BUILTIN_METADATA) : List.copyOf(metadata);
        allowedHosts = List.copyOf(allowedHosts);
        trustedProxies = List.copyOf(trustedProxies);
        plugins = List.copyOf(plugins);
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(newPort, bind, dbUrl, dbUser, dbPassword, dataDir, ephemeral, metadata, poolSize, allowAnonymous,
                allowedHosts, publicUrl, trustedProxies, admin, journalSize, serviceProtection, logFile, quiet, portFile, plugins);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(port, bind, Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password),
                dataDir, ephemeral, metadata, poolSize, allowAnonymous, allowedHosts, publicUrl, trustedProxies, admin, journalSize,
                serviceProtection, logFile, quiet, portFile, plugins);
    }

    public ServerConfig withMetadataDir(Path dir) {
        return withMetadata(List.of(dir.toAbsolutePath().toString()));
    }

    /** The metadata sources: {@value #BUILTIN_METADATA} or directory paths, in order. */
    public ServerConfig withMetadata(List<String> sources) {
        return new ServerConfig(port, bind, dbUrl, dbUser, dbPassword, dataDir, ephemeral, sources, poolSize, allowAnonymous,
                allowedHosts, publicUrl, trustedProxies, admin, journalSize, serviceProtection, logFile, quiet, portFile, plugins);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", db=" + dbUrl.orElse("embedded")
                + ", dataDir=" + dataDir + ", ephemeral=" + ephemeral + ", metadata=" + String.join(",", metadata)
                + ", poolSize=" + poolSize + ", allowAnonymous=" + allowAnonymous + ", allowedHosts=" + allowedHosts
                + ", publicUrl=" + publicUrl.map(URI::toString).orElse("none") + ", trustedProxies=" + trustedProxies
                + ", admin=" + admin + ", journalSize=" + journalSize + ", serviceProtection=" + serviceProtection.map(Object::toString).orElse("off")
                + ", logFile=" + logFile.map(Path::toString).orElse("stderr") + ", quiet=" + quiet
                + ", portFile=" + portFile.map(Path::toString).orElse("none") + ", plugins=" + plugins + "]";
    }
}
