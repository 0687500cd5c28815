package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row a POST creates, with the rows a deep insert creates or relates along with it (§3 "Deep insert"): the rows
 * nested under its lookups' navigation properties ({@code referenced}: created first, the new row's lookup points at
 * them) and the rows of its collection-valued navigation properties ({@code related}: created or bound after it, in
 * the order of the body). A plain create is a row with neither.
 */
public record NewRow(Payload payload, Map<ColumnDef, NewRow> referenced, List<RelatedRows> related) {
    public NewRow {
        // a plain create (nearly every POST) copies nothing
        referenced = referenced.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(referenced));
        related = related.isEmpty() ? List.of() : List.copyOf(related);
    }

    /** A row created alone, as a plain create. */
    public static NewRow of(Payload payload) {
        return new NewRow(payload, Map.of(), List.of());
    }

    public TableDef table() {
        return payload.table();
    }

    /** Whether creating it creates or relates other rows too. */
    public boolean isDeep() {
        return !referenced.isEmpty() || !related.isEmpty();
    }
}
