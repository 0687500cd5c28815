package dev.dvemu.server.store;

import java.util.OptionalLong;

/**
 * What a write requires of the row's current state, from {@code If-Match} / {@code If-None-Match}
 * (dataverse-web-api.md §2).
 */
public sealed interface Precondition {
    /** No header (or {@code If-None-Match: null}): PATCH upserts, DELETE deletes whatever is there. */
    record None() implements Precondition {
    }

    /** {@code If-Match: *}: the row must exist (PATCH becomes update-only). */
    record Exists() implements Precondition {
    }

    /** {@code If-Match: W/"n"}: the row must exist at exactly this version; checked inside the SQL statement. */
    record VersionEquals(long version) implements Precondition {
    }

    /** {@code If-Match} with an ETag that is no version of ours: matches no row. */
    record Unmatchable() implements Precondition {
    }

    /** {@code If-None-Match: *}: the row must not exist (PATCH becomes create-only). */
    record Absent() implements Precondition {
    }

    Precondition NONE = new None();
    Precondition EXISTS = new Exists();
    Precondition ABSENT = new Absent();

    /** Reads the two headers (either may be null). */
    static Precondition fromHeaders(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String v = ifMatch.trim();
            if (v.equals("*")) {
                return EXISTS;
            }
            // a list of ETags: the first of ours counts
            for (String part : v.split(",")) {
                OptionalLong version = RowVersion.parse(part);
                if (version.isPresent()) {
                    return new VersionEquals(version.getAsLong());
                }
            }
            return new Unmatchable();
        }
        if (ifNoneMatch != null && ifNoneMatch.trim().equals("*")) {
            return ABSENT;
        }
        return NONE;
    }
}
