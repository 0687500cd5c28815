package dev.dvemu.server.admin;

import dev.dvemu.server.ServerVersion;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.SqlFailures;
import jakarta.servlet.http.HttpServletRequest;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /_dvemu/info}: what this server is and serves: its version, the Web API URL, the tables, the database
 * (embedded or external, its JDBC URL without a password, PostgreSQL's version), every setting but secrets, and the
 * admin resources.
 */
public final class InfoResource implements AdminResource {
    private final ServerConfig config;
    private final Catalog catalog;
    private final DataSource dataSource;
    private final String jdbcUrl;
    private final Supplier<List<String>> adminNames;

    public InfoResource(ServerConfig config, Catalog catalog, DataSource dataSource, String jdbcUrl, Supplier<List<String>> adminNames) {
        this.config = config;
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.adminNames = adminNames;
    }

    @Override
    public String name() {
        return "info";
    }

    @Override
    public void handle(AdminExchange exchange) throws IOException {
        if (!exchange.segments().isEmpty()) {
            throw exchange.unknownPath();
        }
        exchange.allow("GET");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", ServerVersion.get());
        body.put("apiUrl", apiUrl(exchange.servletRequest()));
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("logicalName", t.logicalName());
            m.put("entitySetName", t.entitySetName());
            tables.add(m);
        }
        body.put("tables", tables);
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("mode", config.embeddedDatabase() ? "embedded" : "external");
        database.put("url", withoutPassword(jdbcUrl));
        database.put("postgres", postgresVersion());
        body.put("database", database);
        body.put("settings", settings(config));
        body.put("admin", adminNames.get());
        exchange.respond(200, body);
    }

    private String apiUrl(HttpServletRequest req) {
        if (config.publicUrl().isPresent()) {
            String p = config.publicUrl().get().toString();
            return (p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + ServerConfig.BASE_PATH + "/";
        }
        StringBuffer url = req.getRequestURL();
        String s = url.toString();
        int path = s.indexOf(AdminServlet.PATH + "/");
        return (path < 0 ? s : s.substring(0, path)) + ServerConfig.BASE_PATH + "/";
    }

    private String postgresVersion() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, SqlFailures.Outcome.ROLLED_BACK);
        }
    }

    /** A JDBC URL with any {@code password=} parameter (and user-info password) taken out. */
    static String withoutPassword(String url) {
        String s = url.replaceAll("(?i)([?&;])password=[^&;]*[&;]?", "$1");
        s = s.replaceAll("[?&;]$", "");
        return s.replaceAll("//([^/@:]+):[^/@]*@", "//$1@");
    }

    /** Every setting of {@link ServerConfig}, by its name, but secrets (a password) and with the URL cleaned. */
    static Map<String, Object> settings(ServerConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : ServerConfig.class.getRecordComponents()) {
            if (rc.getName().toLowerCase(Locale.ROOT).contains("password") || rc.getName().toLowerCase(Locale.ROOT).contains("secret")
                    || rc.getName().toLowerCase(Locale.ROOT).contains("token")) {
                continue;
            }
            Object v = value(rc, config);
            if (rc.getName().equals("dbUrl") && v instanceof String url) {
                v = withoutPassword(url);
            }
            out.put(rc.getName(), v);
        }
        return out;
    }

    private static Object value(RecordComponent rc, Object record) {
        try {
            return plain(rc.getAccessor().invoke(record));
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    /** A setting's value as JSON can carry it. */
    private static Object plain(Object v) {
        if (v instanceof Optional<?> o) {
            return o.map(InfoResource::plain).orElse(null);
        }
        if (v instanceof Path || v instanceof URI || v instanceof Enum<?> || v instanceof java.time.Duration) {
            return v.toString();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(InfoResource::plain).toList();
        }
        if (v != null && v.getClass().isRecord()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                m.put(rc.getName(), value(rc, v));
            }
            return m;
        }
        return v;
    }
}
