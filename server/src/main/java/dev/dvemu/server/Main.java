package dev.dvemu.server;

import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataException;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.server.metadata.TableDef;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Command line: {@code serve} (the default) starts the emulator; {@code ddl} prints the DDL metadata needs. */
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
        MetadataSources sources = MetadataSources.of(config.metadata());
        Catalog catalog = sources.load();
        List<TableDef> chosen = new ArrayList<>();
        if (tables.isEmpty()) {
            // the tables of the user's sources: those of builtin are created by its own migrations already
            for (MetadataSource source : sources.sources()) {
                if (!source.isBuiltIn() || sources.sources().size() == 1) {
                    chosen.addAll(sources.tablesOf(source, catalog));
                }
            }
        } else {
            for (String name : tables) {
                chosen.add(catalog.require(name));
            }
        }
        System.out.print(new DdlGenerator().generate(catalog, chosen));
        return 0;
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
