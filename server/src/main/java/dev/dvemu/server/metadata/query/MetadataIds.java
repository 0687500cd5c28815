package dev.dvemu.server.metadata.query;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Stable {@code MetadataId}s: a name-based UUID of a fixed prefix, the kind of definition and its logical names, so that
 * a table, column, key or relationship keeps its id across restarts and servers (clients cache them).
 */
final class MetadataIds {
    private static final String PREFIX = "dvemu-metadata:";

    private MetadataIds() {
    }

    static UUID of(String kind, String... names) {
        return UUID.nameUUIDFromBytes((PREFIX + kind + ":" + String.join("/", names)).getBytes(StandardCharsets.UTF_8));
    }
}
