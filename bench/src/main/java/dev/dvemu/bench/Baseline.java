package dev.dvemu.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
}
