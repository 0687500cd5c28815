package dev.dvemu.client;

import java.util.Objects;

/**
 * A row version as the service sends it ({@code W/"12345"} in {@code @odata.etag}); opaque, sent back unchanged in
 * {@code If-Match} to make a write conditional.
 *
 * <pre>{@code
 * Row row = dv.retrieve(ref).orElseThrow();
 * dv.update(ref, changes, row.etag());   // 412 VersionConflictException if someone wrote in between
 * }</pre>
 */
public record ETag(String value) {
    public ETag {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an ETag is never blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
