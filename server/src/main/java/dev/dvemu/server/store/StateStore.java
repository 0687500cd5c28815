package dev.dvemu.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dvemu.server.db.Database;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.TableDef;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of the whole database as the admin API handles it: reset to empty tables, and snapshots of every table's
 * rows kept in the schema {@value #SCHEMA} (one row in {@code snapshot} each, the rows in {@code s<id>_<table>}).
 * <p>
 * Everything runs in one transaction per operation. Reset, restore and taking a snapshot first take one advisory
 * lock, so they run one at a time across every server on the database. Reset and restore empty the tables with one
 * {@code TRUNCATE}, whose exclusive locks make the API's requests on those tables wait until the commit (and a
 * request already in a transaction finish first); taking a snapshot locks the tables in {@code SHARE} mode, so
 * writes wait while it copies and rows and autonumber positions are of one moment. The global version sequence is
 * never touched: versions stay monotonic, so an ETag taken before a reset never matches a row written after it.
 */
public final class StateStore {
    public static final String SCHEMA = "dvemu_snapshots";
    /** The advisory lock key of state operations ("dvemu" in ASCII). */
    private static final long STATE_LOCK = 0x6476656d75L;
    /** How long a reset or restore waits for requests in progress to release the tables. */
    private static final String LOCK_TIMEOUT = "30s";
    private static final String DEADLOCK = "40P01";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String FEATURE_NOT_SUPPORTED = "0A000";
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    /** Every table that holds state: the definitions' tables, then the intersect tables of many-to-many relationships. */
    private final List<Table> tables;
    private final List<TableDef> definitions;
    private final ObjectMapper json = new ObjectMapper();
    private final String truncate;

    /** A snapshot as listed. */
    public record Snapshot(String name, int tables, long rows, Instant createdOn) {
    }

    /** A snapshot that is not there (404). */
    public static final class NoSuchSnapshot extends RuntimeException {
        NoSuchSnapshot(String name) {
            super("There is no snapshot named '" + name + "'.", null, false, false);
        }
    }

    /** A snapshot that cannot be restored into the tables this server has, with what differs (409). */
    public static final class CannotRestore extends RuntimeException {
        CannotRestore(String message) {
            super(message, null, false, false);
        }
    }

    /** A table as state: its name, its columns, and the tables its foreign keys point at. */
    private record Table(String name, List<String> columns, Set<String> references) {
    }

    public StateStore(DataSource dataSource, Catalog catalog) {
        this.dataSource = dataSource;
        this.definitions = List.copyOf(catalog.tables());
        List<Table> all = new ArrayList<>();
        for (TableDef t : definitions) {
            Set<String> references = new LinkedHashSet<>();
            t.lookups().forEach(l -> references.add(l.lookupTarget()));
            all.add(new Table(t.logicalName(), t.columns().stream().map(ColumnDef::name).toList(), references));
        }
        for (ManyToMany r : catalog.manyToMany()) {
            all.add(new Table(r.intersectTable(), List.of(r.entity1().primaryId().name(), r.entity2().primaryId().name()),
                    new LinkedHashSet<>(List.of(r.entity1().logicalName(), r.entity2().logicalName()))));
        }
        this.tables = List.copyOf(all);
        this.truncate = "TRUNCATE TABLE " + tableList();
    }

    /**
     * Empties every table and restarts every autonumber at its seed; returns the number of tables. Between tests
     * most tables are empty already: with every table locked, only those holding rows (and the tables whose foreign
     * keys point at them, as TRUNCATE demands) are truncated, and only sequences that have been used are restarted,
     * since each truncated table and index costs new files.
     */
    public int reset() {
        return transaction(c -> {
            lock(c);
            execute(c, "LOCK TABLE " + tableList() + " IN ACCESS EXCLUSIVE MODE");
            List<String> chosen = withReferencingTables(nonEmpty(c));
            if (!chosen.isEmpty()) {
                Savepoint before = c.setSavepoint();
                try {
                    execute(c, "TRUNCATE TABLE " + String.join(", ", chosen));
                } catch (SQLException e) {
                    if (!FEATURE_NOT_SUPPORTED.equals(e.getSQLState())) {
                        throw e;
                    }
                    // a foreign key of a user's own migration points at a chosen table: truncate them all
                    c.rollback(before);
                    execute(c, truncate);
                }
            }
            for (Map.Entry<String, Long> next : usedSequences(c).entrySet()) {
                // transactional (unlike setval): a failed reset leaves the numbers as they were
                execute(c, "ALTER SEQUENCE " + next.getKey() + " RESTART");
            }
            return tables.size();
        });
    }

