package dev.dvemu.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the server is started with; built once by {@link ConfigParser} from command-line flags and
 * {@code DVEMU_*} environment variables (flags win), with defaults that run out of the box.
 *
 * @param dbUrl        an external PostgreSQL; empty means the embedded one
 * @param dataDir      where the embedded PostgreSQL keeps its files (ignored with an external database)
 * @param ephemeral    a throwaway embedded database, deleted on exit
 * @param metadataDir  a directory with {@code tables/} and {@code migrations/}; empty means the shipped tables
 * @param allowAnonymous accept requests without a bearer token (real Dataverse answers them 401)
 */
public record ServerConfig(
        int port,
        String bind,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        Path dataDir,
        boolean ephemeral,
        Optional<Path> metadataDir,
        int poolSize,
        boolean allowAnonymous) {

    public static final int DEFAULT_PORT = 5555;
    public static final String BASE_PATH = "/api/data/v9.2";

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(newPort, bind, dbUrl, dbUser, dbPassword, dataDir, ephemeral, metadataDir, poolSize, allowAnonymous);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(port, bind, Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password),
                dataDir, ephemeral, metadataDir, poolSize, allowAnonymous);
    }

    public ServerConfig withMetadataDir(Path dir) {
        return new ServerConfig(port, bind, dbUrl, dbUser, dbPassword, dataDir, ephemeral, Optional.of(dir), poolSize, allowAnonymous);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", db=" + dbUrl.orElse("embedded")
                + ", dataDir=" + dataDir + ", ephemeral=" + ephemeral + ", metadata=" + metadataDir.map(Path::toString).orElse("built-in")
                + ", poolSize=" + poolSize + ", allowAnonymous=" + allowAnonymous + "]";
    }
}
