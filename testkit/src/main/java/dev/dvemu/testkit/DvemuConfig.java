package dev.dvemu.testkit;

import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Step;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start an emulator: the tables, the database, the fixture every reset returns to, service protection, the
 * log and any extra server flags. Immutable; equal configurations share pooled instances in the JUnit extension.
 *
 * <pre>{@code
 * DvemuConfig config = DvemuConfig.builder()
 *         .metadata(Path.of("src/test/dvemu"))   // your tables, added to the built-in ones
 *         .seed(Path.of("src/test/dvemu/seed.json"))
 *         .build();
 * try (Dvemu dvemu = Dvemu.start(config)) { ... }
 * }</pre>
 */
public final class DvemuConfig {
    private final Optional<Path> metadata;
    private final Tables tables;
    private final Optional<String> dbUrl;
    private final Optional<String> dbUser;
    private final Optional<String> dbPassword;
    private final Optional<Path> seed;
    private final Optional<String> seedJson;
    private final Optional<String> snapshot;
    private final boolean serviceProtection;
    private final int spRequests;
    private final int spWindowSeconds;
    private final int spExecutionSeconds;
    private final int spConcurrent;
    private final String log;
    private final List<String> args;
    private final List<Class<? extends PluginPackage>> pluginClasses;
    private final List<PluginPackage> plugins;

    private DvemuConfig(Builder b) {
        this.metadata = Optional.ofNullable(b.metadata).map(p -> p.toAbsolutePath().normalize());
        this.tables = b.tables;
        this.dbUrl = Optional.ofNullable(b.dbUrl);
        this.dbUser = Optional.ofNullable(b.dbUser);
        this.dbPassword = Optional.ofNullable(b.dbPassword);
        this.seed = Optional.ofNullable(b.seed).map(p -> p.toAbsolutePath().normalize());
        this.seedJson = Optional.ofNullable(b.seedJson);
        this.snapshot = Optional.ofNullable(b.snapshot);
        this.serviceProtection = b.serviceProtection;
        this.spRequests = b.spRequests;
        this.spWindowSeconds = b.spWindowSeconds;
        this.spExecutionSeconds = b.spExecutionSeconds;
        this.spConcurrent = b.spConcurrent;
        this.log = b.log;
        this.args = List.copyOf(b.args);
        this.pluginClasses = List.copyOf(b.pluginClasses);
        this.plugins = List.copyOf(b.plugins);
        if (seed.isPresent() && seedJson.isPresent()) {
            throw new IllegalArgumentException("a seed file or seed JSON, not both");
        }
        if ((seed.isPresent() || seedJson.isPresent()) && snapshot.isPresent()) {
            throw new IllegalArgumentException("the fixture is a seed or a snapshot, not both");
        }
        if (!serviceProtection && (spRequests > 0 || spWindowSeconds > 0 || spExecutionSeconds > 0 || spConcurrent > 0)) {
            throw new IllegalArgumentException("service protection limits need serviceProtection(true)");
        }
    }

    /** A configuration builder; {@code builder().build()} is the built-in tables on the embedded PostgreSQL. */
    public static Builder builder() {
        return new Builder();
    }

    /** The built-in tables on the embedded PostgreSQL, empty after every reset. */
    public static DvemuConfig defaults() {
        return builder().build();
    }

    /** The directory of the user's table definitions, absolute; empty for the built-in tables only. */
    public Optional<Path> metadata() {
        return metadata;
    }

    public Tables tables() {
        return tables;
    }

    public Optional<String> dbUrl() {
        return dbUrl;
    }

    public Optional<String> dbUser() {
        return dbUser;
    }

    public Optional<String> dbPassword() {
        return dbPassword;
    }

    /** The seed file loaded on every reset, absolute. */
    public Optional<Path> seed() {
        return seed;
    }

    /** The seed JSON loaded on every reset. */
    public Optional<String> seedJson() {
        return seedJson;
    }

    /** The snapshot restored on every reset. */
    public Optional<String> snapshot() {
        return snapshot;
    }

    public boolean serviceProtection() {
        return serviceProtection;
    }

    /** {@code ""} (errors only), {@code "stderr"} (a line per request to standard error) or a log file path. */
    public String log() {
        return log;
    }

    /** Extra server flags, as {@code java -jar dvemu-server.jar} takes them. */
    public List<String> args() {
        return args;
    }

    /** Plug-in packages to instantiate (each with its public no-argument constructor) and register. */
    public List<Class<? extends PluginPackage>> pluginClasses() {
        return pluginClasses;
    }

    /** Plug-in packages (and single steps, wrapped in one) to register. */
    public List<PluginPackage> plugins() {
        return plugins;
    }

    /** The server flags this configuration means, less the database ones (the testkit chooses those). */
    List<String> serverArgs() {
        List<String> a = new ArrayList<>(List.of("--port", "0"));
        if (log.isEmpty()) {
            a.add("--quiet");
        } else if (!log.equals("stderr")) {
            a.add("--log-file");
            a.add(Path.of(log).toAbsolutePath().toString());
        }
        metadata.ifPresent(dir -> {
            a.add("--metadata");
            a.add(tables == Tables.ADD ? "builtin," + dir : dir.toString());
        });
        if (serviceProtection) {
            a.add("--service-protection");
            limit(a, "--sp-requests", spRequests);
            limit(a, "--sp-window", spWindowSeconds);
            limit(a, "--sp-execution-time", spExecutionSeconds);
            limit(a, "--sp-concurrent", spConcurrent);
        }
        a.addAll(args);
        return a;
    }

