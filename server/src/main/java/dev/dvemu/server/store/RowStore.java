package dev.dvemu.server.store;

import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The write path and read path over PostgreSQL. Every statement is built from metadata identifiers; every value
 * is a bind parameter. Concurrency is decided inside single statements: the ETag check is a compare-and-set
 * ({@code UPDATE ... WHERE versionnumber = ?}), upserts are {@code INSERT ... ON CONFLICT}, duplicates are
 * unique-index violations. Nothing about rows is kept in memory, so several servers on one database stay correct.
 */
public final class RowStore {
    /** The one global sequence behind every row's versionnumber (§1). */
    public static final String VERSION_SEQUENCE = "dvemu_versionnumber_seq";
    static final String NEXT_VERSION = "nextval('" + VERSION_SEQUENCE + "')";
    /** Dataverse date-times have whole seconds; so do ours, which keeps paging by date exact. */
    static final String NOW = "date_trunc('second', now())";
    private static final String CREATED_FLAG = "dvemu_created";

    /** Select lists by table: text derived from the metadata, never row state. */
    private final Map<String, String> allColumns = new java.util.concurrent.ConcurrentHashMap<>();

    /** A write's result: the row as it is now, and whether the write created it. */
    public record WriteOutcome(Row row, boolean created) {
    }

    // ---------------------------------------------------------------- reads

    public Optional<Row> find(Connection c, RowAddress address) throws SQLException {
        return find(c, address, "");
    }

    /** Reads the row and locks it until the transaction ends (an image that stays true until the write). */
    public Optional<Row> findForUpdate(Connection c, RowAddress address) throws SQLException {
        return find(c, address, " FOR UPDATE");
    }

