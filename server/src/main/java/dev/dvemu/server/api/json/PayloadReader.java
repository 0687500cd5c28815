package dev.dvemu.server.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.NewRow;
import dev.dvemu.server.execution.Payload;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.metadata.ValueConverter;
import dev.dvemu.server.store.RowAddress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads a JSON request body for a table: every property must be a column of the table (by its wire name),
 * of the right type and within its limits; lookups are set with {@code nav@odata.bind} (§3, §10b).
 * Anything else is a 400 with the message Dataverse gives, never a 500.
 */
public final class PayloadReader {
    /** Bodies larger than this are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int MAX_NESTING = 64;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }

    private final Catalog catalog;

    public PayloadReader(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Parses the body of an update for {@code table}; an id in the body is returned. A Content-ID in
     * {@code @odata.bind} ({@code $1}) is resolved in {@code unit}, the changeset it was declared in. Rows nested
     * under navigation properties are refused: Dataverse has deep insert, not deep update.
     */
    public Payload read(InputStream body, TableDef table, UnitOfWork unit) {
        Fields fields = fields(parseObject(body, table), table, unit);
        if (!fields.navigations().isEmpty()) {
            throw notInAnUpdate(table, fields.navigations().get(0));
        }
        return fields.payload();
    }

    /**
     * Parses the body of a create for {@code table}, with the rows nested in it under navigation properties and the
     * rows bound to its collection-valued navigation properties (deep insert, §3).
     */
    public NewRow readNew(InputStream body, TableDef table, UnitOfWork unit) {
        Fields fields = fields(parseObject(body, table), table, unit);
        if (fields.navigations().isEmpty()) {
            return NewRow.of(fields.payload());
        }
        return new NestedRows(this, catalog, unit).row(table, fields);
    }

    /** The columns a JSON object sets, and its navigation properties that hold rows, left to the caller. */
    record Fields(Payload payload, List<NavigationValue> navigations) {
    }