    /** The tables holding at least one row, found in one statement. */
    private List<Table> nonEmpty(Connection c) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" WHERE EXISTS (SELECT 1 FROM ")
                    .append(tables.get(i).name()).append(")");
        }
        List<Table> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                out.add(tables.get(rs.getInt(1)));
            }
        }
        return out;
    }

    /** {@code chosen} and every table whose lookups point at one of them, again and again, in catalog order. */
    private List<String> withReferencingTables(List<Table> chosen) {
        Set<String> names = new LinkedHashSet<>(chosen.stream().map(Table::name).toList());
        boolean grew = !names.isEmpty();
        while (grew) {
            grew = false;
            for (Table t : tables) {
                if (!names.contains(t.name()) && t.references().stream().anyMatch(names::contains)) {
                    names.add(t.name());
                    grew = true;
                }
            }
        }
        return tables.stream().map(Table::name).filter(names::contains).toList();
    }

    /** The autonumber sequences that have handed out a number since they last (re)started. */
    private Map<String, Long> usedSequences(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String sequence : sequences().keySet()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + sequence)) {
                if (rs.next() && rs.getBoolean(2)) {
                    out.put(sequence, rs.getLong(1));
                }
            }
        }
        return out;
    }

    private String tableList() {
        return String.join(", ", tables.stream().map(Table::name).toList());
    }

    /** Takes a snapshot of every table, replacing one of the same name. */
    public Snapshot create(String name) {
        return transaction(c -> {
            lock(c);
            execute(c, "LOCK TABLE " + tableList() + " IN SHARE MODE");
            Optional<Stored> old = find(c, name);
            if (old.isPresent()) {
                drop(c, old.get());
            }
            long id;
            Instant createdOn;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".snapshot (name, created_on, row_count, tables, sequences) "
                    + "VALUES (?, now(), 0, '{}', '{}') RETURNING id, created_on")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                    createdOn = rs.getTimestamp(2).toInstant();
                }
            }
            ObjectNode tablesJson = json.createObjectNode();
            long total = 0;
            for (Table t : tables) {
                String copy = copyName(id, t);
                execute(c, "CREATE TABLE " + copy + " AS SELECT " + columnList(t) + " FROM " + t.name());
                long rows = count(c, copy);
                total += rows;
                ObjectNode entry = tablesJson.putObject(t.name());
                entry.put("rows", rows);
                t.columns().forEach(col -> entry.withArray("columns").add(col));
            }
            ObjectNode sequencesJson = json.createObjectNode();
            for (Map.Entry<String, Long> s : nextValues(c).entrySet()) {
                sequencesJson.put(s.getKey(), s.getValue());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".snapshot SET row_count = ?, tables = ?::jsonb, "
                    + "sequences = ?::jsonb WHERE id = ?")) {
                ps.setLong(1, total);
                ps.setString(2, tablesJson.toString());
                ps.setString(3, sequencesJson.toString());
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            return new Snapshot(name, tables.size(), total, createdOn);
        });
    }

    /**
     * Puts every table back as the snapshot has it, and every autonumber at its position then, in one transaction;
     * returns the number of rows. A snapshot whose tables or columns differ from this server's is refused whole
     * ({@link CannotRestore}), never restored in part.
     */
    public long restore(String name) {
        return transaction(c -> {
            lock(c);
            Stored s = find(c, name).orElseThrow(() -> new NoSuchSnapshot(name));
            List<String> problems = differences(s);
            if (!problems.isEmpty()) {
                throw new CannotRestore("The snapshot '" + name + "' cannot be restored into this server's tables: "
                        + String.join("; ", problems) + ". Nothing was changed; take a new snapshot after the migration.");
            }
            try {
                // rows go back as they were: no foreign-key order to keep (account and contact point at each other),
                // and a user's triggers do not run again on them
                execute(c, "SET LOCAL session_replication_role = replica");
            } catch (SQLException e) {
                if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw new CannotRestore("Restoring a snapshot needs a database user that may set session_replication_role "
                            + "(a superuser, or one granted SET on it); the user of --db-user may not. Nothing was changed.");
                }
                throw e;
            }
            execute(c, truncate);
            long rows = 0;
            for (Table t : tables) {
                try (Statement st = c.createStatement()) {
                    rows += st.executeUpdate("INSERT INTO " + t.name() + " (" + columnList(t) + ") SELECT "
                            + columnList(t) + " FROM " + copyName(s.id(), t));
                }
            }
            for (Map.Entry<String, Long> next : s.sequences().entrySet()) {
                execute(c, "ALTER SEQUENCE " + next.getKey() + " RESTART WITH " + next.getValue());
            }
            return rows;
        });
    }

    public List<Snapshot> list() {
        return transaction(c -> {
            List<Snapshot> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, id, created_on, row_count, tables, sequences FROM "
                    + SCHEMA + ".snapshot ORDER BY created_on, name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(stored(rs).summary());
                }
            }
            return out;
        });
    }

    public Optional<Snapshot> get(String name) {
        return transaction(c -> find(c, name).map(Stored::summary));
    }

    /** Deletes the snapshot; false when there is none of that name. */
    public boolean delete(String name) {
        return transaction(c -> {
            Optional<Stored> s = find(c, name);
            if (s.isPresent()) {
                drop(c, s.get());
            }
            return s.isPresent();
        });
    }

    /** Deletes every snapshot; returns how many there were. */
    public int deleteAll() {
        return transaction(c -> {
            int n = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + SCHEMA + "' AND tablename <> 'snapshot'")) {
                List<String> copies = new ArrayList<>();
                while (rs.next()) {
                    copies.add(rs.getString(1));
                }
                for (String copy : copies) {
                    execute(c, "DROP TABLE " + SCHEMA + ".\"" + copy + "\"");
                }
            }
            try (Statement st = c.createStatement()) {
                n = st.executeUpdate("DELETE FROM " + SCHEMA + ".snapshot");
            }
            return n;
        });
    }

    // ---------------------------------------------------------------- parts

    /** A snapshot as stored: its id names its copies. */
    private record Stored(String name, long id, Instant createdOn, long rows, Map<String, List<String>> tables,
                          Map<String, Long> sequences) {
        Snapshot summary() {
            return new Snapshot(name, tables.size(), rows, createdOn);
        }
    }

    private Optional<Stored> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, id, created_on, row_count, tables, sequences FROM "
                + SCHEMA + ".snapshot WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
        }
    }

    private Stored stored(ResultSet rs) throws SQLException {
        try {
            Map<String, List<String>> tablesOf = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.readTree(rs.getString(5)).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> columns = new ArrayList<>();
                e.getValue().path("columns").forEach(col -> columns.add(col.asText()));
                tablesOf.put(e.getKey(), columns);
            }
            Map<String, Long> sequencesOf = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.readTree(rs.getString(6)).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sequencesOf.put(e.getKey(), e.getValue().asLong());
            }
            return new Stored(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getLong(4), tablesOf, sequencesOf);
        } catch (IOException e) {
            throw new SQLException("the snapshot list holds a row that is not JSON: " + e.getMessage(), e);
        }
    }

    /** What keeps the snapshot from being restored whole into the tables of this server. */
    private List<String> differences(Stored s) {
        List<String> problems = new ArrayList<>();
        Set<String> served = new LinkedHashSet<>();
        for (Table t : tables) {
            served.add(t.name());
            List<String> had = s.tables().get(t.name());
            if (had == null) {
                problems.add("it has no rows for the table " + t.name() + " (added after the snapshot was taken)");
                continue;
            }
            Set<String> now = new TreeSet<>(t.columns());
            Set<String> added = new TreeSet<>(now);
            had.forEach(added::remove);
            Set<String> gone = new TreeSet<>(had);
            gone.removeAll(now);
            if (!added.isEmpty()) {
                problems.add("the table " + t.name() + " has columns the snapshot lacks: " + String.join(", ", added));
            }
            if (!gone.isEmpty()) {
                problems.add("the snapshot has columns of " + t.name() + " the table no longer has: " + String.join(", ", gone));
            }
        }
        for (String had : s.tables().keySet()) {
            if (!served.contains(had)) {
                problems.add("it has rows for the table " + had + ", which this server does not serve");
            }
        }
        for (String sequence : sequences().keySet()) {
            if (!s.sequences().containsKey(sequence)) {
                problems.add("it has no position for the autonumber sequence " + sequence);
            }
        }
        return problems;
    }

    private void drop(Connection c, Stored s) throws SQLException {
        List<String> copies = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = '" + SCHEMA
                + "' AND starts_with(tablename, ?)")) {
            ps.setString(1, "s" + s.id() + "_");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    copies.add(rs.getString(1));
                }
            }
        }
        for (String copy : copies) {
            execute(c, "DROP TABLE " + SCHEMA + ".\"" + copy + "\"");
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA + ".snapshot WHERE id = ?")) {
            ps.setLong(1, s.id());
            ps.executeUpdate();
        }
    }

    /** The autonumber sequences of the tables, by name, with the table they belong to. */
    private Map<String, TableDef> sequences() {
        Map<String, TableDef> out = new LinkedHashMap<>();
        for (TableDef t : definitions) {
            for (ColumnDef col : t.columns()) {
                if (col.autoNumberFormat().isPresent()) {
                    out.put(col.sequenceName(t), t);
                }
            }
        }
        return out;
    }

    /** The value each autonumber sequence's next {@code nextval} returns. */
    private Map<String, Long> nextValues(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String sequence : sequences().keySet()) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT s.last_value, s.is_called, p.increment_by FROM " + sequence
                         + " s, pg_sequences p WHERE p.schemaname = current_schema() AND p.sequencename = '" + sequence + "'")) {
                if (rs.next()) {
                    out.put(sequence, rs.getBoolean(2) ? rs.getLong(1) + rs.getLong(3) : rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static String copyName(long id, Table t) {
        return SCHEMA + ".s" + id + "_" + t.name();
    }

    private static String columnList(Table t) {
        return String.join(", ", t.columns());
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void lock(Connection c) throws SQLException {
        execute(c, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        execute(c, "SELECT pg_advisory_xact_lock(" + STATE_LOCK + ")");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * One transaction, tried again when PostgreSQL picks it as a deadlock victim (a changeset holding rows of one
     * table while it waits for another the reset has locked). Failures leave as the API's answers to them.
     */
    private <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = dataSource.getConnection();
            } catch (SQLException e) {
                throw SqlFailures.translate(e, SqlFailures.Outcome.NOT_STARTED);
            }
            try {
                c.setAutoCommit(false);
                T result = work.run(c);
                try {
                    c.commit();
                } catch (SQLException e) {
                    Database.rollbackQuietly(c);
                    throw SqlFailures.translate(e, SqlFailures.Outcome.UNKNOWN);
                }
                return result;
            } catch (SQLException e) {
                Database.rollbackQuietly(c);
                if (DEADLOCK.equals(e.getSQLState()) && attempt < ATTEMPTS) {
                    continue;
                }
                throw SqlFailures.translate(e, SqlFailures.Outcome.ROLLED_BACK);
            } catch (RuntimeException | Error e) {
                Database.rollbackQuietly(c);
                throw e;
            } finally {
                Database.closeQuietly(c);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: PostgreSQL rolls the transaction back on its own
        }
    }
}
