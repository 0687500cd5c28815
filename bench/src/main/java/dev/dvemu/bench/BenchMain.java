package dev.dvemu.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.dvemu.client.Changeset;
import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.Retry;
import dev.dvemu.client.RetryPolicy;
import dev.dvemu.client.Row;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar bench/target/dvemu-bench.jar}: starts one PostgreSQL, runs dvemu ({@code java -jar
 * dvemu-server.jar}) against it, and measures each scenario twice in the same run — through dvemu over HTTP and as
 * the same SQL straight over JDBC — then prints a Markdown table and writes a JSON file.
 */
public final class BenchMain {
    static final int STOCKS = 10_000;
    static final int BOOKINGS = 100_000;
    static final int SPREAD = 100;
    static final UUID HOT_STOCK = BenchDatabase.id(9_999_999);
    /** Scenario 6: connections sending a body a byte at a time (50 with {@code --quick}), and how often each sends its byte. */
    static final int SLOW_CONNECTIONS = 500;
    static final Duration SLOW_INTERVAL = Duration.ofSeconds(3);

    /** The run's settings. */
    record Settings(List<Integer> clients, Duration warmup, Duration measure, Path serverJar, Path out, List<Integer> scenarios,
                    int promotionClients, List<String> serverJvmArgs, Duration serverWarmup, boolean quick, int stateRuns,
                    int orgTables) {
        /** What the report says of a {@code --quick} run. */
        static final String QUICK_NOTE = "--quick: a check that the scenarios run, with one point of 2 clients measured for "
                + "0.3 s after 0.1 s of warm-up and 50 slow connections; these figures are NOT comparable with a full run's, "
                + "nor with another quick run's";

        int slowConnections() {
            return quick ? 50 : SLOW_CONNECTIONS;
        }

        static Settings parse(String[] args) {
            List<Integer> clients = List.of(1, 8, 32, 64);
            Duration warmup = Duration.ofSeconds(3);
            Duration measure = Duration.ofSeconds(10);
            Path jar = Path.of("server/target/dvemu-server.jar");
            Path out = Path.of("bench-results.json");
            List<Integer> scenarios = List.of(1, 2, 3, 4, 5, 6, 7, 8);
            List<String> jvmArgs = List.of();
            Duration serverWarmup = Duration.ofSeconds(45);
            boolean quick = false;
            boolean scenariosGiven = false;
            int stateRuns = 10;
            int orgTables = 800;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        quick = true;
                        clients = List.of(2);
                        warmup = Duration.ofMillis(100);
                        measure = Duration.ofMillis(300);
                        serverWarmup = Duration.ofMillis(300);
                        stateRuns = 1;
                    }
                    case "--clients" -> clients = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
                    case "--warmup" -> warmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--server-warmup" -> serverWarmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--duration" -> measure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--server-jar" -> jar = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--scenarios" -> {
                        scenariosGiven = true;
                        scenarios = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
                    }
                    case "--state-runs" -> stateRuns = Integer.parseInt(args[++i].trim());
                    case "--org-tables" -> orgTables = Integer.parseInt(args[++i].trim());
                    case "--server-jvm-args" -> jvmArgs = Arrays.stream(args[++i].trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
                    case "--help" -> {
                        System.out.println("""
                                Usage: java -jar bench/target/dvemu-bench.jar [options]   (from the repository root)
                                  --clients 1,8,32,64   concurrent clients per measurement
                                  --warmup 3            seconds of warm-up before each measurement (not counted)
                                  --server-warmup 45    seconds of load once, before the first measurement, so the
                                                        server's JIT has compiled its hot paths
                                  --duration 10         seconds measured per point
                                  --scenarios 1,2,3,4,5,6,7,8 which scenarios to run (8: $expand of
                                                        100 parents x 10 children)
                                  --state-runs 10       scenario 7: measured rounds of reset, snapshot, restore
                                  --org-tables 800      scenario 9 (start-up at org scale; only when --scenarios
                                                        names it): how many tables to generate
                                  --server-jar PATH     default server/target/dvemu-server.jar
                                  --out FILE            JSON results (default bench-results.json)
                                  --server-jvm-args "…" JVM options for the server process, e.g. a flight recording
                                  --quick               a check that the scenarios run (all but 5, start-up, unless
                                                        --scenarios names it); its figures are not comparable""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            if (quick && !scenariosGiven) {
                scenarios = List.of(1, 2, 3, 4, 6, 8); // start-up (5) is two more server starts, one with initdb: the slowest part
            }
            return new Settings(clients, warmup, measure, jar, out, scenarios, 50, jvmArgs, serverWarmup, quick, stateRuns, orgTables);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        Report report = run(s);
        System.out.println();
        System.out.println(report.markdown());
        if (s.quick()) {
            System.out.println(Settings.QUICK_NOTE + ".\n");
        }
        report.writeJson(s.out(), machine());
        System.out.println("results written to " + s.out().toAbsolutePath());
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    static Report run(Settings s) throws Exception {
        Report report = new Report();
        if (s.quick()) {
            log(Settings.QUICK_NOTE + (s.scenarios().contains(5) ? "" : "; scenario 5 (start-up) is left out unless --scenarios names it"));
            report.fact("run", Settings.QUICK_NOTE);
        }
        Path work = Files.createTempDirectory("dvemu-bench-");
        if (s.scenarios().stream().noneMatch(List.of(1, 2, 3, 4, 6, 8)::contains)) {
            // start-up and state operations run servers with databases of their own: no shared PostgreSQL to load
            try {
                serversOfTheirOwn(s, report, work);
            } finally {
                deleteQuietly(work);
            }
            return report;
        }
        try (BenchDatabase db = BenchDatabase.start()) {
            log("PostgreSQL started; loading data");
            report.fact("PostgreSQL settings (dvemu and the baseline share the one PostgreSQL)", db.settings());
            db.execute("baseline", Baseline.SCHEMA);
            db.execute("baseline", Baseline.data(STOCKS, BOOKINGS));
            int maxClients = s.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
            try (ServerProcess server = ServerProcess.start(s.serverJar(), s.serverJvmArgs(), List.of("--db-url", db.jdbcUrl("dvemu"),
                    "--db-user", "postgres", "--port", "0"), work.resolve("server.log"));
                 HikariDataSource baseline = db.pool("baseline", maxClients);
                 HikariDataSource dvemuDb = db.pool("dvemu", 2)) {
                log("dvemu started; loading its data");
                loadDvemu(dvemuDb);
                DvemuWorkloads http = new DvemuWorkloads(server.baseUri());
                CpuMeter cpu = new CpuMeter(server.pid());
                warmUp(s, http);
                if (s.scenarios().contains(1)) {
                    log("scenario 1: optimistic update of random rows");
                    for (int c : s.clients()) {
                        Load.Result d = Load.run(c, s.warmup(), s.measure(), i -> http.optimisticUpdate(STOCKS), cpu);
                        String split = cpuSplit(d);
                        Load.Result b = Load.run(c, s.warmup(), s.measure(), i -> Baseline.optimisticUpdate(baseline, STOCKS), cpu);
                        report.add(new Report.Line("1 optimistic update (GET + PATCH If-Match)", "random of 10,000 rows", c,
                                d.callsPerSecond(), d.p50Millis(), d.p99Millis(), b.callsPerSecond(), "tx/s",
                                "baseline a1; errors " + d.errors() + "/" + b.errors() + firstError(d, b) + "; " + split + "; " + baselineCpu(b)));
                        Load.Result h = Load.run(c, s.warmup(), s.measure(), i -> http.optimisticUpdateHeldEtag(STOCKS, i, c), cpu);
                        report.add(new Report.Line("1 optimistic update (held ETag: PATCH If-Match only)",
                                "each client's share of 10,000 rows", c, h.callsPerSecond(), h.p50Millis(), h.p99Millis(),
                                b.callsPerSecond(), "tx/s", "baseline a1 (same run); errors " + h.errors() + firstError(h, h)
                                        + "; " + cpuSplit(h)));
                    }
                    report.fact("server RSS after scenario 1 at " + s.clients().get(s.clients().size() - 1) + " clients",
                            mb(server.rssBytes()));
                }
                if (s.scenarios().contains(2)) {
                    log("scenario 2: booking changeset over " + SPREAD + " stocks");
                    for (int c : s.clients()) {
                        Load.Result d = Load.run(c, s.warmup(), s.measure(), i -> http.bookingChangeset(SPREAD, BOOKINGS, i), cpu);
                        String split = cpuSplit(d);
                        Load.Result b = Load.run(c, s.warmup(), s.measure(), i -> Baseline.bookingChangeset(baseline, SPREAD, BOOKINGS, i, false), cpu);
                        report.add(new Report.Line("2 booking changeset", "100 stocks", c, d.successesPerSecond(), d.p50Millis(),
                                d.p99Millis(), b.successesPerSecond(), "successes/s",
                                "baseline c_tx; conflicts " + (d.calls() - d.successes()) + "/" + (b.calls() - b.successes())
                                        + ", errors " + d.errors() + "/" + b.errors() + firstError(d, b) + "; " + split + "; " + baselineCpu(b)));
                    }
                }
                if (s.scenarios().contains(3)) {
                    hotStock(s, report, server.baseUri(), baseline, dvemuDb);
                }
                if (s.scenarios().contains(6)) {
                    slowBodies(s, report, server.baseUri(), http);
                }
                if (s.scenarios().contains(8)) {
                    ExpandBench.run(s, report, server.baseUri(), http, db, cpu);
                }
            }
            if (s.scenarios().contains(4)) {
                promotionLimit(s, report, db, work);
            }
            serversOfTheirOwn(s, report, work);
        } finally {
            deleteQuietly(work);
        }
        log("done");
        return report;
    }

    /** Scenarios 5 (start-up), 7 (state operations) and 9 (start-up at org scale): servers on databases of their own. */
    private static void serversOfTheirOwn(Settings s, Report report, Path work) throws Exception {
        if (s.scenarios().contains(5)) {
            startup(s, report, work);
        }
        if (s.scenarios().contains(7)) {
            StateBench.run(s, report, work);
        }
        if (s.scenarios().contains(9)) {
            OrgScaleBench.run(s, report, work);
        }
    }

    private static void loadDvemu(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String sql : DvemuWorkloads.data(STOCKS, BOOKINGS)) {
                st.execute(sql);
            }
            st.execute("INSERT INTO new_stock (new_stockid, new_name, new_availablecount, new_bookedcount, versionnumber, createdon, modifiedon) "
                    + "VALUES ('" + HOT_STOCK + "', 'hot', 1000000000, 0, nextval('dvemu_versionnumber_seq'), now(), now())");
        }
    }

    /** Scenario 3: one hot stock, the SDK's booking workflow per retry strategy, against the locked baseline. */
    private static void hotStock(Settings s, Report report, URI base, HikariDataSource baseline, HikariDataSource dvemuDb)
            throws Exception {
        log("scenario 3: one hot stock, many bookers");
        DataverseClient dv = DataverseClient.builder(base).token(() -> "bench").build();
        record Strategy(RetryPolicy policy, boolean takeTurns) {
        }
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        Duration b = Duration.ofMillis(10);
        Duration cap = Duration.ofSeconds(1);
        strategies.put("SDK default: bookers of one process take turns, those waiting booked together; full jitter",
                new Strategy(RetryPolicy.fullJitter(b, cap, 1000), true));
        strategies.put("racing, full jitter", new Strategy(RetryPolicy.fullJitter(b, cap, 1000), false));
        strategies.put("racing, equal jitter", new Strategy(RetryPolicy.equalJitter(b, cap, 1000), false));
        strategies.put("racing, decorrelated jitter", new Strategy(RetryPolicy.decorrelatedJitter(b, cap, 1000), false));
        strategies.put("racing, no jitter", new Strategy(RetryPolicy.noJitter(b, cap, 1000), false));
        strategies.put("racing, fixed 20 ms", new Strategy(RetryPolicy.fixedDelay(Duration.ofMillis(20), 1000), false));
        Map<Integer, Double> locked = new LinkedHashMap<>();
        for (int c : s.clients()) {
            locked.put(c, Load.run(c, s.warmup(), s.measure(),
                    i -> Baseline.bookingChangeset(baseline, 1, BOOKINGS, i, true)).successesPerSecond());
        }
        for (Map.Entry<String, Strategy> st : strategies.entrySet()) {
            // one workflow per strategy, shared by its clients as an application would share it
            dev.dvemu.client.BookingWorkflow workflow = new dev.dvemu.client.BookingWorkflow(dv, st.getValue().policy(),
                    st.getValue().takeTurns());
            for (int c : s.clients()) {
                Load.Result d = Load.run(c, s.warmup(), s.measure(),
                        i -> DvemuWorkloads.hotStockBooking(workflow, HOT_STOCK, i, BOOKINGS));
                report.add(new Report.Line("3 hot stock, SDK booking workflow", st.getKey(), c, d.successesPerSecond(),
                        d.p50Millis(), d.p99Millis(), locked.get(c), "bookings/s",
                        String.format(Locale.ROOT, "baseline c_tx_pess (1 row); attempts/success %.2f; errors %d",
                                d.attemptsPerSuccess(), d.errors()) + firstError(d, d)));
            }
        }
        try (Connection c = dvemuDb.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT new_availablecount + new_bookedcount, new_bookedcount, "
                     + "(SELECT count(*) FROM new_bookingslot WHERE new_stockid = '" + HOT_STOCK + "') FROM new_stock WHERE new_stockid = '" + HOT_STOCK + "'")) {
            rs.next();
            long oversold = 1_000_000_000L - rs.getLong(1);
            long booked = rs.getLong(2);
            long slots = rs.getLong(3);
            report.fact("scenario 3 oversell (available + booked short of the start, or slots != booked)",
                    oversold + (slots - booked));
        }
    }

    /**
     * Scenario 6: single-row GETs, first alone, then beside {@link #SLOW_CONNECTIONS} connections that each send a
     * request body a byte every {@link #SLOW_INTERVAL} (replaced as soon as the server answers one). The baseline is
     * the same GETs without them: slow clients must cost the others nothing.
     */
    private static void slowBodies(Settings s, Report report, URI base, DvemuWorkloads http) throws Exception {
        int slowConnections = s.slowConnections();
        log("scenario 6: single-row GETs beside " + slowConnections + " slow request bodies");
        Map<Integer, Load.Result> alone = new LinkedHashMap<>();
        for (int c : s.clients()) {
            alone.put(c, Load.run(c, s.warmup(), s.measure(), i -> http.readRow(STOCKS)));
        }
        try (SlowClients slow = SlowClients.open(base, slowConnections, SLOW_INTERVAL)) {
            for (int c : s.clients()) {
                Load.Result d = Load.run(c, s.warmup(), s.measure(), i -> http.readRow(STOCKS));
                Load.Result b = alone.get(c);
                report.add(new Report.Line("6 GET beside " + slowConnections + " slow request bodies",
                        "1 byte / " + SLOW_INTERVAL.toSeconds() + " s each; baseline: the same GETs without them", c,
                        d.callsPerSecond(), d.p50Millis(), d.p99Millis(), b.callsPerSecond(), "GET/s",
                        String.format(Locale.ROOT, "without them: p50 %.2f ms, p99 %.2f ms; errors %d/%d%s; slow connections "
                                + "answered by the server and reopened so far: %d", b.p50Millis(), b.p99Millis(), d.errors(),
                                b.errors(), firstError(d, b), slow.replaced())));
            }
        }
    }

    /**
     * Scenario 4: 50 concurrent applied promotions against one limit, each guarded by a changeset with If-Match; then
     * the same against a second server whose plug-in does the check in the create's transaction.
     */
    private static void promotionLimit(Settings s, Report report, BenchDatabase db, Path work) throws Exception {
        log("scenario 4: promotion limit (tables from a separate metadata directory)");
        Path metadata = extractMetadata(work.resolve("bench-metadata"));
        try (ServerProcess promo = ServerProcess.start(s.serverJar(), List.of(), List.of("--db-url", db.jdbcUrl("promo"), "--db-user",
                "postgres", "--port", "0", "--metadata", metadata.toString()), work.resolve("promo-server.log"))) {
            DataverseClient dv = DataverseClient.builder(promo.baseUri()).token(() -> "bench").build();
            promotionRound(dv, s.promotionClients()); // warm-up on its own promotion, not reported
            report.add(promotionRound(dv, s.promotionClients()));
        }
        // the same tables and database, the check moved into the server: the sample promotion limit plug-in
        log("scenario 4: promotion limit (server-side plug-in)");
        Path plugins = PluginJar.write(work.resolve("promo-plugins"), "bench-promotion", BenchPromotionPlugins.class,
                dev.dvemu.samples.PromotionLimit.class);
        try (ServerProcess promo = ServerProcess.start(s.serverJar(), List.of(), List.of("--db-url", db.jdbcUrl("promo"), "--db-user",
                "postgres", "--port", "0", "--metadata", metadata.toString(), "--plugins", plugins.toString()),
                work.resolve("promo-plugin-server.log"))) {
            DataverseClient dv = DataverseClient.builder(promo.baseUri()).token(() -> "bench").retry(RetryPolicy.none()).build();
            pluginPromotionRound(dv, s.promotionClients()); // warm-up on its own promotion, not reported
            report.add(pluginPromotionRound(dv, s.promotionClients()));
        }
    }

    /**
     * One round of the server-side variant: {@code n} plain creates at once, no client retry; the plug-in adds each
     * amount to the total under the promotion's row lock or refuses it (400 {@code 0x80040265}).
     */
    private static Report.Line pluginPromotionRound(DataverseClient dv, int n) throws Exception {
        BigDecimal limit = new BigDecimal("1000.00");
        RowRef promotion = RowRef.of("tmy_promotions", dv.create("tmy_promotions", RowValues.create()
                .set("tmy_name", "Black Friday").set("tmy_limit", limit).set("tmy_appliedtotal", BigDecimal.ZERO)));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigDecimal amount = BigDecimal.valueOf(1 + new Random(i).nextInt(49)); // the client-side variant's amounts
            int member = i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    dv.create("tmy_appliedpromotions", RowValues.create().set("tmy_name", "member " + member)
                            .set("tmy_promotion", amount).bind("tmy_PromotionId", promotion));
                    return true;
                } catch (dev.dvemu.client.DataverseException e) {
                    if (e.status() == 400 && "0x80040265".equals(e.code())) {
                        return false; // refused by the plug-in: over the limit
                    }
                    throw e;
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        int applied = 0;
        int refused = 0;
        int errors = 0;
        String firstError = "";
        for (Future<Boolean> f : results) {
            try {
                if (f.get(60, TimeUnit.SECONDS)) {
                    applied++;
                } else {
                    refused++;
                }
            } catch (Exception e) {
                if (errors++ == 0) {
                    firstError = " (first: " + (e.getCause() != null ? e.getCause() : e) + ")";
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        return new Report.Line("4 promotion limit (server-side plug-in)", n + " concurrent plain creates, no client retry",
                n, seconds, Double.NaN, Double.NaN, Double.NaN, "s to finish all", "applied " + applied + ", refused "
                + refused + ", client errors " + errors + firstError + ", " + limitKept(dv, promotion, limit));
    }

    /** The promotion's total against its limit and against the sum of its applied rows, in words. */
    private static String limitKept(DataverseClient dv, RowRef promotion, BigDecimal limit) {
        BigDecimal total = dv.retrieve(promotion, "tmy_appliedtotal").orElseThrow().decimal("tmy_appliedtotal").orElseThrow();
        BigDecimal sum = dv.stream(dev.dvemu.client.Query.from("tmy_appliedpromotions").select("tmy_promotion")
                        .filter(dev.dvemu.client.Filter.eq("_tmy_promotionid_value", promotion.id().orElseThrow())))
                .map(r -> r.decimal("tmy_promotion").orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add);
        return "total " + total + " of limit " + limit
                + (total.compareTo(limit) <= 0 && total.compareTo(sum) == 0 ? " (never exceeded; sum of applied rows equals total)"
                : " (LIMIT OR SUM BROKEN: sum " + sum + ")");
    }

    /** One round: {@code n} clients apply a promotion each, at once, against a fresh promotion with a limit. */
    private static Report.Line promotionRound(DataverseClient dv, int n) throws Exception {
        BigDecimal limit = new BigDecimal("1000.00");
        RowRef promotion = RowRef.of("tmy_promotions", dv.create("tmy_promotions", RowValues.create()
                .set("tmy_name", "Black Friday").set("tmy_limit", limit).set("tmy_appliedtotal", BigDecimal.ZERO)));
        RetryPolicy policy = RetryPolicy.fullJitter(Duration.ofMillis(5), Duration.ofMillis(200), 200);
        // the SDK's way for one application's threads on one hot row: take turns, keep the ETag check
        dev.dvemu.client.RowTurns turns = new dev.dvemu.client.RowTurns();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigDecimal amount = BigDecimal.valueOf(1 + new Random(i).nextInt(49));
            int member = i;
            results.add(pool.submit(() -> {
                go.await();
                return turns.take(promotion, () -> Retry.onConflict(policy, () -> {
                    Row p = dv.retrieve(promotion, "tmy_appliedtotal", "tmy_limit").orElseThrow();
                    BigDecimal total = p.decimal("tmy_appliedtotal").orElse(BigDecimal.ZERO);
                    if (total.add(amount).compareTo(p.decimal("tmy_limit").orElseThrow()) > 0) {
                        return false; // over the limit: turned down, not an error
                    }
                    dv.execute(Changeset.create()
                            .create("tmy_appliedpromotions", RowValues.create().set("tmy_name", "member " + member)
                                    .set("tmy_promotion", amount).bind("tmy_PromotionId", promotion))
                            .update(promotion, RowValues.create().set("tmy_appliedtotal", total.add(amount)), p.etag()));
                    return true;
                }));
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        int applied = 0;
        int errors = 0;
        for (Future<Boolean> f : results) {
            try {
                applied += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            } catch (Exception e) {
                errors++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        return new Report.Line("4 promotion limit", n + " concurrent creates", n, seconds, Double.NaN, Double.NaN,
                Double.NaN, "s to finish all", "applied " + applied + ", turned down " + (n - applied - errors)
                + ", client errors " + errors + ", " + limitKept(dv, promotion, limit));
    }

    /** Scenario 5: from {@code java -jar} to the first 200 on /health, with a fresh and an existing embedded database. */
    private static void startup(Settings s, Report report, Path work) throws Exception {
        log("scenario 5: start-up");
        Path data = work.resolve("startup-pgdata");
        long fresh;
        try (ServerProcess p = ServerProcess.start(s.serverJar(), List.of(), List.of("--data-dir", data.toString(), "--port", "0"),
                work.resolve("startup-1.log"))) {
            fresh = p.startMillis();
        }
        long existing;
        try (ServerProcess p = ServerProcess.start(s.serverJar(), List.of(), List.of("--data-dir", data.toString(), "--port", "0"),
                work.resolve("startup-2.log"))) {
            existing = p.startMillis();
        }
        report.add(new Report.Line("5 start-up to first 200 on /health", "fresh embedded database", 0, fresh / 1000.0,
                Double.NaN, Double.NaN, Double.NaN, "s", ""));
        report.add(new Report.Line("5 start-up to first 200 on /health", "existing embedded database", 0, existing / 1000.0,
                Double.NaN, Double.NaN, Double.NaN, "s", ""));
    }

    private static Path extractMetadata(Path dir) throws IOException {
        for (String f : List.of("tables/tmy_promotion.json", "tables/tmy_appliedpromotion.json", "migrations/V1__promotion_tables.sql",
                "migrations/V2__promotion_lock_column.sql")) {
            Path target = dir.resolve(f);
            Files.createDirectories(target.getParent());
            try (InputStream in = BenchMain.class.getResourceAsStream("/bench-metadata/" + f)) {
                if (in == null) {
                    throw new IOException("missing resource bench-metadata/" + f);
                }
                Files.copy(in, target);
            }
        }
        return dir;
    }

    /** CPU per call of the dvemu side, split by process (warm-up included in the time, so a rough share). */
    /**
     * Once, before the first measurement: the server's JIT compiles its hot paths under a moderate load of every
     * HTTP workload, so the first points measure the server and not the compiler. On two cores shared with
     * PostgreSQL and the load, that takes well over the per-point warm-up: the first half minute of load runs at
     * about half the speed of the rest.
     */
    private static void warmUp(Settings s, DvemuWorkloads http) throws InterruptedException {
        Duration each = s.serverWarmup().dividedBy(3);
        log("warming the server up (" + s.serverWarmup().toSeconds() + " s)");
        Load.run(8, Duration.ZERO, each, i -> http.optimisticUpdate(STOCKS));
        Load.run(8, Duration.ZERO, each, i -> http.optimisticUpdateHeldEtag(STOCKS, i, 8));
        Load.run(8, Duration.ZERO, each, i -> http.bookingChangeset(SPREAD, BOOKINGS, i));
    }

    /**
     * Where the measured window's CPU went (shares of what was used, and how busy the machine was), and the CPU per
     * call of the server and of PostgreSQL: the figures that say which side's own work decides the rate.
     */
    private static String cpuSplit(Load.Result d) {
        CpuMeter.Sample used = d.cpu();
        double total = used == null ? 0 : used.server() + used.postgres() + used.client();
        if (total <= 0 || d.calls() == 0) {
            return "cpu split unknown";
        }
        return String.format(Locale.ROOT, "cpu: server %.0f%%, PostgreSQL %.0f%%, client %.0f%% of %.0f%% busy; per call: server %.0f µs, "
                        + "PostgreSQL %.0f µs", 100 * used.server() / total, 100 * used.postgres() / total, 100 * used.client() / total,
                busy(d), used.server() * 1e6 / d.calls(), used.postgres() * 1e6 / d.calls());
    }

    /** The baseline's CPU per call: PostgreSQL's own work, and the JDBC client's. */
    private static String baselineCpu(Load.Result b) {
        CpuMeter.Sample used = b.cpu();
        if (used == null || b.calls() == 0) {
            return "baseline cpu unknown";
        }
        return String.format(Locale.ROOT, "baseline per call: PostgreSQL %.0f µs, JDBC client %.0f µs (%.0f%% busy)",
                used.postgres() * 1e6 / b.calls(), used.client() * 1e6 / b.calls(), busy(b));
    }

    /** CPU time used in the window as a share of the machine's capacity. */
    private static double busy(Load.Result r) {
        CpuMeter.Sample u = r.cpu();
        return 100 * (u.server() + u.postgres() + u.client()) / (r.seconds() * Runtime.getRuntime().availableProcessors());
    }

    /** The first exception either side met, so an error count never stands without its cause. */
    private static String firstError(Load.Result d, Load.Result b) {
        String e = !d.firstError().isEmpty() ? d.firstError() : b.firstError();
        return e.isEmpty() ? "" : " (first: " + e.replace("|", "/") + ")";
    }

    static String mb(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

    private static final long STARTED = System.nanoTime();

    /** A progress line, with the seconds since the run started. */
    static void log(String s) {
        System.out.printf(Locale.ROOT, "[bench %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, s);
    }

    private static void deleteQuietly(Path dir) {
        if (Boolean.getBoolean("dvemu.bench.keep")) {
            // -Ddvemu.bench.keep=true: the servers' logs and data stay, to look into a failure
            log("kept " + dir);
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files
        }
    }

    private BenchMain() {
    }
}
