package dev.dvemu.server.store;

import dev.dvemu.server.metadata.AlternateKey;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * How a request names one row: by its id ({@code accounts(<guid>)}) or by an alternate key
 * ({@code accounts(accountnumber='A-1')}). Values are already of the columns' Java types.
 */
public record RowAddress(TableDef table, Optional<AlternateKey> alternateKey, Map<ColumnDef, Object> values) {
    public RowAddress {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static RowAddress byId(TableDef table, UUID id) {
        return new RowAddress(table, Optional.empty(), Map.of(table.primaryId(), id));
    }

    public static RowAddress byKey(TableDef table, AlternateKey key, Map<ColumnDef, Object> values) {
        return new RowAddress(table, Optional.of(key), values);
    }

    /** The id, when the row is addressed by it. */
    public Optional<UUID> id() {
        return alternateKey.isPresent() ? Optional.empty() : Optional.of((UUID) values.get(table.primaryId()));
    }

    /** The key predicate as it appears in a URL: {@code <guid>} or {@code name='x',other=3}. */
    public String urlPredicate() {
        if (alternateKey.isEmpty()) {
            return values.get(table.primaryId()).toString();
        }
        return values.entrySet().stream()
                .map(e -> e.getKey().propertyName() + "=" + literal(e.getValue()))
                .collect(Collectors.joining(","));
    }

    private static String literal(Object v) {
        if (v instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        return String.valueOf(v);
    }
}
