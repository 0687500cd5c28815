package dev.dvemu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.dvemu.client.Changeset;
import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 8: {@code $expand} of a page — {@value #PARENTS} accounts with {@value #CHILDREN} contacts each, read as
 * parents with their children (collection-valued) and as children with their parent (single-valued). The baseline
 * runs the statements dvemu runs (the page, then the related rows of the whole page by {@code = ANY(?)}) over JDBC
 * on the same tables of the same PostgreSQL: the ratio is what HTTP, OData and JSON cost on top.
 */
final class ExpandBench {
    static final int PARENTS = 100;
    static final int CHILDREN = 10;
    /** Name prefixes no other scenario uses, so the filters select exactly these rows. */
    static final String ACCOUNT_PREFIX = "b8acct-";
    static final String CONTACT_PREFIX = "b8cont-";
    static final String COLLECTION = "accounts?$select=name&$filter=startswith(name,'" + ACCOUNT_PREFIX
            + "')&$expand=contact_customer_accounts($select=fullname)";
    static final String LOOKUP = "contacts?$select=fullname&$filter=startswith(fullname,'" + CONTACT_PREFIX
            + "')&$top=" + PARENTS * CHILDREN + "&$expand=parentcustomerid_account($select=name)";

    private ExpandBench() {
    }

    static void run(BenchMain.Settings s, Report report, URI base, DvemuWorkloads http, BenchDatabase db, CpuMeter cpu)
            throws Exception {
        System.out.println("[bench] scenario 8: $expand, " + PARENTS + " parents x " + CHILDREN + " children");
        load(base);
        int maxClients = s.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        // the baseline reads dvemu's own tables: the same rows, indexes and statistics as the server's statements
        try (HikariDataSource sameTables = db.pool("dvemu", maxClients)) {
            try (Connection c = sameTables.getConnection(); Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE account");
                st.execute("VACUUM ANALYZE contact");
            }
            String collectionCheck = checkCollection(http.query(COLLECTION), sameTables);
            String lookupCheck = checkLookup(http.query(LOOKUP), sameTables);
            for (int c : s.clients()) {
                Load.Result d = Load.run(c, s.warmup(), s.measure(), i -> http.get(COLLECTION), cpu);
                Load.Result b = Load.run(c, s.warmup(), s.measure(), i -> Baseline.expandCollection(sameTables, ACCOUNT_PREFIX), cpu);
                report.add(line("8 $expand collection-valued (accounts + contact_customer_accounts)",
                        PARENTS + " parents x " + CHILDREN + " children, one page", c, d, b, collectionCheck));
                d = Load.run(c, s.warmup(), s.measure(), i -> http.get(LOOKUP), cpu);
                b = Load.run(c, s.warmup(), s.measure(), i -> Baseline.expandLookup(sameTables, CONTACT_PREFIX, PARENTS * CHILDREN), cpu);
                report.add(line("8 $expand single-valued (contacts + parentcustomerid_account)",
                        PARENTS * CHILDREN + " children with their parent, one page", c, d, b, lookupCheck));
            }
        }
    }

    private static Report.Line line(String scenario, String variant, int clients, Load.Result d, Load.Result b, String check) {
        return new Report.Line(scenario, variant, clients, d.callsPerSecond(), d.p50Millis(), d.p99Millis(), b.callsPerSecond(),
                "requests/s (baseline: 2-statement reads/s)", check + "; errors " + d.errors() + "/" + b.errors()
                + firstError(d, b) + String.format(Locale.ROOT, "; baseline p50 %.2f ms", b.p50Millis()));
    }

    private static String firstError(Load.Result d, Load.Result b) {
        String e = !d.firstError().isEmpty() ? d.firstError() : b.firstError();
        return e.isEmpty() ? "" : " (first: " + e.replace("|", "/") + ")";
    }

    /** Account {@code i}, and contact {@code j} of it: the contact's name carries its account's number. */
    static String accountName(int i) {
        return String.format(Locale.ROOT, "%s%03d", ACCOUNT_PREFIX, i);
    }

    static String contactName(int i, int j) {
        return String.format(Locale.ROOT, "%s%03d-%02d", CONTACT_PREFIX, i, j);
    }

    /** The account's name a contact's name says it belongs to. */
    private static String parentOf(String contactName) {
        return ACCOUNT_PREFIX + contactName.substring(CONTACT_PREFIX.length(), CONTACT_PREFIX.length() + 3);
    }

    /** Through the SDK, as an application would: one changeset per account, the account and its contacts bound to it. */
    private static void load(URI base) {
        DataverseClient dv = DataverseClient.builder(base).token(() -> "bench").build();
        for (int i = 0; i < PARENTS; i++) {
            Changeset cs = Changeset.create().create("accounts", RowValues.create().set("name", accountName(i))).as("account");
            for (int j = 0; j < CHILDREN; j++) {
                cs.create("contacts", RowValues.create().set("fullname", contactName(i, j))
                        .bind("parentcustomerid_account", RowRef.operation("account")));
            }
            dv.execute(cs);
        }
    }

    /** The collection-valued answer, once from each side: every parent with exactly its own children. */
    private static String checkCollection(JsonNode answer, HikariDataSource ds) throws Exception {
        JsonNode rows = answer.path("value");
        boolean ok = rows.size() == PARENTS;
        for (JsonNode parent : rows) {
            JsonNode children = parent.path("contact_customer_accounts");
            ok &= children.size() == CHILDREN;
            for (JsonNode child : children) {
                ok &= parentOf(child.path("fullname").asText()).equals(parent.path("name").asText());
            }
        }
        Map<Baseline.Named, List<String>> base;
        try (Connection c = ds.getConnection()) {
            base = Baseline.accountsWithContacts(c, ACCOUNT_PREFIX);
        }
        boolean baseOk = base.size() == PARENTS;
        for (Map.Entry<Baseline.Named, List<String>> e : base.entrySet()) {
            baseOk &= e.getValue().size() == CHILDREN
                    && e.getValue().stream().allMatch(n -> parentOf(n).equals(e.getKey().name()));
        }
        return "checked " + PARENTS + " parents x " + CHILDREN + " own children: dvemu " + (ok ? "ok" : "WRONG")
                + ", baseline " + (baseOk ? "ok" : "WRONG");
    }

    /** The single-valued answer, once from each side: every child with its own parent. */
    private static String checkLookup(JsonNode answer, HikariDataSource ds) throws Exception {
        JsonNode rows = answer.path("value");
        boolean ok = rows.size() == PARENTS * CHILDREN;
        for (JsonNode child : rows) {
            JsonNode parent = child.path("parentcustomerid_account");
            ok &= parent.isObject() && parentOf(child.path("fullname").asText()).equals(parent.path("name").asText());
        }
        Map<String, Baseline.Named> base;
        try (Connection c = ds.getConnection()) {
            base = Baseline.contactsWithAccounts(c, CONTACT_PREFIX, PARENTS * CHILDREN);
        }
        boolean baseOk = base.size() == PARENTS * CHILDREN;
        for (Map.Entry<String, Baseline.Named> e : base.entrySet()) {
            baseOk &= e.getValue() != null && parentOf(e.getKey()).equals(e.getValue().name());
        }
        return "checked " + PARENTS * CHILDREN + " children each with its own parent: dvemu " + (ok ? "ok" : "WRONG")
                + ", baseline " + (baseOk ? "ok" : "WRONG");
    }
}