    private static void limit(List<String> a, String flag, int value) {
        if (value > 0) {
            a.add(flag);
            a.add(Integer.toString(value));
        }
    }

    private List<Object> key() {
        return Arrays.asList(metadata, tables, dbUrl, dbUser, dbPassword, seed, seedJson, snapshot, serviceProtection,
                spRequests, spWindowSeconds, spExecutionSeconds, spConcurrent, log, args, pluginClasses, plugins);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DvemuConfig c && key().equals(c.key());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key().toArray());
    }

    /** Never shows the database password. */
    @Override
    public String toString() {
        return "DvemuConfig[metadata=" + metadata.map(Path::toString).orElse("built-in") + ", tables=" + tables
                + ", db=" + dbUrl.orElse("embedded") + ", fixture=" + seed.map(Path::toString)
                .or(() -> seedJson.map(j -> "seed JSON")).or(() -> snapshot.map(s -> "snapshot " + s)).orElse("none")
                + ", serviceProtection=" + serviceProtection + ", log=" + (log.isEmpty() ? "quiet" : log)
                + ", args=" + args + (pluginClasses.isEmpty() && plugins.isEmpty() ? ""
                : ", plugins=" + pluginClasses.stream().map(Class::getName).toList() + " and " + plugins.size() + " package(s)")
                + "]";
    }

    /** Builds a {@link DvemuConfig}. */
    public static final class Builder {
        private Path metadata;
        private Tables tables = Tables.ADD;
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private Path seed;
        private String seedJson;
        private String snapshot;
        private boolean serviceProtection;
        private int spRequests;
        private int spWindowSeconds;
        private int spExecutionSeconds;
        private int spConcurrent;
        private String log = "";
        private final List<String> args = new ArrayList<>();
        private final List<Class<? extends PluginPackage>> pluginClasses = new ArrayList<>();
        private final List<PluginPackage> plugins = new ArrayList<>();

        private Builder() {
        }

        /** A directory with {@code tables/*.json} and {@code migrations/}; relative paths are to the working directory. */
        public Builder metadata(Path dir) {
            this.metadata = dir;
            return this;
        }

        /** {@link Tables#ADD} (the default) serves them with the built-in tables, {@link Tables#REPLACE} instead. */
        public Builder tables(Tables tables) {
            this.tables = Objects.requireNonNull(tables);
            return this;
        }

        /**
         * An external PostgreSQL instead of the embedded one. Concurrent instances of the same configuration get
         * databases of their own next to it, named after it with {@code _2}, {@code _3}... (the user needs
         * {@code CREATEDB}).
         */
        public Builder database(String jdbcUrl, String user, String password) {
            this.dbUrl = jdbcUrl;
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        /** A seed file ({@code POST /_dvemu/seed} body) loaded once per instance and restored on every reset. */
        public Builder seed(Path file) {
            this.seed = file;
            return this;
        }

        /** Seed JSON loaded once per instance and restored on every reset. */
        public Builder seedJson(String json) {
            this.seedJson = json;
            return this;
        }

        /** A named snapshot restored on every reset (it must exist by the first reset). */
        public Builder snapshot(String name) {
            this.snapshot = name;
            return this;
        }

        /** Dataverse's service protection limits ({@code --service-protection}), at their Dataverse defaults. */
        public Builder serviceProtection(boolean on) {
            this.serviceProtection = on;
            return this;
        }

        /**
         * Service protection with these limits (0 keeps the Dataverse default): requests per window, the window,
         * combined execution time per window, requests at the same time.
         */
        public Builder serviceProtection(int requests, Duration window, Duration executionTime, int concurrent) {
            this.serviceProtection = true;
            this.spRequests = requests;
            this.spWindowSeconds = window == null ? 0 : (int) window.toSeconds();
            this.spExecutionSeconds = executionTime == null ? 0 : (int) executionTime.toSeconds();
            this.spConcurrent = concurrent;
            return this;
        }

        /** Log a line per request to standard error (by default only errors are logged). */
        public Builder logToStderr() {
            this.log = "stderr";
            return this;
        }

        /** Log a line per request to this file (by default only errors are logged, to standard error). */
        public Builder logTo(Path file) {
            this.log = file.toAbsolutePath().toString();
            return this;
        }

        /**
         * Registers the steps of these plug-in packages, each made with its public no-argument constructor; equal
         * lists share pooled instances.
         */
        @SafeVarargs
        public final Builder plugins(Class<? extends PluginPackage>... packages) {
            this.pluginClasses.addAll(List.of(packages));
            return this;
        }

        /** Registers the steps of these plug-in packages. */
        public Builder plugins(PluginPackage... packages) {
            this.plugins.addAll(List.of(packages));
            return this;
        }

        /**
         * Registers single steps, each a lambda if you like:
         * {@code .steps(Step.on(Message.CREATE, "new_booking").plugin(context -> ...))}.
         */
        public Builder steps(Step... steps) {
            List<Step> list = List.of(steps);
            this.plugins.add(registration -> list.forEach(registration::step));
            return this;
        }

        /** Extra server flags, e.g. {@code "--journal-size", "100"}. */
        public Builder args(String... flags) {
            this.args.addAll(List.of(flags));
            return this;
        }

        Builder log(String log) {
            this.log = log;
            return this;
        }

        public DvemuConfig build() {
            return new DvemuConfig(this);
        }
    }
}
