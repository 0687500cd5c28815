package dev.dvemu.server.schemaimport;

import java.util.List;
import java.util.Optional;

/**
 * What {@link TableSelection} needs to know of an org's schema, whichever document it was read from (a
 * {@code $metadata} CSDL, an {@code EntityDefinitions} dump): the tables in document order, why one cannot be
 * imported, and the tables each of its lookups may target.
 */
interface SchemaSource {
    /** How messages name the document: "the CSDL". */
    String document();

    /** Every entity of the document, importable or not, in document order. */
    List<String> tableNames();

    boolean has(String table);

    /** Why {@code table} cannot be a dvemu table; empty when it can. */
    Optional<String> whyNot(String table);

    /** A lookup ({@code property}: as the document names it) and the targets that can be tables, in document order. */
    record LookupTargets(String property, List<String> targets) {
    }

    /** Each lookup of {@code table} with its importable targets (several: a polymorphic lookup). */
    List<LookupTargets> lookupTargets(String table);
}
