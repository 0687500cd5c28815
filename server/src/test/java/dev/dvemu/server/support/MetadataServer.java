package dev.dvemu.server.support;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.testkit.Dvemu;
import io.restassured.specification.RequestSpecification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Table definitions written to a metadata directory with their migration generated from them (plus any SQL a test
 * adds, as a user's own migration would), for {@code DvemuConfig.metadata(...)}; and, for tests that need the
 * server object itself (a startup that must fail with the server's own exception, its database's history tables),
 * a server started in-process with any options on a fresh database of the testkit's embedded PostgreSQL, dropped on
 * close.
 */
public final class MetadataServer implements AutoCloseable {
    private static final Pattern JDBC = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private static Dvemu anchor;

    private final DvemuServer server;
    private final String database;

    private MetadataServer(DvemuServer server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * Writes a metadata directory: the table definitions and {@code migrations/V1__tables.sql} generated from them
     * plus {@code extraSql}.
     */
    public static Path writeTables(Path dir, Map<String, String> tables, String extraSql) throws Exception {
        return writeTables(dir, tables, extraSql, false);
    }

    /** As above; with {@code besideBuiltIn} the tables' lookups may target the built-in tables. */
    public static Path writeTables(Path dir, Map<String, String> tables, String extraSql, boolean besideBuiltIn) throws Exception {
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("migrations"));
        for (Map.Entry<String, String> t : tables.entrySet()) {
            Files.writeString(dir.resolve("tables/" + t.getKey() + ".json"), t.getValue());
        }
        MetadataSources sources = MetadataSources.of(besideBuiltIn ? List.of("builtin", dir.toString()) : List.of(dir.toString()));
        Catalog catalog = sources.load();
        Files.writeString(dir.resolve("migrations/V1__tables.sql"), new DdlGenerator().generate(catalog,
                sources.tablesOf(sources.sources().get(sources.sources().size() - 1), catalog)) + "\n" + extraSql);
        return dir;
    }

    /**
     * A server started with {@code options} (e.g. {@code --metadata builtin,DIR}, {@code --no-admin}; without
     * {@code --metadata} the built-in tables) on a fresh database of the shared embedded PostgreSQL, dropped on close:
     * for tests that must not share rows with others, such as those that reset the database.
     */
    public static MetadataServer startWith(String... options) throws Exception {
        String database = "metadata_" + UUID.randomUUID().toString().replace("-", "");
        admin("CREATE DATABASE " + database);
        try {
            return new MetadataServer(startOn(database, options), database);
        } catch (Exception | Error e) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            throw e;
        }
    }

    private static DvemuServer startOn(String database, String... options) throws Exception {
        Matcher m = JDBC.matcher(clusterUrl());
        if (!m.matches()) {
            throw new IllegalStateException("unexpected JDBC URL " + clusterUrl());
        }
        String[] args = new String[options.length + 3];
        args[0] = "--ephemeral";
        args[1] = "--port";
        args[2] = "0";
        System.arraycopy(options, 0, args, 3, options.length);
        return DvemuServer.start(ConfigParser.parse(args, Map.of()).config()
                .withDatabase(m.group(1) + database + m.group(3), "postgres", null));
    }

    /** An admin API request ({@code /_dvemu/...}) with a bearer token, against this server. */
    public RequestSpecification admin() {
        return adminOf(server);
    }

    public static RequestSpecification adminOf(DvemuServer target) {
        return io.restassured.RestAssured.given()
                .baseUri("http://" + RawHttp.hostOf(target))
                .header("Authorization", "Bearer test-token")
                .contentType("application/json");
    }

    public DvemuServer server() {
        return server;
    }

    /** A request with the headers Dataverse clients send, against this server. */
    public RequestSpecification api() {
        return Api.given(server);
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /**
     * A database URL of the testkit's embedded PostgreSQL, the cluster these servers' databases are made in: that of
     * an emulator started for this purpose (the testkit makes the cluster with its first emulator).
     */
    private static synchronized String clusterUrl() {
        if (anchor == null) {
            anchor = Dvemu.start();
        }
        return anchor.jdbcUrl();
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(clusterUrl(), "postgres", null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
