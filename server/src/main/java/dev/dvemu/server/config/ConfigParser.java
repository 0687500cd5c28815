package dev.dvemu.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@link ServerConfig} from flags ({@code --port 5555} or {@code --port=5555}) and environment variables
 * ({@code DVEMU_PORT}); a flag wins over its variable. Words that are not flags are returned as the command.
 */
public final class ConfigParser {
    /**
     * Few connections serve more requests than many: each PostgreSQL backend is a process, and past a couple per
     * core they cost CPU in switching and cold caches that the database's own work then lacks (measured on 2 cores:
     * 8 connections gave more throughput at 32 clients than 16, 32 or 4).
     */
    static final int DEFAULT_POOL_SIZE = Math.max(8, 2 * Runtime.getRuntime().availableProcessors() + 2);

    /** A flag the server does not know, or a value of the wrong form. */
    public static final class UsageException extends RuntimeException {
        private final String option;

        public UsageException(String message) {
            this(null, message);
        }

        /** About the value of {@code option}; the message starts with the option's name. */
        public UsageException(String option, String message) {
            super(message);
            this.option = option;
        }
    }

    private record Option(String flag, String env, boolean takesValue, String help) {
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--port", "DVEMU_PORT", true, "HTTP port (default 5555; 0 picks a free port)"),
            new Option("--bind", "DVEMU_BIND", true, "address to listen on (default 127.0.0.1)"),
            new Option("--db-url", "DVEMU_DB_URL", true, "JDBC URL of an external PostgreSQL (default: embedded PostgreSQL)"),
            new Option("--db-user", "DVEMU_DB_USER", true, "user for --db-url"),
            new Option("--db-password", "DVEMU_DB_PASSWORD", true, "password for --db-url"),
            new Option("--data-dir", "DVEMU_DATA_DIR", true, "where the embedded PostgreSQL keeps its files (default ./.dvemu/pgdata)"),
            new Option("--ephemeral", "DVEMU_EPHEMERAL", false, "use a throwaway embedded database, deleted on exit"),
            new Option("--metadata", "DVEMU_METADATA", true, "directories with tables/*.json and migrations/, comma-separated; 'builtin' names the shipped tables (default: builtin; 'builtin,DIR' adds DIR's tables to them)"),
            new Option("--pool-size", "DVEMU_POOL_SIZE", true, "database connections (default " + DEFAULT_POOL_SIZE + ": 2 per core + 2, at least 8)"),
            new Option("--allow-anonymous", "DVEMU_ALLOW_ANONYMOUS", false, "accept requests without 'Authorization: Bearer <token>'"),
            new Option("--allowed-hosts", "DVEMU_ALLOWED_HOSTS", true, "Host names answered besides localhost when bound to loopback (a,b; * for any)"),
            new Option("--public-url", "DVEMU_PUBLIC_URL", true, "the URL clients reach the server at, for links (e.g. https://dv.example.com/prefix/)"),
            new Option("--trusted-proxies", "DVEMU_TRUSTED_PROXIES", true, "IPs or CIDRs whose Forwarded / X-Forwarded-* headers are believed (default none)"),
            new Option("--no-admin", "DVEMU_NO_ADMIN", false, "do not serve the admin API under /_dvemu/ (reset, snapshots, journal, faults)"),
            new Option("--journal-size", "DVEMU_JOURNAL_SIZE", true, "entries the request journal keeps, oldest dropped first (default 10000)"),
            new Option("--service-protection", "DVEMU_SERVICE_PROTECTION", false, "answer 429 past Dataverse's service protection limits, per token"),
            new Option("--sp-requests", "DVEMU_SP_REQUESTS", true, "service protection: requests per window (default 6000)"),
            new Option("--sp-window", "DVEMU_SP_WINDOW", true, "service protection: the sliding window in seconds (default 300)"),
            new Option("--sp-execution-time", "DVEMU_SP_EXECUTION_TIME", true, "service protection: combined execution seconds per window (default 1200)"),
            new Option("--sp-concurrent", "DVEMU_SP_CONCURRENT", true, "service protection: requests at the same time (default 52)"),
            new Option("--log-file", "DVEMU_LOG_FILE", true, "write the log to this file instead of standard error"),
            new Option("--quiet", "DVEMU_QUIET", false, "no per-request log lines"),
            new Option("--port-file", "DVEMU_PORT_FILE", true, "once serving, write the Web API URL to this file"),
            new Option("--plugins", "DVEMU_PLUGINS", true, "directories of plug-in jars, comma-separated: their PluginPackage services register steps"),
            new Option("--version", null, false, "print the version"),
            new Option("--help", null, false, "print this help (also -h)"));

