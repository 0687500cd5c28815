package dev.dvemu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 9: start-up at org scale. Generates {@link OrgSchema}'s metadata directory ({@code --org-tables}, 800 by
 * default), writes its migration with the server's {@code ddl} command, then starts the server on a fresh embedded
 * data directory (initdb, migration, check), three times more on the migrated one, and once on a throwaway
 * ({@code --ephemeral}) database as a test suite starts it, each time to
 * the first 200 on {@code /health} and on a GET of one table, and reads {@code $metadata} (time and size, cold and
 * warm), the server's resident memory and live heap after start-up, and the start-up phases the server logs.
 * Figures only; nothing is asserted.
 */
final class OrgScaleBench {
    private static final Pattern PHASES = Pattern.compile("start-up phases: (.*)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private OrgScaleBench() {
    }

    static void run(BenchMain.Settings s, Report report, Path work) throws Exception {
        int tables = s.orgTables();
        BenchMain.log("scenario 9: start-up with " + tables + " generated tables");
        Path dir = work.resolve("org-metadata");
        long t0 = System.nanoTime();
        OrgSchema.Shape shape = OrgSchema.write(dir, tables);
        report.fact("9 generated metadata", String.format(Locale.ROOT,
                "%d tables, %d declared columns (+4 system each), %d lookups, %d alternate keys, %d autonumbers, %d many-to-many (seed %d), in %d ms",
                shape.tables(), shape.columns(), shape.lookups(), shape.alternateKeys(), shape.autoNumbers(), shape.manyToMany(),
                OrgSchema.SEED, millis(t0)));
        String metadata = "builtin," + dir;
        Path migration = dir.resolve("migrations/V1__org.sql");
        t0 = System.nanoTime();
        Process ddl = new ProcessBuilder(java(), "-jar", s.serverJar().toString(), "ddl", "--metadata", metadata)
                .redirectOutput(migration.toFile()).redirectError(work.resolve("org-ddl.log").toFile()).start();
        if (!ddl.waitFor(10, TimeUnit.MINUTES) || ddl.exitValue() != 0) {
            throw new IllegalStateException("ddl failed; see " + work.resolve("org-ddl.log"));
        }
        report.fact("9 ddl (java -jar dvemu-server.jar ddl, a JVM of its own)", String.format(Locale.ROOT, "%d ms, %,d bytes of SQL",
                millis(t0), Files.size(migration)));
        Path data = work.resolve("org-pgdata");
        List<String> args = List.of("--data-dir", data.toString(), "--port", "0", "--metadata", metadata, "--quiet");
        start(s, report, work, args, "fresh embedded data directory (initdb + migration)", "org-1.log", true);
        for (int run = 2; run <= 4; run++) {
            start(s, report, work, args, "migrated data directory, run " + (run - 1), "org-" + run + ".log", run == 2);
        }
        // what a test suite's JVM pays: the testkit migrates a throwaway database at every start
        start(s, report, work, List.of("--ephemeral", "--port", "0", "--metadata", metadata, "--quiet"),
                "throwaway database (--ephemeral, as the testkit starts it)", "org-5.log", false);
    }

    private static void start(BenchMain.Settings s, Report report, Path work, List<String> args, String variant, String logName,
                              boolean details) throws Exception {
        Path log = work.resolve(logName);
        try (ServerProcess p = ServerProcess.start(s.serverJar(), s.serverJvmArgs(), args, log, java.time.Duration.ofMinutes(20))) {
            double cpu = p.cpuSeconds();
            HttpClient http = HttpClient.newHttpClient();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> get = get(http, p.baseUri().resolve(OrgSchema.table(0) + "s?$top=1"));
            double firstGet = (System.nanoTime() - t0) / 1e6;
            report.add(new Report.Line("9 start-up to first 200 on /health", variant, 0, p.startMillis() / 1000.0, Double.NaN,
                    Double.NaN, Double.NaN, "s", String.format(Locale.ROOT, "server CPU to start %.1f s; then the first GET of a table: %d in %.0f ms; load average %s; %s",
                    cpu, get.statusCode(), firstGet, loadAverage(), phases(log))));
            if (!details) {
                return;
            }
            for (String round : List.of("first", "second")) {
                t0 = System.nanoTime();
                HttpResponse<byte[]> m = get(http, p.baseUri().resolve("$metadata"));
                double ms = (System.nanoTime() - t0) / 1e6;
                report.fact("9 GET $metadata, " + round + ", " + variant, String.format(Locale.ROOT, "%d in %.0f ms, %,d bytes",
                        m.statusCode(), ms, m.body().length));
            }
            report.fact("9 server RSS after start-up and $metadata, " + variant, BenchMain.mb(p.rssBytes()));
            report.fact("9 server live heap after a full GC, " + variant, liveHeap(p.pid()));
        }
    }

    /** The machine's 1-minute load average (Linux), to read the wall-clock figures by. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static HttpResponse<byte[]> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer bench").build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The phases the server logged, or a note that it logs none (a server from before they were logged). */
    private static String phases(Path log) throws IOException {
        Matcher m = PHASES.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return m.find() ? "phases: " + m.group(1) : "(no start-up phases logged)";
    }

    /** The heap in use after {@code jcmd GC.run}, or why it is unknown. */
    private static String liveHeap(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "unknown (no jcmd in " + jcmd.getParent() + ")";
        }
        try {
            run(jcmd.toString(), Long.toString(pid), "GC.run");
            Matcher m = HEAP_USED.matcher(run(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
            return m.find() ? String.format(Locale.ROOT, "%.0f MB", Long.parseLong(m.group(1)) / 1024.0) : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
