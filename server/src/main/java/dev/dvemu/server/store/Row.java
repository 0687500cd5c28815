package dev.dvemu.server.store;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;

import java.util.Collections;
import java.util.Map;
import java.util.UUID;

/**
 * One row as read from PostgreSQL: the selected columns in table order (always including the id and
 * {@code versionnumber}).
 */
public record Row(TableDef table, Map<ColumnDef, Object> values) {
    public Row {
        values = Collections.unmodifiableMap(values);
    }

    public UUID id() {
        return (UUID) values.get(table.primaryId());
    }

    public long version() {
        return (Long) values.get(table.versionNumber());
    }

    /** The weak ETag Dataverse derives from {@code versionnumber} (§1). */
    public String etag() {
        return RowVersion.etag(version());
    }

    public Object get(ColumnDef column) {
        return values.get(column);
    }
}