    private Optional<Row> find(Connection c, RowAddress address, String lock) throws SQLException {
        TableDef t = address.table();
        StringBuilder sql = new StringBuilder("SELECT ").append(allColumns(t))
                .append(" FROM ").append(t.logicalName()).append(" WHERE ");
        appendWhere(sql, address);
        sql.append(lock);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bindAddress(ps, 1, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRow(rs, t, t.columns())) : Optional.empty();
            }
        }
    }

    public List<Row> query(Connection c, RowQuery q) throws SQLException {
        TableDef t = q.table();
        SqlFragment.Builder sql = new SqlFragment.Builder();
        sql.append("SELECT ").append(allColumns(t)).append(" FROM ").append(t.logicalName());
        List<SqlFragment> conditions = new ArrayList<>();
        q.filter().ifPresent(conditions::add);
        q.after().ifPresent(after -> conditions.add(Keyset.after(q.sortKeys(), after)));
        appendConditions(sql, conditions);
        sql.append(" ORDER BY ").append(orderBy(q.sortKeys())).append(" LIMIT ").append(Integer.toString(q.limit()));
        return rows(c, t, sql.build());
    }

    /**
     * The query's rows, at most {@code perKey} for each value of {@code key}, each group in the query's order: one
     * statement for the related rows of a whole page of parents (an expansion's {@code $top} per parent).
     */
    public List<Row> queryPerKey(Connection c, RowQuery q, ColumnDef key, int perKey) throws SQLException {
        TableDef t = q.table();
        String order = orderBy(q.sortKeys());
        SqlFragment.Builder sql = new SqlFragment.Builder();
        sql.append("SELECT ").append(allColumns(t)).append(" FROM (SELECT *, row_number() OVER (PARTITION BY ")
                .append(key.name()).append(" ORDER BY ").append(order).append(") AS dvemu_rank FROM ").append(t.logicalName());
        appendConditions(sql, q.filter().map(List::of).orElse(List.of()));
        sql.append(") AS ranked WHERE dvemu_rank <= ").append(Integer.toString(perKey)).append(" ORDER BY ").append(order);
        return rows(c, t, sql.build());
    }

    /** A row of a many-to-many expansion, with the id of the row it is linked to. */
    public record Linked(UUID owner, Row row) {
    }

    /**
     * The query's rows linked through {@code side}'s intersect table to any of {@code owners}, at most
     * {@code perOwner} for each owner, each group in the query's order: one statement for a page of owners. The links
     * are selected first under their own names, so the query's filter and order name only the related table's columns.
     */
    public List<Linked> queryLinked(Connection c, RowQuery q, ManyToMany.Side side, Collection<UUID> owners, int perOwner)
            throws SQLException {
        TableDef t = q.table();
        String order = orderBy(q.sortKeys());
        SqlFragment.Builder sql = new SqlFragment.Builder();
        sql.append("SELECT ").append(allColumns(t)).append(", dvemu_owner FROM (SELECT *, row_number() OVER (PARTITION BY dvemu_owner ORDER BY ")
                .append(order).append(") AS dvemu_rank FROM (SELECT ").append(side.ownerColumn().name()).append(" AS dvemu_owner, ")
                .append(side.relatedColumn().name()).append(" AS dvemu_related FROM ").append(side.intersectTable()).append(" WHERE ")
                .anyOf(side.ownerColumn(), owners).append(") AS links JOIN ").append(t.logicalName()).append(" ON ")
                .append(t.logicalName()).append(".").append(t.primaryId().name()).append(" = links.dvemu_related");
        appendConditions(sql, q.filter().map(List::of).orElse(List.of()));
        sql.append(") AS ranked WHERE dvemu_rank <= ").append(Integer.toString(perOwner)).append(" ORDER BY ").append(order);
        SqlFragment f = sql.build();
        try (PreparedStatement ps = c.prepareStatement(f.sql())) {
            f.bind(ps, 1);
            List<Linked> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs, t, t.columns());
                    rows.add(new Linked(rs.getObject(t.columns().size() + 1, UUID.class), row));
                }
            }
            return rows;
        }
    }

    /**
     * The condition on {@code nav}'s related table that selects the rows linked to the owner row {@code owner}: its
     * lookup holds the id (one-to-many), or the intersect table links the two (many-to-many).
     */
    public static SqlFragment linkedTo(CollectionNavigation nav, UUID owner) {
        SqlFragment.Builder sql = new SqlFragment.Builder();
        if (nav instanceof OneToMany r) {
            return sql.append(r.lookup().name()).append(" = ").param(owner, r.lookup()).build();
        }
        ManyToMany.Side side = (ManyToMany.Side) nav;
        return sql.append(side.related().primaryId().name()).append(" IN (SELECT ").append(side.relatedColumn().name())
                .append(" FROM ").append(side.intersectTable()).append(" WHERE ").append(side.ownerColumn().name()).append(" = ")
                .param(owner, side.ownerColumn()).append(")").build();
    }

    /**
     * Links two rows of a many-to-many relationship. A link that exists already is refused as Dataverse refuses it
     * (the intersect table's key decides, also between concurrent requests); a row deleted meanwhile is not found.
     */
    public void link(Connection c, ManyToMany.Side side, UUID owner, UUID related) throws SQLException {
        String sql = "INSERT INTO " + side.intersectTable() + " (" + side.ownerColumn().name() + ", "
                + side.relatedColumn().name() + ") VALUES (?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            ps.setObject(2, related);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (SqlState.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw DataverseError.DUPLICATE_ASSOCIATION.exception();
            }
            if (SqlState.FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw DataverseError.OBJECT_DOES_NOT_EXIST.exception(side.related().logicalName(), related);
            }
            throw e;
        }
    }

    /** Removes the link between two rows of a many-to-many relationship; whether there was one. */
    public boolean unlink(Connection c, ManyToMany.Side side, UUID owner, UUID related) throws SQLException {
        String sql = "DELETE FROM " + side.intersectTable() + " WHERE " + side.ownerColumn().name() + " = ? AND "
                + side.relatedColumn().name() + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            ps.setObject(2, related);
            return ps.executeUpdate() > 0;
        }
    }

    /** An ORDER BY list: NULLs first ascending and last descending, as SQL Server orders them. */
    private static String orderBy(List<SortKey> keys) {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            SortKey k = keys.get(i);
            order.append(i == 0 ? "" : ", ").append(k.column().name())
                    .append(k.descending() ? " DESC NULLS LAST" : " ASC NULLS FIRST");
        }
        return order.toString();
    }

    /** Every row a SELECT of all of {@code t}'s columns gives. */
    private static List<Row> rows(Connection c, TableDef t, SqlFragment f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(f.sql())) {
            f.bind(ps, 1);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(readRow(rs, t, t.columns()));
                }
            }
            return rows;
        }
    }

    /** Counts matching rows, stopping at {@code cap + 1} so a count never scans a huge table. */
    public long count(Connection c, TableDef t, Optional<SqlFragment> filter, long cap) throws SQLException {
        SqlFragment.Builder sql = new SqlFragment.Builder();
        sql.append("SELECT count(*) FROM (SELECT 1 FROM ").append(t.logicalName());
        appendConditions(sql, filter.map(List::of).orElse(List.of()));
        sql.append(" LIMIT ").append(Long.toString(cap + 1)).append(") AS counted");
        SqlFragment f = sql.build();
        try (PreparedStatement ps = c.prepareStatement(f.sql())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /** POST: creates a row; an existing id is a duplicate (412, §3). */
    public Row create(Connection c, TableDef t, Optional<UUID> id, Map<ColumnDef, Object> values) throws SQLException {
        requireAll(t, values);
        Map<ColumnDef, Object> all = withCreateDefaults(c, t, values);
        all.put(t.primaryId(), id.orElseGet(UUID::randomUUID));
        return insert(c, t, all, Optional.empty(), Map.of(), false).row();
    }

    /**
     * PATCH: update or upsert, as the precondition says (§2, §9). Values never include the id or key columns
     * of the address; those come from the address.
     */
    public WriteOutcome write(Connection c, RowAddress address, Map<ColumnDef, Object> values, Precondition p)
            throws SQLException {
        TableDef t = address.table();
        if (p instanceof Precondition.None) {
            Map<ColumnDef, Object> insertValues = withCreateDefaults(c, t, values);
            insertValues.putAll(addressValuesForCreate(address, values));
            Optional<ColumnDef> missing = missingRequired(t, insertValues);
            if (missing.isPresent()) {
                // the body could update the row but not create it: an upsert that would create is refused as a
                // POST without the column is (one statement cannot say which it will do, so update first)
                return update(c, address, updatableSubset(address, values), Optional.empty())
                        .map(row -> new WriteOutcome(row, false))
                        .orElseThrow(() -> DataverseError.REQUIRED_COLUMN_MISSING.exception(missing.get().name(), t.logicalName()));
            }
            return insert(c, t, insertValues, Optional.of(address), updatableSubset(address, values), false);
        }
        if (p instanceof Precondition.Absent) {
            Map<ColumnDef, Object> insertValues = withCreateDefaults(c, t, values);
            insertValues.putAll(addressValuesForCreate(address, values));
            requireAll(t, insertValues);
            return insert(c, t, insertValues, Optional.empty(), Map.of(), true);
        }
        Optional<Long> expected = p instanceof Precondition.VersionEquals v ? Optional.of(v.version()) : Optional.empty();
        if (p instanceof Precondition.Unmatchable) {
            throw exists(c, address) ? DataverseError.CONCURRENCY_VERSION_MISMATCH.exception() : notFound(address);
        }
        Optional<Row> updated = update(c, address, updatableSubset(address, values), expected);
        if (updated.isPresent()) {
            return new WriteOutcome(updated.get(), false);
        }
        throw expected.isPresent() && exists(c, address) ? DataverseError.CONCURRENCY_VERSION_MISMATCH.exception()
                : notFound(address);
    }

    /** DELETE: removes the row; with {@code If-Match: W/"n"} only at that version (§2). */
    public void delete(Connection c, RowAddress address, Precondition p) throws SQLException {
        if (p instanceof Precondition.Unmatchable) {
            throw exists(c, address) ? DataverseError.CONCURRENCY_VERSION_MISMATCH.exception() : notFound(address);
        }
        Optional<Long> expected = p instanceof Precondition.VersionEquals v ? Optional.of(v.version()) : Optional.empty();
        TableDef t = address.table();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(t.logicalName()).append(" WHERE ");
        appendWhere(sql, address);
        expected.ifPresent(v -> sql.append(" AND ").append(TableDef.VERSION_NUMBER).append(" = ?"));
        int deleted;
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = bindAddress(ps, 1, address);
            if (expected.isPresent()) {
                ps.setLong(i, expected.get());
            }
            deleted = ps.executeUpdate();
        } catch (SQLException e) {
            if (SqlState.FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) || SqlState.RESTRICT_VIOLATION.equals(e.getSQLState())) {
                // a Restrict relationship's foreign key (ON DELETE RESTRICT), or a user's own; the statement deleted
                // nothing (and, in a transaction, the transaction is rolled back by the caller)
                throw DataverseError.CANNOT_DELETE_DUE_TO_ASSOCIATION.exception();
            }
            throw e;
        }
        if (deleted == 0) {
            throw expected.isPresent() && exists(c, address) ? DataverseError.CONCURRENCY_VERSION_MISMATCH.exception()
                    : notFound(address);
        }
    }

    /** Sets one column (single-property PUT and DELETE, §4); the row must exist. */
    public Row setColumn(Connection c, RowAddress address, ColumnDef column, Object value) throws SQLException {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        values.put(column, value);
        return update(c, address, values, Optional.empty()).orElseThrow(() -> notFound(address));
    }

    public boolean exists(Connection c, RowAddress address) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT 1 FROM ").append(address.table().logicalName()).append(" WHERE ");
        appendWhere(sql, address);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bindAddress(ps, 1, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static DataverseException notFound(RowAddress address) {
        TableDef t = address.table();
        return address.id().<DataverseException>map(id -> DataverseError.OBJECT_DOES_NOT_EXIST.exception(t.logicalName(), id))
                .orElseGet(() -> DataverseError.RECORD_NOT_FOUND_BY_ENTITY_KEY.exception(t.logicalName()));
    }

    // ---------------------------------------------------------------- statement building

    private Optional<Row> update(Connection c, RowAddress address, Map<ColumnDef, Object> values, Optional<Long> expected)
            throws SQLException {
        TableDef t = address.table();
        StringBuilder sql = new StringBuilder("UPDATE ").append(t.logicalName()).append(" SET ");
        for (ColumnDef col : values.keySet()) {
            sql.append(col.name()).append(" = ?, ");
        }
        sql.append(TableDef.VERSION_NUMBER).append(" = ").append(NEXT_VERSION).append(", ")
                .append(TableDef.MODIFIED_ON).append(" = ").append(NOW).append(" WHERE ");
        appendWhere(sql, address);
        expected.ifPresent(v -> sql.append(" AND ").append(TableDef.VERSION_NUMBER).append(" = ?"));
        sql.append(" RETURNING ").append(allColumns(t));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Map.Entry<ColumnDef, Object> e : values.entrySet()) {
                SqlValues.bind(ps, i++, e.getKey(), e.getValue());
            }
            i = bindAddress(ps, i, address);
            if (expected.isPresent()) {
                ps.setLong(i, expected.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRow(rs, t, t.columns())) : Optional.empty();
            }
        } catch (SQLException e) {
            SqlFailures.throwIfTableConstraint(e, t, values, false);
            throw e;
        }
    }

    /**
     * INSERT, optionally as an upsert on the address ({@code ON CONFLICT (id or key columns) DO UPDATE}), in one
     * statement, so two racing upserts of one row never both create it.
     */
    /**
     * @param createOnly the client asked for "create, never update" ({@code If-None-Match: *}): any duplicate is
     *                   the §2 answer 0x80040237, not the alternate-key violation 0x80060892
     */
    private WriteOutcome insert(Connection c, TableDef t, Map<ColumnDef, Object> values, Optional<RowAddress> upsertOn,
                                Map<ColumnDef, Object> updateValues, boolean createOnly) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(t.logicalName()).append(" (");
        StringBuilder params = new StringBuilder();
        for (ColumnDef col : values.keySet()) {
            sql.append(col.name()).append(", ");
            params.append("?, ");
        }
        sql.append(TableDef.VERSION_NUMBER).append(", ").append(TableDef.CREATED_ON).append(", ")
                .append(TableDef.MODIFIED_ON).append(") VALUES (").append(params)
                .append(NEXT_VERSION).append(", ").append(NOW).append(", ").append(NOW).append(")");
        if (upsertOn.isPresent()) {
            sql.append(" ON CONFLICT (");
            List<ColumnDef> target = new ArrayList<>(upsertOn.get().values().keySet());
            for (int i = 0; i < target.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(target.get(i).name());
            }
            sql.append(") DO UPDATE SET ");
            for (ColumnDef col : updateValues.keySet()) {
                sql.append(col.name()).append(" = EXCLUDED.").append(col.name()).append(", ");
            }
            sql.append(TableDef.VERSION_NUMBER).append(" = EXCLUDED.").append(TableDef.VERSION_NUMBER).append(", ")
                    .append(TableDef.MODIFIED_ON).append(" = EXCLUDED.").append(TableDef.MODIFIED_ON);
        }
        sql.append(" RETURNING ").append(allColumns(t)).append(", (xmax = 0) AS ").append(CREATED_FLAG);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Map.Entry<ColumnDef, Object> e : values.entrySet()) {
                SqlValues.bind(ps, i++, e.getKey(), e.getValue());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Row row = readRow(rs, t, t.columns());
                return new WriteOutcome(row, rs.getBoolean(t.columns().size() + 1));
            }
        } catch (SQLException e) {
            SqlFailures.throwIfTableConstraint(e, t, values, createOnly);
            throw e;
        }
    }

    /** The values a create adds to what the client sent: metadata defaults and autonumbers. */
    private Map<ColumnDef, Object> withCreateDefaults(Connection c, TableDef t, Map<ColumnDef, Object> values)
            throws SQLException {
        Map<ColumnDef, Object> all = new LinkedHashMap<>(values);
        for (ColumnDef col : t.columns()) {
            if (col.origin() != ColumnDef.Origin.USER || all.containsKey(col)) {
                continue;
            }
            if (col.defaultValue() != null) {
                all.put(col, col.defaultValue());
            } else if (col.autoNumberFormat().isPresent()) {
                all.put(col, col.autoNumberFormat().get().render(nextValue(c, col.sequenceName(t))));
            }
        }
        return all;
    }

    private static long nextValue(Connection c, String sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + sequence + "')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Refuses a create that lacks a required column (one with a default or an autonumber is filled in). */
    private static void requireAll(TableDef t, Map<ColumnDef, Object> values) {
        Optional<ColumnDef> missing = missingRequired(t, values);
        if (missing.isPresent()) {
            throw DataverseError.REQUIRED_COLUMN_MISSING.exception(missing.get().name(), t.logicalName());
        }
    }

    private static Optional<ColumnDef> missingRequired(TableDef t, Map<ColumnDef, Object> values) {
        for (ColumnDef col : t.columns()) {
            if (col.required() && values.get(col) == null && col.defaultValue() == null && col.autoNumberFormat().isEmpty()) {
                return Optional.of(col);
            }
        }
        return Optional.empty();
    }

    /**
     * The address's values for a row the write creates: its id, or the key values (those in the body win, §9).
     */
    private static Map<ColumnDef, Object> addressValuesForCreate(RowAddress address, Map<ColumnDef, Object> body) {
        Map<ColumnDef, Object> out = new LinkedHashMap<>();
        if (address.alternateKey().isPresent()) {
            out.put(address.table().primaryId(), UUID.randomUUID());
        }
        for (Map.Entry<ColumnDef, Object> e : address.values().entrySet()) {
            if (!body.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** What an update may change: everything sent except the columns that address the row (§9). */
    private static Map<ColumnDef, Object> updatableSubset(RowAddress address, Map<ColumnDef, Object> values) {
        if (address.alternateKey().isEmpty()) {
            return values;
        }
        Map<ColumnDef, Object> out = new LinkedHashMap<>(values);
        for (ColumnDef keyColumn : address.alternateKey().map(AlternateKey::columns).orElse(List.of())) {
            out.remove(keyColumn);
        }
        return out;
    }

    private static void appendWhere(StringBuilder sql, RowAddress address) {
        boolean first = true;
        for (ColumnDef col : address.values().keySet()) {
            sql.append(first ? "" : " AND ").append(col.name()).append(" = ?");
            first = false;
        }
    }

    private static int bindAddress(PreparedStatement ps, int index, RowAddress address) throws SQLException {
        for (Map.Entry<ColumnDef, Object> e : address.values().entrySet()) {
            SqlValues.bind(ps, index++, e.getKey(), e.getValue());
        }
        return index;
    }

    private static void appendConditions(SqlFragment.Builder sql, List<SqlFragment> conditions) {
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? " WHERE (" : " AND (").append(conditions.get(i)).append(")");
        }
    }

    /** Every column of the table, as a select list; built once per table. */
    private String allColumns(TableDef t) {
        return allColumns.computeIfAbsent(t.logicalName(), name -> columnList(t.columns()));
    }

    private static String columnList(List<ColumnDef> columns) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(columns.get(i).name());
        }
        return sb.toString();
    }

    private static Row readRow(ResultSet rs, TableDef t, List<ColumnDef> columns) throws SQLException {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), SqlValues.read(rs, i + 1, columns.get(i)));
        }
        return new Row(t, values);
    }
}
