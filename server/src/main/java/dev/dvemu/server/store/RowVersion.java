package dev.dvemu.server.store;

import java.util.OptionalLong;

/**
 * ETags are {@code W/"<versionnumber>"} (dataverse-web-api.md §1). Clients send them back in {@code If-Match} and
 * {@code If-None-Match}; some strip the weak prefix or the quotes, so parsing is lenient.
 */
public final class RowVersion {
    private RowVersion() {
    }

    public static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    /** The version in an ETag, or empty when it is not one of ours (such an ETag matches no row). */
    public static OptionalLong parse(String etag) {
        String s = etag.trim();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
