package dev.dvemu.server;

import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataException;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.server.metadata.TableDef;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Command line: {@code serve} (the default) starts the emulator; {@code ddl} prints the DDL metadata needs;
 * {@code health} asks a running server's {@code /health} (a container's HEALTHCHECK, where there may be no curl).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        ConfigParser.Parsed parsed;
        try {
            parsed = ConfigParser.parse(args, System.getenv());
        } catch (ConfigParser.UsageException e) {
            System.err.println("dvemu: " + e.getMessage());
            return 2;
        }
        if (parsed.help()) {
            System.out.print(ConfigParser.usage());
            return 0;
        }
        List<String> words = parsed.words();
        String command = words.isEmpty() ? "serve" : words.get(0);
        try {
            return switch (command) {
                case "serve" -> serve(parsed.config());
                case "ddl" -> ddl(parsed.config(), words.subList(1, words.size()));
                case "health" -> health(parsed.config());
                default -> {
                    System.err.println("dvemu: unknown command '" + command + "'\n\n" + ConfigParser.usage());
                    yield 2;
                }
            };
        } catch (MetadataException | SchemaCheck.SchemaMismatchException e) {
            System.err.println("dvemu: " + e.getMessage());
            return 1;
        }
    }

    private static int ddl(ServerConfig config, List<String> tables) {
        Catalog catalog = MetadataSource.of(config.metadataDir()).load();
        List<TableDef> chosen = new ArrayList<>();
        if (tables.isEmpty()) {
            chosen.addAll(catalog.tables());
        } else {
            for (String name : tables) {
                chosen.add(catalog.require(name));
            }
        }
        System.out.print(new DdlGenerator().generate(catalog, chosen));
        return 0;
    }

    /**
     * {@code GET /health} of the server that {@code --port}/{@code DVEMU_PORT} and {@code --bind}/{@code DVEMU_BIND}
     * describe (a wildcard bind is asked on 127.0.0.1): exit 0 on 200, 1 otherwise, one line of output either way.
     * Only 0 and 1, as a container's HEALTHCHECK takes them.
     */
    private static int health(ServerConfig config) {
        if (config.port() == 0) {
            System.out.println("dvemu health: needs the server's port (--port or DVEMU_PORT), not 0");
            return 1;
        }
        String bind = config.bind();
        String host = switch (bind) {
            case "0.0.0.0", "::", "[::]", "" -> "127.0.0.1";
            default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        };
        String url = "http://" + host + ":" + config.port() + "/health";
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(5_000);
            int status = c.getResponseCode();
            String body;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? "" : new String(in.readNBytes(300), StandardCharsets.UTF_8);
            }
            System.out.println("dvemu health: " + url + " " + status + " " + body.replaceAll("\\s+", " ").trim());
            return status == 200 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            System.out.println("dvemu health: " + url + " unreachable: " + e);
            return 1;
        }
    }

    private static int serve(ServerConfig config) {
        long start = System.nanoTime();
        DvemuServer server;
        try {
            server = DvemuServer.start(config);
        } catch (MetadataException | SchemaCheck.SchemaMismatchException e) {
            throw e;
        } catch (Exception e) {
            System.err.println("dvemu: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }, "dvemu-shutdown"));
        // the embedded PostgreSQL died and could not be restarted: exit non-zero, so a supervisor can restart us
        AtomicReference<String> lost = new AtomicReference<>();
        server.whenDatabaseLost(reason -> {
            lost.set(reason);
            System.err.println("dvemu: exiting: " + reason);
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("dvemu serving " + server.baseUri() + " (" + (config.embeddedDatabase()
                ? "embedded PostgreSQL in " + (config.ephemeral() ? "a throwaway directory" : config.dataDir().toString())
                : "external PostgreSQL") + ") - started in " + ms + " ms");
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lost.get() == null ? 0 : 1;
    }
}
