package dev.dvemu.server;

import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.EmbeddedDatabase;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Starts the emulator from code that must not see the server's classes: the testkit calls these methods reflectively,
 * possibly from another class loader, so they take and return only {@code java.*} types. Environment variables are
 * not read: what the caller passes is what it gets.
 */
public final class Embedded {
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    static {
        // the pool finds the driver through DriverManager, which only sees drivers already loaded: in an isolated
        // class loader nothing has loaded it yet
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Embedded() {
    }

    /**
     * Starts a server with these command-line flags (as {@code java -jar dvemu-server.jar serve} takes them) and
     * returns once it serves: {@code baseUrl} (String, {@code http://host:port}), {@code apiUrl} (String, the Web API
     * root ending in {@code /}), {@code port} (Integer), {@code jdbcUrl} (String), {@code version} (String) and
     * {@code close} (an {@link AutoCloseable} that stops it).
     */
    public static Map<String, Object> start(String[] args) throws Exception {
        return start(args, java.util.List.of());
    }

    /**
     * As {@link #start(String[])}, with plug-in packages ({@code dev.dvemu.plugin.PluginPackage} instances of the
     * plug-in API this server's class loader sees) registered besides any in {@code --plugins}.
     */
    public static Map<String, Object> start(String[] args, java.util.List<?> pluginPackages) throws Exception {
        ServerConfig config = parse(args);
        DvemuServer server = DvemuServer.start(config, pluginPackages);
        Map<String, Object> out = new LinkedHashMap<>();
        URI api = server.baseUri();
        out.put("baseUrl", api.getScheme() + "://" + api.getRawAuthority());
        out.put("apiUrl", api.toString());
        out.put("port", server.port());
        out.put("jdbcUrl", server.jdbcUrl());
        out.put("version", version());
        out.put("close", (AutoCloseable) server::close);
        return out;
    }

    /**
     * Starts only an embedded PostgreSQL (flags as for {@link #start}: {@code --ephemeral}, {@code --data-dir}), for
     * several servers to share, each on a database of its own ({@link #createDatabase}): {@code jdbcUrl} (String, of
     * its {@code postgres} database), {@code user} (String) and {@code close} (an {@link AutoCloseable}).
     */
    public static Map<String, Object> startDatabase(String[] args) {
        EmbeddedDatabase db = EmbeddedDatabase.start(parse(args));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jdbcUrl", db.jdbcUrl());
        out.put("user", "postgres");
        out.put("close", (AutoCloseable) db::close);
        return out;
    }

    /**
     * Creates the database {@code name} (lower-case letters, digits, {@code _}) in the PostgreSQL that
     * {@code jdbcUrl} points to, unless it exists, and returns the JDBC URL of it.
     */
    public static String createDatabase(String jdbcUrl, String user, String password, String name) throws SQLException {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a database name is lower-case letters, digits and _, not '" + name + "'");
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = new org.postgresql.Driver().connect(jdbcUrl, props)) {
            if (c == null) {
                throw new SQLException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement st = c.createStatement()) {
                    st.execute("create database \"" + name + "\"");
                } catch (SQLException e) {
                    // another JVM or thread created it meanwhile
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
        return withDatabase(jdbcUrl, name);
    }

    /** {@code jdbc:postgresql://host:port/db?params} with another database name. */
    static String withDatabase(String jdbcUrl, String name) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + jdbcUrl);
        }
        int query = jdbcUrl.indexOf('?');
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        String hostAndDb = query < 0 ? jdbcUrl.substring(prefix.length()) : jdbcUrl.substring(prefix.length(), query);
        int slash = hostAndDb.indexOf('/');
        String host = slash < 0 ? hostAndDb : hostAndDb.substring(0, slash);
        return prefix + host + "/" + name + params;
    }

    /** The server's version. */
    public static String version() {
        return ServerVersion.get();
    }

    private static ServerConfig parse(String[] args) {
        try {
            return ConfigParser.parse(args, Map.of()).config();
        } catch (ConfigParser.UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
