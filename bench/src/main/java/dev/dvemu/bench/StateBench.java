package dev.dvemu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 7: the admin API's state operations with every built-in table holding {@value #ROWS} rows — reset,
 * taking a snapshot, restoring it — each timed at the client over HTTP, on an ephemeral embedded database and on
 * one in a data directory (flushing on). Each figure is the median of the runs; the note gives the p95.
 */
final class StateBench {
    static final int ROWS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows for every built-in table, ids derived from the row number so lookups can point at them. */
    private static final List<String> FILL = List.of(
            "INSERT INTO account (accountid, name, accountnumber, versionnumber, createdon, modifiedon) "
                    + "SELECT md5('a' || g)::uuid, 'account ' || g, 'A-' || g, nextval('dvemu_versionnumber_seq'), now(), now() "
                    + "FROM generate_series(1, " + ROWS + ") g",
            "INSERT INTO contact (contactid, lastname, parentcustomerid, versionnumber, createdon, modifiedon) "
                    + "SELECT md5('c' || g)::uuid, 'contact ' || g, md5('a' || g)::uuid, nextval('dvemu_versionnumber_seq'), now(), now() "
                    + "FROM generate_series(1, " + ROWS + ") g",
            "INSERT INTO new_stock (new_stockid, new_name, new_availablecount, new_bookedcount, versionnumber, createdon, modifiedon) "
                    + "SELECT md5('s' || g)::uuid, 'stock ' || g, 100, 0, nextval('dvemu_versionnumber_seq'), now(), now() "
                    + "FROM generate_series(1, " + ROWS + ") g",
            "INSERT INTO new_booking (new_bookingid, new_name, new_quantity, new_status, new_stockid, new_bookingnumber, versionnumber, createdon, modifiedon) "
                    + "SELECT md5('b' || g)::uuid, 'booking ' || g, 1, 100000000, md5('s' || g)::uuid, 'BK-' || g, "
                    + "nextval('dvemu_versionnumber_seq'), now(), now() FROM generate_series(1, " + ROWS + ") g",
            "INSERT INTO new_bookingslot (new_bookingslotid, new_name, new_slotnumber, new_stockid, new_bookingid, versionnumber, createdon, modifiedon) "
                    + "SELECT md5('l' || g)::uuid, 'slot ' || g, 1, md5('s' || g)::uuid, md5('b' || g)::uuid, "
                    + "nextval('dvemu_versionnumber_seq'), now(), now() FROM generate_series(1, " + ROWS + ") g");

    private StateBench() {
    }

    static void run(BenchMain.Settings s, Report report, Path work) throws Exception {
        measure(s, report, work, "ephemeral embedded database (flushing off)", List.of("--ephemeral", "--port", "0"), "ephemeral");
        measure(s, report, work, "embedded database in a --data-dir (flushing on)",
                List.of("--data-dir", work.resolve("state-pgdata").toString(), "--port", "0"), "durable");
    }

    private static void measure(BenchMain.Settings s, Report report, Path work, String variant, List<String> args, String tag)
            throws Exception {
        System.out.println("[bench] scenario 7: reset, snapshot and restore of " + ROWS + " rows per table, " + variant);
        try (ServerProcess p = ServerProcess.start(s.serverJar(), s.serverJvmArgs(), args, work.resolve("state-" + tag + ".log"))) {
            HttpClient http = HttpClient.newHttpClient();
            URI root = p.baseUri().resolve("/_dvemu/");
            JsonNode info = call(http, "GET", root.resolve("info"), 200);
            int tables = info.path("tables").size();
            List<Double> reset = new ArrayList<>();
            List<Double> snapshot = new ArrayList<>();
            List<Double> restore = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(info.path("database").path("url").asText(), "postgres", null)) {
                call(http, "POST", root.resolve("reset"), 200);
                // the first round warms up the server and PostgreSQL and is not counted
                for (int run = -1; run < s.stateRuns(); run++) {
                    fill(c);
                    double r = timed(http, "POST", root.resolve("reset"), 200);
                    fill(c);
                    double t = timed(http, "POST", root.resolve("snapshots/bench"), 201);
                    double u = timed(http, "POST", root.resolve("snapshots/bench/restore"), 200);
                    call(http, "POST", root.resolve("reset"), 200);
                    if (run >= 0) {
                        reset.add(r);
                        snapshot.add(t);
                        restore.add(u);
                    }
                }
                call(http, "DELETE", root.resolve("snapshots"), 204);
            }
            String rows = String.format(Locale.ROOT, "%d tables x %,d rows", tables, ROWS);
            report.add(line("7 POST /_dvemu/reset", variant, reset, rows));
            report.add(line("7 POST /_dvemu/snapshots/{name}", variant, snapshot, rows));
            report.add(line("7 POST /_dvemu/snapshots/{name}/restore", variant, restore, rows + " (over full tables)"));
        }
    }

    private static Report.Line line(String scenario, String variant, List<Double> ms, String what) {
        List<Double> sorted = ms.stream().sorted().toList();
        double median = percentile(sorted, 50);
        return new Report.Line(scenario, variant, 1, median, median, Double.NaN, Double.NaN, "ms (median)",
                String.format(Locale.ROOT, "%s; %d runs: p95 %.1f ms, min %.1f ms, max %.1f ms", what, sorted.size(),
                        percentile(sorted, 95), sorted.get(0), sorted.get(sorted.size() - 1)));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static void fill(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String sql : FILL) {
                st.execute(sql);
            }
            st.execute("ANALYZE");
        }
    }

    private static double timed(HttpClient http, String method, URI uri, int status) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        call(http, method, uri, status);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static JsonNode call(HttpClient http, String method, URI uri, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer bench")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(method + " " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }
}
