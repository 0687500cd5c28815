package dev.dvemu.server.support;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSource;
import io.restassured.specification.RequestSpecification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second server for tests that need tables of their own: the table definitions written to a temporary metadata
 * directory, their migration generated from them (plus any SQL a test adds, as a user's own migration would), on a
 * fresh database of the shared embedded PostgreSQL, dropped on close.
 */
public final class MetadataServer implements AutoCloseable {
    private static final Pattern JDBC = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private final DvemuServer server;
    private final String database;

    private MetadataServer(DvemuServer server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * @param tables   file name (without .json) to table definition JSON
     * @param extraSql SQL run after the generated DDL in the same migration (constraints, triggers), or ""
     */
    public static MetadataServer start(Map<String, String> tables, String extraSql) throws Exception {
        Path dir = Files.createTempDirectory("dvemu-metadata-");
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("migrations"));
        for (Map.Entry<String, String> t : tables.entrySet()) {
            Files.writeString(dir.resolve("tables/" + t.getKey() + ".json"), t.getValue());
        }
        Catalog catalog = MetadataSource.directory(dir).load();
        Files.writeString(dir.resolve("migrations/V1__tables.sql"),
                new DdlGenerator().generate(catalog, catalog.tables()) + "\n" + extraSql);
        Matcher m = JDBC.matcher(TestServer.get().jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("unexpected JDBC URL " + TestServer.get().jdbcUrl());
        }
        String database = "metadata_" + UUID.randomUUID().toString().replace("-", "");
        admin("CREATE DATABASE " + database);
        return new MetadataServer(DvemuServer.start(TestServer.baseConfig().withMetadataDir(dir)
                .withDatabase(m.group(1) + database + m.group(3), "postgres", null)), database);
    }

    public DvemuServer server() {
        return server;
    }

    /** A request with the headers Dataverse clients send, against this server. */
    public RequestSpecification api() {
        return TestServer.api(server);
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServer.get().jdbcUrl(), "postgres", null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
