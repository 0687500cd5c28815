package dev.dvemu.server.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.store.Row;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes rows as Dataverse JSON (odata.metadata=minimal): {@code @odata.context}, {@code @odata.etag} on every row,
 * then the selected columns in table order; collections add {@code @odata.count} after the context and
 * {@code @odata.nextLink} after {@code value} (§1, §8). Rows are flat, so a streaming generator is all it takes.
 */
public final class RowJson {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private RowJson() {
    }

    /** What a row carries after its columns for an expanded navigation property. */
    public sealed interface Expanded {
        String navigation();
    }

    /** A lookup's row (or null), with its columns. */
    public record ExpandedRow(String navigation, Row row, List<ColumnDef> columns, Expansions nested) implements Expanded {
    }

    /** A lookup expanded as a reference: the related row's URL, or null. */
    public record ExpandedReference(String navigation, String url) implements Expanded {
    }

    /** Related rows, with their columns, and the link that reads them again (null for none). */
    public record ExpandedRows(String navigation, List<Row> rows, List<ColumnDef> columns, String nextLink,
                               Expansions nested) implements Expanded {
    }

    /** A row's expansions: none for plain reads. */
    public interface Expansions {
        Expansions NONE = row -> List.of();

        List<Expanded> of(Row row);
    }

    public static byte[] entity(String contextUrl, Row row, List<ColumnDef> columns, Annotations annotations) {
        return entity(contextUrl, row, columns, annotations, Expansions.NONE);
    }

