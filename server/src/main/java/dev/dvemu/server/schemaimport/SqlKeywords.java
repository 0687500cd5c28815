package dev.dvemu.server.schemaimport;

import java.util.Set;

/**
 * PostgreSQL's reserved key words (PostgreSQL 14, Appendix C: "reserved" and "reserved (can be function or type)"):
 * dvemu writes table and column names into SQL unquoted, so a name among these (an org has an {@code offset} column)
 * cannot be a dvemu table or column.
 */
final class SqlKeywords {
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
            "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
            "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
            "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
            "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
            "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
            "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
            "using", "variadic", "verbose", "when", "where", "window", "with");

    private SqlKeywords() {
    }

    static boolean isReserved(String name) {
        return RESERVED.contains(name);
    }
}
