package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A create or update body, checked against metadata: typed column values, the id the client chose (if any), and
 * lookups bound by alternate key, which are resolved to ids inside the write's transaction.
 */
public record Payload(TableDef table, Optional<UUID> id, Map<ColumnDef, Object> values, Map<ColumnDef, RowAddress> keyBinds) {
    public Payload {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        keyBinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyBinds));
    }

    /** The values to write, with lookups bound by alternate key turned into ids (404 when no row has the key). */
    public Map<ColumnDef, Object> resolve(Connection c, RowStore store) throws SQLException {
        if (keyBinds.isEmpty()) {
            return values;
        }
        Map<ColumnDef, Object> out = new LinkedHashMap<>(values);
        for (Map.Entry<ColumnDef, RowAddress> e : keyBinds.entrySet()) {
            Row target = store.find(c, e.getValue()).orElseThrow(() -> RowStore.notFound(e.getValue()));
            out.put(e.getKey(), target.id());
        }
        return out;
    }
}
