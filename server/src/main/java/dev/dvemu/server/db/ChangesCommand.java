package dev.dvemu.server.db;

import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataSource;
import dev.dvemu.server.metadata.MetadataSources;
import dev.dvemu.server.metadata.TableDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the start-up check tells to run when the database differs: {@code java -jar dvemu-server.jar ddl --changes}
 * with this server's metadata sources and database options (never a password), writing into the next free migration
 * of the metadata directory whose tables differ. Differences in several directories get one command each, limited to
 * that directory's tables (each directory has its own migrations).
 */
public final class ChangesCommand {
    private static final Pattern VERSION = Pattern.compile("V(\\d+)(?:[._]\\d+)*__.*\\.sql");
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./,:=@+-]+");

    private ChangesCommand() {
    }

    /** The end of the check's message for {@code differences}. */
    public static String hint(ServerConfig config, MetadataSources sources, Catalog catalog, List<SchemaDifference> differences) {
        Map<String, MetadataSource> owner = new LinkedHashMap<>();
        for (MetadataSource s : sources.sources()) {
            for (TableDef t : sources.tablesOf(s, catalog)) {
                owner.put(t.logicalName(), s);
            }
        }
        Map<MetadataSource, Set<String>> bySource = new LinkedHashMap<>();
        boolean serverOwn = false;
        for (SchemaDifference d : differences) {
            Optional<MetadataSource> s = d.table().map(owner::get);
            if (s.isPresent() && !s.get().isBuiltIn()) {
                bySource.computeIfAbsent(s.get(), k -> new LinkedHashSet<>()).add(d.table().orElseThrow());
            } else {
                serverOwn = true;
            }
        }
        String base = base(config);
        StringBuilder sb = new StringBuilder("Write the migration that makes the database match, review it, then start again:");
        for (Map.Entry<MetadataSource, Set<String>> e : bySource.entrySet()) {
            Path dir = e.getKey().tablesDir().getParent();
            sb.append("\n  ").append(base);
            if (bySource.size() > 1) {
                e.getValue().forEach(t -> sb.append(' ').append(t));
            }
            sb.append(" > ").append(quote(shown(nextMigration(dir.resolve("migrations")))));
        }
        if (serverOwn) {
            sb.append(bySource.isEmpty() ? "" : "\nand").append("\n  the built-in tables (or the server's own objects) differ from what the"
                    + " server's migrations made: was the database changed by hand? To list the statements that put them right:\n  ")
                    .append(base);
        }
        if (config.dbPassword().isPresent()) {
            sb.append("\n(with the password in DVEMU_DB_PASSWORD)");
        }
        return sb.toString();
    }

    /** {@code java -jar dvemu-server.jar ddl --changes} with the metadata sources and database options of {@code config}. */
    static String base(ServerConfig config) {
        List<String> words = new ArrayList<>(List.of("java", "-jar", "dvemu-server.jar", "ddl", "--changes", "--metadata"));
        words.add(quote(String.join(",", config.metadata().stream()
                .map(m -> m.equals(ServerConfig.BUILTIN_METADATA) ? m : shown(Path.of(m))).toList())));
        if (config.dbUrl().isPresent()) {
            words.add("--db-url");
            words.add(quote(withoutPassword(config.dbUrl().get())));
            config.dbUser().ifPresent(u -> {
                words.add("--db-user");
                words.add(quote(u));
            });
        } else if (config.ephemeral()) {
            words.add("--ephemeral");
        } else {
            words.add("--data-dir");
            words.add(quote(shown(config.dataDir())));
        }
        return String.join(" ", words);
    }

    /** The next free {@code V<n>__changes.sql} of a migrations directory (V1 when it has none). */
    static Path nextMigration(Path migrations) {
        int highest = 0;
        if (Files.isDirectory(migrations)) {
            try (Stream<Path> files = Files.list(migrations)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = VERSION.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        highest = Math.max(highest, Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // V1 then: the user sees the directory's contents when saving
            }
        }
        return migrations.resolve("V" + (highest + 1) + "__changes.sql");
    }

    /** A password in the URL's parameters (or as user information) is left out. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&])password=[^&]*&?", "$1").replaceAll("[?&]$", "").replaceAll("//[^/@?]*@", "//");
    }

    /** Relative to the working directory ({@code ./...}) when inside it, as a person would type it. */
    private static String shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? "./" + cwd.relativize(abs) : abs.toString();
    }

    private static String quote(String word) {
        return SAFE_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
