package dev.dvemu.client;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer to one operation of a changeset or batch: its status, the row it created or changed (from
 * {@code OData-EntityId}), and the row itself when the service returned one.
 */
public record OperationResult(int status, Optional<String> entityId, Optional<Row> row, Optional<ETag> etag) {
    private static final Pattern ID_AT_END = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");

    /** The id of the row, read from {@code OData-EntityId} or the returned row's URL. */
    public Optional<UUID> id() {
        return entityId.flatMap(url -> {
            Matcher m = ID_AT_END.matcher(url);
            return m.find() ? Optional.of(UUID.fromString(m.group(1))) : Optional.empty();
        });
    }
}
