package dev.dvemu.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The database's own limit: the SQL of the reference pgbench scripts ({@code a1}, {@code c_tx}, {@code c_tx_pess})
 * straight over JDBC with prepared statements, on a schema of the same shape (stock / booking / booking_claim).
 */
final class Baseline {
    static final String[] SCHEMA = {
            "CREATE TABLE stock(id uuid PRIMARY KEY, name text, available int NOT NULL CHECK (available >= 0), versionnumber bigint NOT NULL)",
            "CREATE TABLE booking(id uuid PRIMARY KEY, stock_id uuid, status text, versionnumber bigint)",
            "CREATE TABLE booking_claim(stock_id uuid, slot int, booking_id uuid, UNIQUE(stock_id, slot))",
    };

    private Baseline() {
    }

    static String[] data(int stocks, int bookings) {
        return new String[]{
                "INSERT INTO stock SELECT lpad(to_hex(n),32,'0')::uuid, 'stock '||n, 1000000000, 1 FROM generate_series(1," + stocks + ") n",
                "INSERT INTO booking SELECT lpad(to_hex(n),32,'0')::uuid, lpad(to_hex(1 + (n % 100)),32,'0')::uuid, 'pending', 1 FROM generate_series(1," + bookings + ") n",
                "VACUUM ANALYZE stock", "VACUUM ANALYZE booking", "VACUUM ANALYZE booking_claim"};
    }

    /** a1: read the version (autocommit), then the versioned UPDATE (autocommit). */
    static Load.Task optimisticUpdate(DataSource ds, int rows) {
        return () -> {
            UUID id = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(rows));
            try (Connection c = ds.getConnection()) {
                long v;
                try (PreparedStatement ps = c.prepareStatement("SELECT id, versionnumber FROM stock WHERE id = ?")) {
                    ps.setObject(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        v = rs.getLong(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE stock SET available = available - 1, versionnumber = versionnumber + 1 WHERE id = ? AND versionnumber = ?")) {
                    ps.setObject(1, id);
                    ps.setLong(2, v);
                    return ps.executeUpdate() == 1 ? Load.Outcome.OK : Load.Outcome.FAILED;
                }
            }
        };
    }

    /**
     * c_tx: pre-read the stock version, then BEGIN; claim a slot (unique per attempt); confirm a booking; versioned
     * stock update; COMMIT, or ROLLBACK when the version moved. c_tx_pess ({@code pessimistic}): lock the stock row
     * first ({@code SELECT ... FOR UPDATE}), so it never conflicts.
     */
    static Load.Task bookingChangeset(DataSource ds, int stocks, int bookings, int client, boolean pessimistic) {
        return () -> {
            UUID stock = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(stocks));
            UUID booking = BenchDatabase.id(1 + ThreadLocalRandom.current().nextInt(bookings));
            int slot = Slots.next();
            try (Connection c = ds.getConnection()) {
                long v = 0;
                if (!pessimistic) {
                    v = version(c, stock, false);
                }
                c.setAutoCommit(false);
                try {
                    if (pessimistic) {
                        v = version(c, stock, true);
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO booking_claim(stock_id, slot, booking_id) VALUES (?, ?, ?)")) {
                        ps.setObject(1, stock);
                        ps.setInt(2, slot);
                        ps.setObject(3, booking);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE booking SET status = 'confirmed' WHERE id = ?")) {
                        ps.setObject(1, booking);
                        ps.executeUpdate();
                    }
                    int n;
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE stock SET available = available - 1, versionnumber = versionnumber + 1 WHERE id = ? AND versionnumber = ?")) {
                        ps.setObject(1, stock);
                        ps.setLong(2, v);
                        n = ps.executeUpdate();
                    }
                    if (n == 1) {
                        c.commit();
                        return Load.Outcome.OK;
                    }
                    c.rollback();
                    return Load.Outcome.FAILED;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        };
    }

    private static long version(Connection c, UUID stock, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, versionnumber FROM stock WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setObject(1, stock);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(2);
            }
        }
    }

    /** Scenario 8: a parent row and the names read with it. */
    record Named(UUID id, String name) {
    }

    /** Scenario 8, collection-valued: {@link #accountsWithContacts} on one pooled connection. */
    static Load.Task expandCollection(DataSource ds, String accountPrefix) {
        return () -> {
            try (Connection c = ds.getConnection()) {
                return accountsWithContacts(c, accountPrefix).isEmpty() ? Load.Outcome.FAILED : Load.Outcome.OK;
            }
        };
    }

    /** Scenario 8, single-valued: {@link #contactsWithAccounts} on one pooled connection. */
    static Load.Task expandLookup(DataSource ds, String contactPrefix, int top) {
        return () -> {
            try (Connection c = ds.getConnection()) {
                return contactsWithAccounts(c, contactPrefix, top).isEmpty() ? Load.Outcome.FAILED : Load.Outcome.OK;
            }
        };
    }

    /**
     * The accounts whose name starts with {@code prefix}, each with the full names of its contacts, as dvemu reads
     * {@code accounts?$filter=startswith(name,…)&$expand=contact_customer_accounts($select=fullname)}: the page, then
     * the children of all its parents in one statement ({@code = ANY(?)}, at most 5,000 per parent by
     * {@code row_number()}), each statement in autocommit as dvemu reads.
     */
    static Map<Named, List<String>> accountsWithContacts(Connection c, String prefix) throws SQLException {
        Map<UUID, Named> parents = new LinkedHashMap<>();
        Map<Named, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT accountid, name FROM account WHERE name LIKE ? ORDER BY accountid LIMIT 5001")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Named p = new Named(rs.getObject(1, UUID.class), rs.getString(2));
                    parents.put(p.id(), p);
                    out.put(p, new ArrayList<>());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT parentcustomerid, fullname FROM (SELECT parentcustomerid, "
                + "fullname, contactid, row_number() OVER (PARTITION BY parentcustomerid ORDER BY contactid) AS rank "
                + "FROM contact WHERE parentcustomerid = ANY(?)) AS ranked WHERE rank <= 5000 ORDER BY contactid")) {
            ps.setArray(1, c.createArrayOf("uuid", parents.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(parents.get(rs.getObject(1, UUID.class))).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * The first {@code top} contacts whose full name starts with {@code prefix}, each with its account (its id and
     * name), as dvemu reads {@code contacts?$filter=…&$expand=parentcustomerid_account($select=name)}: the page, then
     * the accounts its lookups name in one statement ({@code = ANY(?)}), each in autocommit as dvemu reads. In the
     * page's order: full name to account.
     */
    static Map<String, Named> contactsWithAccounts(Connection c, String prefix, int top) throws SQLException {
        Map<String, UUID> children = new LinkedHashMap<>();
        Map<String, Named> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT contactid, fullname, parentcustomerid FROM contact WHERE fullname LIKE ? ORDER BY contactid LIMIT ?")) {
            ps.setString(1, prefix + "%");
            ps.setInt(2, top);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    children.put(rs.getString(2), rs.getObject(3, UUID.class));
                }
            }
        }
        Set<UUID> ids = new LinkedHashSet<>(children.values());
        ids.remove(null);
        Map<UUID, Named> parents = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT accountid, name FROM account WHERE accountid = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Named p = new Named(rs.getObject(1, UUID.class), rs.getString(2));
                    parents.put(p.id(), p);
                }
            }
        }
        children.forEach((name, parent) -> out.put(name, parent == null ? null : parents.get(parent)));
        return out;
    }
}
