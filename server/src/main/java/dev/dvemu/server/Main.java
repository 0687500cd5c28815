package dev.dvemu.server;

import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.db.SchemaCheck;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.execution.PluginRegistrationException;
import dev.dvemu.server.metadata.MetadataException;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.schemaimport.ImportCommand;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Command line: {@code serve} (the default) starts the emulator; {@code ddl} prints the DDL metadata needs ({@code
 * ddl --changes}: the migration that makes a database match it);
 * {@code health} asks a running server's {@code /health} (a container's HEALTHCHECK, where there may be no curl).
 * Exit status: 0 done, 1 could not start (or lost its database, or is not healthy), 2 a usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** {@code env} stands for the environment; {@code out} and {@code err} for standard output and error. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("import")) {
            // its own options (--csdl, --out, ...), none of the server's
            return ImportCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        ConfigParser.Parsed parsed;
        boolean changes = DdlChanges.hasFlag(args);
        try {
            parsed = ConfigParser.parse(DdlChanges.withoutFlag(args), env);
        } catch (ConfigParser.UsageException e) {
            err.println("dvemu: " + e.getMessage());
            return 2;
        }
        if (parsed.help()) {
            out.print(ConfigParser.usage());
            return 0;
        }
        if (parsed.version()) {
            out.println("dvemu " + version());
            return 0;
        }
        List<String> words = parsed.words();
        String command = words.isEmpty() ? "serve" : words.get(0);
        if (changes && !command.equals("ddl")) {
            err.println("dvemu: " + DdlChanges.FLAG + " is an option of the ddl command\n\n" + ConfigParser.usage());
            return 2;
        }
        try {
            return switch (command) {
                case "serve" -> serve(parsed.config(), out, err);
                case "ddl" -> changes ? DdlChanges.run(parsed.config(), words.subList(1, words.size()), out, err)
                        : ddl(parsed.config(), words.subList(1, words.size()), out);
                case "health" -> health(parsed.config(), out);
                default -> {
                    err.println("dvemu: unknown command '" + command + "'\n\n" + ConfigParser.usage());
                    yield 2;
                }
            };
        } catch (MetadataException | SchemaCheck.SchemaMismatchException | PluginRegistrationException e) {
            err.println("dvemu: " + e.getMessage());
            return 1;
        }
    }

    /** The jar manifest's {@code Implementation-Version}, or (run from classes) the one the build wrote. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : ServerVersion.get();
    }

    private static int ddl(ServerConfig config, List<String> tables, PrintStream out) {
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
        out.print(new DdlGenerator().generate(catalog, chosen));
        return 0;
    }

    /**
     * {@code GET /health} of the server that {@code --port}/{@code DVEMU_PORT} and {@code --bind}/{@code DVEMU_BIND}
     * describe (a wildcard bind is asked on 127.0.0.1): exit 0 on 200, 1 otherwise, one line of output either way.
     * Only 0 and 1, as a container's HEALTHCHECK takes them.
     */
    private static int health(ServerConfig config, PrintStream out) {
        if (config.port() == 0) {
            out.println("dvemu health: needs the server's port (--port or DVEMU_PORT), not 0");
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
            out.println("dvemu health: " + url + " " + status + " " + body.replaceAll("\\s+", " ").trim());
            return status == 200 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            out.println("dvemu health: " + url + " unreachable: " + e);
            return 1;
        }
    }

    /**
     * Starts the server and waits for it to stop. The log goes through {@link LogOutput} (standard error or
     * {@code --log-file}), so requests never wait for it; the start-up lines and a failure to start go to
     * {@code out} and {@code err} themselves.
     */
    private static int serve(ServerConfig config, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        config.portFile().ifPresent(Main::deleteQuietly); // a file left by an earlier run must not be taken for this one
        LogOutput log;
        try {
            log = LogOutput.open(config.logFile());
        } catch (IOException e) {
            err.println("dvemu: cannot write the log file " + config.logFile().orElseThrow() + ": " + StartupFailure.oneLine(e));
            return 1;
        }
        PrintStream previousErr = System.err;
        System.setErr(log.stream());
        try {
            return serve(config, out, err, log, start);
        } finally {
            log.close();
            System.setErr(previousErr);
        }
    }

    private static int serve(ServerConfig config, PrintStream out, PrintStream err, LogOutput log, long start) {
        DvemuServer server;
        try {
            server = DvemuServer.start(config);
        } catch (MetadataException | SchemaCheck.SchemaMismatchException | PluginRegistrationException e) {
            log.flush(Duration.ofSeconds(2));
            throw e;
        } catch (Exception e) {
            log.flush(Duration.ofSeconds(2)); // the log lines of the failed start come before the reason
            err.println("dvemu: cannot start: " + StartupFailure.describe(e, config));
            return 1;
        }
        URI url = server.baseUri();
        try {
            config.portFile().ifPresent(f -> writeAtomically(f, url + "\n"));
        } catch (UncheckedIOException e) {
            err.println("dvemu: cannot start: cannot write --port-file " + config.portFile().orElseThrow() + ": "
                    + StartupFailure.oneLine(e));
            closeQuietly(server);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeQuietly(server);
            config.portFile().ifPresent(Main::deleteQuietly);
            log.flush(Duration.ofSeconds(2)); // the last lines, if the output is read
        }, "dvemu-shutdown"));
        // the embedded PostgreSQL died and could not be restarted: exit non-zero, so a supervisor can restart us
        AtomicReference<String> lost = new AtomicReference<>();
        server.whenDatabaseLost(reason -> {
            lost.set(reason);
            err.println("dvemu: exiting: " + reason);
            closeQuietly(server);
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        out.println("dvemu serving " + url + " (" + (config.embeddedDatabase()
                ? "embedded PostgreSQL in " + (config.ephemeral() ? "a throwaway directory" : config.dataDir().toString())
                : "external PostgreSQL") + ") - started in " + ms + " ms");
        // for tools: one line, the URL after the first '='
        out.println(URL_PREFIX + url);
        out.flush();
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        config.portFile().ifPresent(Main::deleteQuietly);
        return lost.get() == null ? 0 : 1;
    }

    /** The machine-readable start-up line is this followed by the Web API URL. */
    static final String URL_PREFIX = "DVEMU_URL=";

    private static void closeQuietly(DvemuServer server) {
        try {
            server.close();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }

    /** Written to a file beside it and moved into place, so a reader never sees a part of it. */
    static void writeAtomically(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a tool polling for it would find a stale file; nothing better to do
        }
    }
}
