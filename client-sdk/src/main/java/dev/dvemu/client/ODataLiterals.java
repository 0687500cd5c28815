package dev.dvemu.client;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** OData literal syntax for values in URLs: quoted and escaped strings, so user text can never change a query. */
final class ODataLiterals {
    private ODataLiterals() {
    }

    static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence s) {
            return "'" + s.toString().replace("'", "''") + "'";
        }
        if (value instanceof UUID || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).toPlainString();
        }
        if (value instanceof Instant i) {
            return DateTimeFormatter.ISO_INSTANT.format(i);
        }
        if (value instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
        }
        if (value instanceof ZonedDateTime t) {
            return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof Enum<?> e) {
            return "'" + e.name().replace("'", "''") + "'";
        }
        throw new IllegalArgumentException("no OData literal for a " + value.getClass().getName());
    }

    /** Percent-encodes a query option value; {@code $}, {@code ,}, {@code '}, {@code (} and {@code )} stay readable. */
    static String encodeQuery(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%27", "'").replace("%28", "(").replace("%29", ")").replace("%2C", ",").replace("%24", "$");
    }

    /** Percent-encodes a path segment (a key predicate); quotes, parentheses, commas and '=' stay readable. */
    static String encodePath(String s) {
        return encodeQuery(s).replace("%3D", "=");
    }

    static String instantText(Instant i) {
        return DateTimeFormatter.ISO_INSTANT.format(i.atOffset(ZoneOffset.UTC));
    }
}