    /** The parsed configuration and the remaining words (the command and its arguments). */
    public record Parsed(ServerConfig config, List<String> words, boolean help, boolean version) {
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar dvemu-server.jar [serve] [options]\n");
        sb.append("       java -jar dvemu-server.jar ddl [--metadata DIR,...] [TABLE...]   print the DDL the table definitions need\n");
        sb.append("       java -jar dvemu-server.jar import --csdl FILE --out DIR [--tables a,b] [--prefix p_] [--follow-lookups]   an org's $metadata as table definitions (import --help)\n");
        sb.append("       java -jar dvemu-server.jar ddl --changes [--metadata DIR,...] [database options] [TABLE...]   print the migration that makes the database match them\n");
        sb.append("       java -jar dvemu-server.jar health [--port N] [--bind ADDR]   GET /health of a running server: exit 0 on 200, else 1\n\n");
        sb.append("Options (each also as an environment variable):\n");
        for (Option o : OPTIONS) {
            String left = o.flag() + (o.takesValue() ? " VALUE" : "");
            sb.append(String.format("  %-24s %-24s %s%n", left, o.env() == null ? "" : o.env(), o.help()));
        }
        return sb.toString();
    }

    public static Parsed parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> fromEnv = new HashMap<>(); // option -> the variable its value came from
        for (Option o : OPTIONS) {
            if (o.env() != null && env.get(o.env()) != null && !env.get(o.env()).isEmpty()) {
                values.put(o.flag(), env.get(o.env()));
                fromEnv.put(o.flag(), o.env());
            }
        }
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h")) {
                values.put("--help", "true");
                continue;
            }
            if (!a.startsWith("--")) {
                words.add(a);
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            Option o = OPTIONS.stream().filter(x -> x.flag().equals(name)).findFirst()
                    .orElseThrow(() -> new UsageException("unknown option " + name + "\n\n" + usage()));
            fromEnv.remove(name);
            if (o.takesValue()) {
                String v;
                if (a.contains("=")) {
                    v = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    throw new UsageException(name + " needs a value");
                }
                values.put(name, v);
            } else {
                values.put(name, a.contains("=") ? a.substring(a.indexOf('=') + 1) : "true");
            }
        }
        try {
            return new Parsed(config(values, fromEnv), words, flag(values, "--help"), flag(values, "--version"));
        } catch (UsageException e) {
            // a bad value from the environment is named as the variable it came from
            String variable = e.option == null ? null : fromEnv.get(e.option);
            if (variable != null && e.getMessage().startsWith(e.option)) {
                throw new UsageException(e.option, variable + e.getMessage().substring(e.option.length()));
            }
            throw e;
        }
    }

    private static ServerConfig config(Map<String, String> values, Map<String, String> fromEnv) {
        if (flag(values, "--ephemeral") && values.containsKey("--data-dir")) {
            throw new UsageException(label(fromEnv, "--ephemeral") + " and " + label(fromEnv, "--data-dir")
                    + " exclude each other: --ephemeral uses a throwaway directory. Give one of them.");
        }
        return new ServerConfig(
                intValue(values, "--port", ServerConfig.DEFAULT_PORT, 0, 65535),
                values.getOrDefault("--bind", "127.0.0.1"),
                Optional.ofNullable(values.get("--db-url")).map(ConfigParser::jdbcUrl),
                Optional.ofNullable(values.get("--db-user")),
                Optional.ofNullable(values.get("--db-password")),
                Path.of(values.getOrDefault("--data-dir", ".dvemu/pgdata")).toAbsolutePath(),
                flag(values, "--ephemeral"),
                metadataSources(values.get("--metadata")),
                intValue(values, "--pool-size", DEFAULT_POOL_SIZE, 1, 1000),
                flag(values, "--allow-anonymous"),
                list(values, "--allowed-hosts"),
                Optional.ofNullable(values.get("--public-url")).map(ConfigParser::publicUrl),
                list(values, "--trusted-proxies").stream().map(ConfigParser::address).toList(),
                !flag(values, "--no-admin"),
                intValue(values, "--journal-size", 10_000, 0, 10_000_000),
                serviceProtection(values),
                Optional.ofNullable(values.get("--log-file")).map(p -> Path.of(p).toAbsolutePath()),
                flag(values, "--quiet"),
                Optional.ofNullable(values.get("--port-file")).map(p -> Path.of(p).toAbsolutePath()),
                pluginDirectories(values.get("--plugins")));
    }

    private static String label(Map<String, String> fromEnv, String option) {
        return fromEnv.getOrDefault(option, option);
    }

    /**
     * A JDBC URL of PostgreSQL. A {@code postgres://} URL (libpq's form) is refused with the JDBC URL to use; the
     * value itself is never repeated, since it may hold a password.
     */
    static String jdbcUrl(String v) {
        String url = v.trim();
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        String example = "jdbc:postgresql://host:port/db";
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            try {
                URI u = new URI(url);
                if (u.getHost() != null) {
                    example = "jdbc:postgresql://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                            + (u.getRawPath() == null ? "" : u.getRawPath());
                }
            } catch (URISyntaxException e) {
                // the general form then
            }
            throw new UsageException("--db-url", "--db-url takes a JDBC URL, not a postgres:// one: use " + example
                    + " (user and password go in --db-user and --db-password)");
        }
        throw new UsageException("--db-url", "--db-url takes a JDBC URL of PostgreSQL: " + example);
    }

    /** {@code --metadata a,b}: each "builtin" or a directory (made absolute); absent means the built-in tables. */
    private static List<String> metadataSources(String value) {
        if (value == null) {
            return List.of(ServerConfig.BUILTIN_METADATA);
        }
        List<String> sources = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new UsageException("--metadata: an empty source in '" + value + "'; give directories and/or 'builtin', comma-separated");
            }
            sources.add(p.equals(ServerConfig.BUILTIN_METADATA) ? p : Path.of(p).toAbsolutePath().normalize().toString());
        }
        return sources;
    }

    /** {@code --plugins a,b}: directories (made absolute); each must exist, so a typo is caught at start-up. */
    private static List<Path> pluginDirectories(String value) {
        if (value == null) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new UsageException("--plugins: an empty directory in '" + value + "'; give directories, comma-separated");
            }
            Path dir = Path.of(p).toAbsolutePath().normalize();
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new UsageException("--plugins", "--plugins: " + dir + " is not a directory");
            }
            dirs.add(dir);
        }
        return dirs;
    }

    private static final List<String> SERVICE_PROTECTION_LIMITS =
            List.of("--sp-requests", "--sp-window", "--sp-execution-time", "--sp-concurrent");

    private static Optional<ServiceProtection> serviceProtection(Map<String, String> values) {
        if (!flag(values, "--service-protection")) {
            for (String limit : SERVICE_PROTECTION_LIMITS) {
                if (values.containsKey(limit)) {
                    throw new UsageException(limit, limit + " needs --service-protection (DVEMU_SERVICE_PROTECTION=true)");
                }
            }
            return Optional.empty();
        }
        ServiceProtection d = ServiceProtection.DATAVERSE;
        return Optional.of(new ServiceProtection(
                intValue(values, "--sp-requests", d.requests(), 1, 100_000_000),
                java.time.Duration.ofSeconds(intValue(values, "--sp-window", (int) d.window().toSeconds(), 1, 86_400)),
                java.time.Duration.ofSeconds(intValue(values, "--sp-execution-time", (int) d.executionTime().toSeconds(), 1, 86_400)),
                intValue(values, "--sp-concurrent", d.concurrent(), 1, 100_000)));
    }

    private static List<String> list(Map<String, String> values, String name) {
        String v = values.get(name);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** {@code scheme://host[:port][/prefix]}, without a trailing slash or a default port: links are this + the path. */
    static URI publicUrl(String v) {
        try {
            URI u = new URI(v.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawQuery() != null
                    || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new URISyntaxException(v, "not an http(s) URL with a host and no query");
            }
            int port = u.getPort() == (scheme.equals("https") ? 443 : 80) ? -1 : u.getPort();
            String prefix = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return URI.create(scheme + "://" + u.getHost() + (port < 0 ? "" : ":" + port) + prefix);
        } catch (URISyntaxException e) {
            throw new UsageException("--public-url", "--public-url must be an http(s) URL such as https://dv.example.com/prefix/, not '" + v + "'");
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]+(/\\d{1,3})?");

    /** An IP address or a CIDR block, as literals: a proxy is trusted by its address, never by a name to look up. */
    private static String address(String v) {
        if (!ADDRESS.matcher(v).matches()) {
            throw new UsageException("--trusted-proxies", "--trusted-proxies takes IP addresses or CIDR blocks (10.0.0.0/8), not '" + v + "'");
        }
        return v;
    }

    private static boolean flag(Map<String, String> values, String name) {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new UsageException(name, name + " takes true or false, not '" + v + "'");
        };
    }

    private static int intValue(Map<String, String> values, String name, int dflt, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name, name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    private ConfigParser() {
    }
}