    /** Reads one JSON object of a body as a row of {@code table}. */
    Fields fields(JsonNode root, TableDef table, UnitOfWork unit) {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        Map<ColumnDef, RowAddress> keyBinds = new LinkedHashMap<>();
        List<NavigationValue> navigations = List.of();
        Optional<UUID> id = Optional.empty();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.endsWith("@odata.bind")) {
                String nav = name.substring(0, name.length() - "@odata.bind".length());
                Optional<ColumnDef> lookup = table.lookupByNavigation(nav);
                if (lookup.isPresent()) {
                    bind(table, lookup.get(), value, values, keyBinds, unit);
                    continue;
                }
                NavigationValue collection = collectionNavigation(table, nav, value, true).orElseThrow(() -> payloadError(table,
                        "Microsoft.OData.ODataException: An undeclared property '" + nav
                                + "' which only has property annotations in the payload but no property value was found in the payload."));
                navigations = add(navigations, collection);
                continue;
            }
            if (name.startsWith("@") || name.contains("@")) {
                continue; // instance and property annotations (@odata.type, @odata.etag, FormattedValue...) carry no data
            }
            Optional<ColumnDef> column = table.columnByProperty(name);
            if (column.isEmpty()) {
                // "parentaccountid": null clears a lookup by its logical name (§10b)
                Optional<ColumnDef> lookup = table.column(name).filter(ColumnDef::isLookup);
                if (lookup.isPresent() && value.isNull()) {
                    values.put(lookup.get(), null);
                    continue;
                }
                Optional<ColumnDef> single = table.lookupByNavigation(name);
                if (single.isPresent()) {
                    navigations = add(navigations, new NavigationValue.Single(single.get(), value));
                    continue;
                }
                Optional<NavigationValue> collection = collectionNavigation(table, name, value, false);
                if (collection.isPresent()) {
                    navigations = add(navigations, collection.get());
                    continue;
                }
                throw DataverseError.INVALID_PROPERTY_IN_PAYLOAD.exception(name, table.qualifiedTypeName());
            }
            ColumnDef col = column.get();
            if (col.isLookup()) {
                throw readOnly(table, name);
            }
            if (col.isReadOnly()) {
                // rows read earlier may be sent back whole, so a valid value of a server-managed column is ignored
                // (the column keeps the server's value); a value of the wrong type is still a mistake and refused
                convert(table, col, value);
                continue;
            }
            Object v = convert(table, col, value);
            if (col.origin() == ColumnDef.Origin.PRIMARY_ID) {
                if (v == null) {
                    throw DataverseError.BAD_REQUEST.exception("The primary key '" + name + "' cannot be null.");
                }
                id = Optional.of((UUID) v);
                continue;
            }
            values.put(col, v);
        }
        return new Fields(new Payload(table, id, values, keyBinds), navigations);
    }

    /**
     * The value of a collection-valued navigation property of {@code table}, if {@code name} is one: the one place
     * such a property is recognised (a one-to-many relationship's; a many-to-many one would be a branch here).
     */
    private Optional<NavigationValue> collectionNavigation(TableDef table, String name, JsonNode value, boolean bind) {
        return catalog.collectionNavigation(table, name).map(r -> new NavigationValue.Collection(r, value, bind));
    }

    /** A list that costs nothing while a body has no navigation values, the usual case. */
    private static List<NavigationValue> add(List<NavigationValue> list, NavigationValue value) {
        List<NavigationValue> out = list.isEmpty() ? new ArrayList<>() : list;
        out.add(value);
        return out;
    }

    /** What an update gets for rows under a navigation property: deep update is not supported (§3). */
    private static DataverseException notInAnUpdate(TableDef table, NavigationValue navigation) {
        String nav = navigation.name();
        if (navigation instanceof NavigationValue.Collection c && c.bind()) {
            return DataverseError.NOT_SUPPORTED.exception("Binding rows to the collection-valued navigation property '" + nav
                    + "' is not supported in an update; relate each row with POST " + table.entitySetName() + "(<id>)/" + nav
                    + "/$ref, or bind it from the related row's side.");
        }
        if (!navigation.value().isContainerNode()) {
            return navigation instanceof NavigationValue.Single
                    ? expectedObject(table, nav, navigation.value()) : expectedArray(table, nav, navigation.value());
        }
        return DataverseError.NOT_SUPPORTED.exception("Deep update is not supported: the navigation property '" + nav
                + "' of " + table.logicalName() + " holds rows in an update. Create related rows with a POST (deep insert), and "
                + (navigation instanceof NavigationValue.Single ? "bind an existing row with '" + nav + "@odata.bind'."
                : "relate existing rows with POST " + table.entitySetName() + "(<id>)/" + nav + "/$ref."));
    }

    /** A navigation property that takes one row holds something else (OData's words for it). */
    static DataverseException expectedObject(TableDef table, String navigation, JsonNode found) {
        return payloadError(table, "Microsoft.OData.ODataException: A node of type '" + nodeType(found)
                + "' was read from the JSON reader when trying to read the start of an entry for the navigation property '"
                + navigation + "'. A 'StartObject' node was expected.");
    }

    /** A collection-valued navigation property holds something other than an array of rows. */
    static DataverseException expectedArray(TableDef table, String navigation, JsonNode found) {
        return payloadError(table, "Microsoft.OData.ODataException: A node of type '" + nodeType(found)
                + "' was read from the JSON reader when trying to read the start of the resource set of the navigation property '"
                + navigation + "'. A 'StartArray' node was expected.");
    }

    private static String nodeType(JsonNode node) {
        return node.isObject() ? "StartObject" : node.isArray() ? "StartArray" : "PrimitiveValue";
    }

    /**
     * Reads {@code {"@odata.id": "<row URL>"}}, the body of a {@code $ref} request (§10b): the row it names, a
     * Content-ID ({@code $1}) resolved in {@code unit}. {@code table} names the navigation's owner in messages.
     */
    public RowAddress readReference(InputStream body, TableDef table, UnitOfWork unit) {
        JsonNode root = parse(body, table);
        JsonNode id = root.isObject() ? root.get("@odata.id") : null;
        if (id == null || !id.isTextual()) {
            throw payloadError(table, "Microsoft.OData.ODataException: An entity reference was expected in the payload as {\"@odata.id\": \"<URL of the row>\"}.");
        }
        return References.parse(id.asText(), catalog, unit).orElseThrow(() ->
                DataverseError.BAD_REQUEST.exception("The @odata.id '" + id.asText() + "' does not name a row of a table."));
    }

    /** Reads {@code {"value": ...}} for a single-column PUT (§4). */
    public Object readPropertyValue(InputStream body, TableDef table, ColumnDef column) {
        JsonNode root = parse(body, table);
        if (!root.isObject() || !root.has("value")) {
            throw payloadError(table, "Microsoft.OData.ODataException: A property value was expected in the payload as {\"value\": ...}.");
        }
        return convert(table, column, root.get("value"));
    }

    /**
     * A row URL of {@code target} named in an {@code @odata.bind} of {@code table}'s navigation property {@code nav}:
     * parsed, its Content-ID resolved in {@code unit}.
     */
    RowAddress bindTarget(TableDef table, String nav, TableDef target, JsonNode value, UnitOfWork unit) {
        if (!value.isTextual()) {
            throw payloadError(table, "Microsoft.OData.ODataException: The value of '" + nav
                    + "@odata.bind' must be a URL such as '/" + target.entitySetName() + "(<id>)'.");
        }
        RowAddress address = References.parse(value.asText(), catalog, unit)
                .orElseThrow(() -> payloadError(table, "Microsoft.OData.ODataException: '" + value.asText()
                        + "' in '" + nav + "@odata.bind' is not a row URL such as '/" + target.entitySetName() + "(<id>)'."));
        if (address.table() != target) {
            throw payloadError(table, "Microsoft.OData.ODataException: '" + nav
                    + "' refers to " + target.entitySetName() + ", not to " + address.table().entitySetName() + ".");
        }
        return address;
    }

    private void bind(TableDef table, ColumnDef lookup, JsonNode value, Map<ColumnDef, Object> values,
                      Map<ColumnDef, RowAddress> keyBinds, UnitOfWork unit) {
        if (value.isNull()) {
            values.put(lookup, null);
            return;
        }
        RowAddress address = bindTarget(table, lookup.navigationProperty(), catalog.require(lookup.lookupTarget()), value, unit);
        if (address.id().isPresent()) {
            values.put(lookup, address.id().get());
        } else {
            keyBinds.put(lookup, address);
        }
    }

    private static Object convert(TableDef table, ColumnDef col, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        try {
            return ValueConverter.fromJson(col, value, table.logicalName());
        } catch (ValueConverter.InvalidValueException e) {
            throw e.kind() == ValueConverter.InvalidValueException.Kind.VALIDATION
                    ? DataverseError.VALIDATION.exception(e.getMessage())
                    : DataverseError.INVALID_VALUE_IN_PAYLOAD.exception(e.getMessage());
        }
    }

    /** The body as a JSON object: anything else is not a row. */
    private static JsonNode parseObject(InputStream body, TableDef table) {
        JsonNode root = parse(body, table);
        if (!root.isObject()) {
            throw payloadError(table, "Microsoft.OData.ODataException: A resource was expected in the payload, but found '" + root.getNodeType() + "'.");
        }
        return root;
    }

    private static JsonNode parse(InputStream body, TableDef table) {
        byte[] bytes;
        int length;
        try {
            Body read = body == null ? new Body(new byte[0], 0) : readUpTo(body, MAX_BODY_BYTES + 1);
            bytes = read.bytes();
            length = read.length();
        } catch (IOException e) {
            throw payloadError(table, "System.IO.IOException: the request body could not be read.");
        }
        if (length > MAX_BODY_BYTES) {
            throw DataverseError.REQUEST_TOO_LARGE.exception();
        }
        if (length == 0) {
            throw payloadError(table, "Microsoft.OData.ODataException: The request body is empty; a JSON object was expected.");
        }
        try (JsonParser parser = parser(bytes, length, table)) {
            return JSON.readTree(parser);
        } catch (JsonProcessingException e) {
            throw payloadError(table, "Microsoft.OData.ODataException: Invalid JSON. " + describe(e));
        } catch (IOException e) {
            throw payloadError(table, "Microsoft.OData.ODataException: Invalid JSON.");
        }
    }

    /**
     * A parser over the body. Jackson's own UTF-8 reader lets overlong forms through ({@code C0 AF} becomes
     * {@code '/'}), so a body with any byte beyond ASCII is decoded strictly first; an ASCII body (the usual one)
     * cannot hold such a form and is parsed as it is.
     */
    private static JsonParser parser(byte[] bytes, int length, TableDef table) throws IOException {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                CharBuffer text = Utf8.decode(bytes, length).orElseThrow(() ->
                        payloadError(table, "Microsoft.OData.ODataException: The request body is not valid UTF-8."));
                return JSON.getFactory().createParser(text.array(), text.arrayOffset() + text.position(), text.remaining());
            }
        }
        return JSON.getFactory().createParser(bytes, 0, length);
    }

    /**
     * What is wrong with a body that is not JSON, and where, in words of our own: the parser's messages name its
     * classes and settings ({@code JsonNode}, {@code FAIL_ON_TRAILING_TOKENS}, {@code StreamReadConstraints}).
     */
    static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (original.startsWith("Trailing token")) {
            what = "Unexpected content after the end of the JSON value";
        } else if (original.contains("nesting depth")) {
            what = "The JSON is nested more than " + MAX_NESTING + " levels deep";
        } else if (original.startsWith("Duplicate field")) {
            what = original;
        } else if (original.startsWith("Unexpected end-of-input")) {
            what = "The JSON ends before its value is complete";
        } else {
            // the parser's own sentence, cut before anything that names its internals
            what = original.replaceAll("\\s*\\(start marker at.*", "").replaceAll("`[^`]*`", "").trim();
            int cut = what.indexOf('\n');
            what = cut < 0 ? what : what.substring(0, cut);
        }
        return what + where + ".";
    }

    /** The first {@code length} bytes of {@code bytes} are the body. */
    private record Body(byte[] bytes, int length) {
    }

    /**
     * Reads at most {@code limit} bytes into a buffer sized by what has already arrived, growing as needed: a typical
     * body of a few hundred bytes costs one small array (reading "all bytes" starts every body with 8 KiB).
     */
    private static Body readUpTo(InputStream in, int limit) throws IOException {
        byte[] buf = new byte[Math.min(limit, Math.max(in.available() + 1, 512))];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length >= limit) {
                    break;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit, buf.length * 2L));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new Body(buf, n);
    }

    static DataverseException payloadError(TableDef table, String inner) {
        return DataverseError.PAYLOAD_ERROR.exception(table.logicalName(), inner);
    }

    private static DataverseException readOnly(TableDef table, String property) {
        return DataverseError.READ_ONLY_PROPERTY.exception(table.logicalName(), property);
    }
}