    public static byte[] entity(String contextUrl, Row row, List<ColumnDef> columns, Annotations annotations,
                                Expansions expansions) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            writeRowFields(g, row, columns, annotations);
            writeExpansions(g, expansions.of(row), annotations);
            g.writeEndObject();
        });
    }

    private static void writeExpansions(JsonGenerator g, List<Expanded> expanded, Annotations annotations) throws IOException {
        for (Expanded e : expanded) {
            if (e instanceof ExpandedReference ref) {
                g.writeFieldName(ref.navigation());
                if (ref.url() == null) {
                    g.writeNull();
                } else {
                    g.writeStartObject();
                    g.writeStringField("@odata.id", ref.url());
                    g.writeEndObject();
                }
            } else if (e instanceof ExpandedRow one) {
                g.writeFieldName(one.navigation());
                if (one.row() == null) {
                    g.writeNull();
                } else {
                    g.writeStartObject();
                    writeRowFields(g, one.row(), one.columns(), annotations);
                    writeExpansions(g, one.nested().of(one.row()), annotations);
                    g.writeEndObject();
                }
            } else if (e instanceof ExpandedRows many) {
                g.writeArrayFieldStart(many.navigation());
                for (Row row : many.rows()) {
                    g.writeStartObject();
                    writeRowFields(g, row, many.columns(), annotations);
                    writeExpansions(g, many.nested().of(row), annotations);
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (many.nextLink() != null) {
                    g.writeStringField(many.navigation() + "@odata.nextLink", many.nextLink());
                }
            }
        }
    }

    /**
     * What a collection says about its size (§8): {@code @odata.count} when {@code $count=true}, capped at
     * {@code cap}; {@code counted} may exceed the cap by one, which tells that the cap was exceeded.
     */
    public record Count(OptionalLong counted, long cap) {
    }

    public static byte[] collection(String contextUrl, List<Row> rows, List<ColumnDef> columns, Annotations annotations,
                             Count count, String nextLink) {
        return collection(contextUrl, rows, columns, annotations, count, nextLink, Expansions.NONE);
    }

    public static byte[] collection(String contextUrl, List<Row> rows, List<ColumnDef> columns, Annotations annotations,
                                    Count count, String nextLink, Expansions expansions) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            OptionalLong counted = count.counted();
            if (counted.isPresent()) {
                g.writeNumberField("@odata.count", Math.min(counted.getAsLong(), count.cap()));
            }
            // without $count=true Dataverse reports the total as -1 (count-rows.md)
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT)) {
                g.writeNumberField("@" + Annotations.TOTAL_RECORD_COUNT,
                        counted.isPresent() ? Math.min(counted.getAsLong(), count.cap()) : -1);
            }
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED)) {
                g.writeBooleanField("@" + Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED,
                        counted.isPresent() && counted.getAsLong() > count.cap());
            }
            g.writeArrayFieldStart("value");
            for (Row row : rows) {
                g.writeStartObject();
                writeRowFields(g, row, columns, annotations);
                writeExpansions(g, expansions.of(row), annotations);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (nextLink != null) {
                g.writeStringField("@odata.nextLink", nextLink);
            }
            g.writeEndObject();
        });
    }

    /** A single property: {@code {"@odata.context": ..., "value": ...}}. */
    public static byte[] property(String contextUrl, ColumnDef column, Object value) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            g.writeFieldName("value");
            writeValue(g, column, value);
            g.writeEndObject();
        });
    }

    /** An object of plain string fields after the context (WhoAmI). */
    public static byte[] object(String contextUrl, java.util.Map<String, String> fields) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            for (var e : fields.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    /**
     * A custom API's response: the context, then each response property in declared order ({@code null} when unset);
     * values are those the executor checked (String, Integer, BigDecimal, Double, Boolean, OffsetDateTime, UUID, a
     * list of strings).
     */
    public static byte[] response(String contextUrl, Map<String, Object> properties) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                g.writeFieldName(p.getKey());
                if (p.getValue() instanceof List<?> list) {
                    g.writeStartArray();
                    for (Object e : list) {
                        writeValue(g, null, e);
                    }
                    g.writeEndArray();
                } else if (p.getValue() instanceof Double d) {
                    if (d.isNaN() || d.isInfinite()) {
                        g.writeString(d.isNaN() ? "NaN" : d > 0 ? "INF" : "-INF"); // OData JSON's spelling; JSON has no number for them
                    } else {
                        g.writeNumber(d);
                    }
                } else {
                    writeValue(g, null, p.getValue());
                }
            }
            g.writeEndObject();
        });
    }

    /** {@code {"@odata.context":…,"value":[{"@odata.id":…},…]}}: a collection of references (§10b). */
    public static byte[] references(String contextUrl, List<String> ids) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", contextUrl);
            g.writeArrayFieldStart("value");
            for (String id : ids) {
                g.writeStartObject();
                g.writeStringField("@odata.id", id);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    public static byte[] error(String code, String message) {
        return error(code, message, Map.of());
    }

    /** An error body; {@code annotations} follow the message inside the error object, as Dataverse writes them. */
    public static byte[] error(String code, String message, Map<String, String> annotations) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            // messages may quote request text, and UTF-8 cannot carry an unpaired surrogate a JSON escape made
            g.writeStringField("message", Utf8.withoutUnpairedSurrogates(message));
            for (Map.Entry<String, String> a : annotations.entrySet()) {
                g.writeStringField(a.getKey(), Utf8.withoutUnpairedSurrogates(a.getValue()));
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Annotations precede the property they annotate, as Dataverse writes them (§8). */
    private static void writeRowFields(JsonGenerator g, Row row, List<ColumnDef> columns, Annotations annotations)
            throws IOException {
        g.writeStringField("@odata.etag", row.etag());
        for (ColumnDef c : columns) {
            if (annotations.any()) {
                writeAnnotations(g, c, row.get(c), annotations);
            }
            g.writeFieldName(c.propertyName());
            writeValue(g, c, row.get(c));
        }
    }

    private static void writeAnnotations(JsonGenerator g, ColumnDef c, Object value, Annotations annotations)
            throws IOException {
        if (annotations.includes(Annotations.FORMATTED_VALUE)) {
            var formatted = Annotations.formatted(c, value);
            if (formatted.isPresent()) {
                g.writeStringField(c.propertyName() + "@" + Annotations.FORMATTED_VALUE, formatted.get());
            }
        }
        if (c.isLookup() && value != null) {
            if (annotations.includes(Annotations.ASSOCIATED_NAVIGATION_PROPERTY)) {
                g.writeStringField(c.propertyName() + "@" + Annotations.ASSOCIATED_NAVIGATION_PROPERTY, c.navigationProperty());
            }
            if (annotations.includes(Annotations.LOOKUP_LOGICAL_NAME)) {
                g.writeStringField(c.propertyName() + "@" + Annotations.LOOKUP_LOGICAL_NAME, c.lookupTarget());
            }
        }
    }

    /** The text form of a value, as in a {@code $value} response or a URL. */
    public static String text(Object value) {
        if (value instanceof OffsetDateTime t) {
            return UTC_SECONDS.format(t.withOffsetSameInstant(java.time.ZoneOffset.UTC));
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(value);
    }

    private static void writeValue(JsonGenerator g, ColumnDef c, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(text(v));
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
