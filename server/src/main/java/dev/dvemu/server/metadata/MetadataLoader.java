package dev.dvemu.server.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads table definitions, one JSON file per table (format: {@code metadata/README.md}), and checks them:
 * every problem is reported with the file and the field it is in.
 */
public final class MetadataLoader {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    private static final Pattern NAVIGATION = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");
    private static final Set<String> RESERVED = Set.of(TableDef.VERSION_NUMBER, TableDef.CREATED_ON, TableDef.MODIFIED_ON);
    private static final Set<String> TABLE_FIELDS = Set.of("logicalName", "schemaName", "entitySetName", "displayName",
            "primaryIdColumn", "primaryNameColumn", "description", "columns", "alternateKeys", "manyToMany");
    private static final Set<String> COLUMN_FIELDS = Set.of("name", "type", "maxLength", "minValue", "maxValue",
            "precision", "options", "default", "target", "navigationProperty", "relationship", "cascadeDelete", "autoNumberFormat", "required",
            "description", "displayName", "schemaName", "format");

    private final ObjectMapper json = new ObjectMapper();

    /** Loads every {@code *.json} file of {@code tablesDir}, in file-name order; lookups must target its own tables. */
    public Catalog load(Path tablesDir) {
        java.util.Map<String, String> fileOf = new java.util.HashMap<>();
        List<TableDef> tables = read(tablesDir, fileOf);
        for (TableDef t : tables) {
            for (ColumnDef lookup : t.lookups()) {
                if (!fileOf.containsKey(lookup.lookupTarget())) {
                    throw new MetadataException(fileOf.get(t.logicalName()) + " (" + t.logicalName() + ") column '"
                            + lookup.name() + "': lookup target '" + lookup.lookupTarget() + "' is not a table in " + tablesDir);
                }
            }
        }
        try {
            return new Catalog(tables);
        } catch (MetadataException e) {
            throw new MetadataException(tablesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checked definitions of {@code tablesDir}, in file-name order; lookup targets are not checked here, since
     * with several sources ({@link MetadataSources}) a lookup may target another source's table.
     */
    public List<TableDef> tables(Path tablesDir) {
        return read(tablesDir, new java.util.HashMap<>());
    }

    private List<TableDef> read(Path tablesDir, java.util.Map<String, String> fileOf) {
        if (!Files.isDirectory(tablesDir)) {
            throw new MetadataException("metadata table directory " + tablesDir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(tablesDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new MetadataException("cannot list " + tablesDir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new MetadataException("no table definitions (*.json) in " + tablesDir);
        }
        // an org's hundreds of files are parsed on every core; the first failure in file-name order is reported,
        // as a sequential read would report it
        List<Object> parsed = files.parallelStream().map(this::parseFile).toList();
        List<TableDef> tables = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (parsed.get(i) instanceof MetadataException e) {
                throw e;
            }
            TableDef t = (TableDef) parsed.get(i);
            tables.add(t);
            fileOf.putIfAbsent(t.logicalName(), files.get(i).getFileName().toString());
        }
        return tables;
    }

    /** The file's table definition, or the {@link MetadataException} that says what is wrong with it. */
    private Object parseFile(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            return parseTable(json.readTree(in), f.getFileName().toString());
        } catch (IOException e) {
            return new MetadataException(f.getFileName() + ": not valid JSON: " + e.getMessage(), e);
        } catch (MetadataException e) {
            return e;
        }
    }

    TableDef parseTable(JsonNode node, String file) {
        if (!(node instanceof ObjectNode)) {
            throw new MetadataException(file + ": a table definition must be a JSON object");
        }
        unknownFields(node, TABLE_FIELDS, file);
        String logicalName = identifier(node, "logicalName", file);
        String where = file + " (" + logicalName + ")";
        String entitySet = text(node, "entitySetName", where, true);
        if (!NAVIGATION.matcher(entitySet).matches()) {
            throw new MetadataException(where + ": entitySetName '" + entitySet + "' is not a valid name");
        }
        String schemaName = orDefault(text(node, "schemaName", where, false), logicalName);
        String displayName = orDefault(text(node, "displayName", where, false), logicalName);
        String primaryIdName = orDefault(text(node, "primaryIdColumn", where, false), logicalName + "id");
        if (!primaryIdName.equals(logicalName + "id")) {
            throw new MetadataException(where + ": primaryIdColumn must be '" + logicalName + "id'");
        }
        String primaryName = text(node, "primaryNameColumn", where, true);

        List<ColumnDef> columns = new ArrayList<>();
        // Dataverse names the primary id after the table: AccountId, new_BookingId, labelled with the table's name
        ColumnDef id = new ColumnDef(primaryIdName, ColumnType.UNIQUEIDENTIFIER, ColumnDef.Origin.PRIMARY_ID,
                null, null, null, null, null, null, null, null, null, false, null,
                new ColumnDef.Naming(schemaName + "Id", java.util.Optional.of(displayName), java.util.Optional.empty()), null);
        columns.add(id);
        JsonNode cols = node.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw new MetadataException(where + ": 'columns' must be a non-empty array");
        }
        Map<String, String> relationships = new LinkedHashMap<>();
        Set<String> names = new HashSet<>(List.of(id.name()));
        Set<String> propertyNames = new HashSet<>(List.of(id.propertyName()));
        Set<String> navigations = new HashSet<>();
        for (JsonNode c : cols) {
            ColumnDef col = parseColumn(c, where);
            String relationship = text(c, "relationship", where + " column '" + col.name() + "'", false);
            if (relationship != null) {
                if (!col.isLookup()) {
                    throw new MetadataException(where + ": column '" + col.name() + "' is not a Lookup; only lookups have a relationship");
                }
                if (!NAVIGATION.matcher(relationship).matches()) {
                    throw new MetadataException(where + ": relationship '" + relationship + "' is not a valid name");
                }
                relationships.put(col.name(), relationship);
            }
            if (col.name().equals(primaryIdName) || RESERVED.contains(col.name())) {
                throw new MetadataException(where + ": column '" + col.name() + "' is managed by the server; do not declare it");
            }
            // sets, not a scan of the columns so far: an org's tables have a hundred columns and more
            if (!names.add(col.name()) | !propertyNames.add(col.propertyName())) {
                throw new MetadataException(where + ": column '" + col.name() + "' is declared twice");
            }
            if (col.isLookup() && !navigations.add(col.navigationProperty())) {
                throw new MetadataException(where + ": navigation property '" + col.navigationProperty() + "' is declared twice");
            }
            columns.add(col);
        }
        columns.add(system(TableDef.VERSION_NUMBER, ColumnType.BIGINT, "VersionNumber", "Version Number"));
        columns.add(system(TableDef.CREATED_ON, ColumnType.DATETIME, "CreatedOn", "Created On"));
        columns.add(system(TableDef.MODIFIED_ON, ColumnType.DATETIME, "ModifiedOn", "Modified On"));

        ColumnDef nameCol = columns.stream().filter(c -> c.name().equals(primaryName)).findFirst()
                .orElseThrow(() -> new MetadataException(where + ": primaryNameColumn '" + primaryName + "' is not a declared column"));
        if (nameCol.type() != ColumnType.STRING) {
            throw new MetadataException(where + ": primaryNameColumn '" + primaryName + "' must be a String column");
        }

        List<AlternateKey> keys = new ArrayList<>();
        JsonNode keysNode = node.get("alternateKeys");
        if (keysNode != null) {
            if (!keysNode.isArray()) {
                throw new MetadataException(where + ": 'alternateKeys' must be an array");
            }
            for (JsonNode k : keysNode) {
                keys.add(parseKey(k, columns, where));
            }
        }
        return new TableDef(logicalName, schemaName, entitySet, displayName, text(node, "description", where, false), id,
                primaryName, columns, keys, relationships,
                parseManyToMany(node.get("manyToMany"), logicalName, where));
    }

    private static final java.util.Set<String> MANY_TO_MANY_FIELDS = java.util.Set.of("schemaName", "relatedTable", "intersectTable");

    /** {@code "manyToMany": [{"schemaName", "relatedTable", "intersectTable"}]}: this table is the relationship's first entity. */
    private static List<TableDef.ManyToManyDeclaration> parseManyToMany(JsonNode node, String logicalName, String where) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MetadataException(where + ": 'manyToMany' must be an array");
        }
        List<TableDef.ManyToManyDeclaration> out = new ArrayList<>();
        for (JsonNode r : node) {
            if (!(r instanceof ObjectNode)) {
                throw new MetadataException(where + ": each 'manyToMany' entry must be an object");
            }
            String schemaName = text(r, "schemaName", where + " manyToMany", true);
            String at = where + " manyToMany '" + schemaName + "'";
            unknownFields(r, MANY_TO_MANY_FIELDS, at);
            if (!NAVIGATION.matcher(schemaName).matches()) {
                throw new MetadataException(at + ": schemaName is not a valid name");
            }
            String related = identifier(r, "relatedTable", at);
            if (related.equals(logicalName)) {
                throw new MetadataException(at + ": a many-to-many relationship of a table with itself is not supported");
            }
            String intersect = orDefault(text(r, "intersectTable", at, false), schemaName.toLowerCase(java.util.Locale.ROOT));
            if (!IDENTIFIER.matcher(intersect).matches()) {
                throw new MetadataException(at + ": intersectTable '" + intersect + "' is not a valid table name");
            }
            out.add(new TableDef.ManyToManyDeclaration(schemaName, related, intersect));
        }
        return out;
    }

    /** A column the server adds, with the schema and display names Dataverse gives it. */
    private static ColumnDef system(String name, ColumnType type, String schemaName, String displayName) {
        // a BigInt's range, so a value a client sends for it is checked like any other before it is ignored
        BigDecimal min = type == ColumnType.BIGINT ? Ranges.LONG_MIN : null;
        BigDecimal max = type == ColumnType.BIGINT ? Ranges.LONG_MAX : null;
        return new ColumnDef(name, type, ColumnDef.Origin.SYSTEM, null, min, max, null, null, null, null, null, null, false, null,
                new ColumnDef.Naming(schemaName, java.util.Optional.of(displayName), java.util.Optional.empty()), null);
    }

    /**
     * A declared column's {@code schemaName} (default: its logical name; Dataverse's logical name is the schema name in
     * lower case, so the two must agree), {@code displayName} and {@code description}.
     */
    private static ColumnDef.Naming naming(JsonNode c, String name, String at) {
        String schemaName = orDefault(text(c, "schemaName", at, false), name);
        if (!NAVIGATION.matcher(schemaName).matches() || !schemaName.toLowerCase(java.util.Locale.ROOT).equals(name)) {
            throw new MetadataException(at + ": schemaName '" + schemaName + "' must be the column's name '" + name
                    + "' with the same letters in any case (e.g. '" + name + "' or a Pascal-cased form of it)");
        }
        return new ColumnDef.Naming(schemaName, java.util.Optional.ofNullable(text(c, "displayName", at, false)),
                java.util.Optional.ofNullable(text(c, "description", at, false)));
    }

    private ColumnDef parseColumn(JsonNode c, String where) {
        if (!c.isObject()) {
            throw new MetadataException(where + ": every column must be a JSON object");
        }
        String name = identifier(c, "name", where);
        String at = where + " column '" + name + "'";
        unknownFields(c, COLUMN_FIELDS, at);
        ColumnType type;
        try {
            type = ColumnType.fromMetadataName(text(c, "type", at, true));
        } catch (MetadataException e) {
            throw new MetadataException(at + ": " + e.getMessage(), e);
        }
        Integer maxLength = null;
        BigDecimal min = null;
        BigDecimal max = null;
        Integer precision = null;
        List<ChoiceOption> options = List.of();
        String target = null;
        String nav = null;
        CascadeDelete cascadeDelete = null;
        AutoNumberFormat auto = null;
        switch (type) {
            case STRING -> maxLength = intField(c, "maxLength", 100, 1, 4000, at);
            case MEMO -> maxLength = intField(c, "maxLength", 2000, 1, 1048576, at);
            case INTEGER -> {
                min = decimalField(c, "minValue", Ranges.INT_MIN, at);
                max = decimalField(c, "maxValue", Ranges.INT_MAX, at);
                checkRange(min, max, Ranges.INT_MIN, Ranges.INT_MAX, at);
            }
            case BIGINT -> {
                min = decimalField(c, "minValue", Ranges.LONG_MIN, at);
                max = decimalField(c, "maxValue", Ranges.LONG_MAX, at);
                checkRange(min, max, Ranges.LONG_MIN, Ranges.LONG_MAX, at);
            }
            case DECIMAL -> {
                precision = intField(c, "precision", 2, 0, 10, at);
                min = decimalField(c, "minValue", Ranges.DECIMAL_LIMIT.negate(), at);
                max = decimalField(c, "maxValue", Ranges.DECIMAL_LIMIT, at);
                checkRange(min, max, Ranges.DECIMAL_LIMIT.negate(), Ranges.DECIMAL_LIMIT, at);
            }
            case MONEY -> {
                precision = intField(c, "precision", 4, 0, 4, at);
                min = decimalField(c, "minValue", Ranges.MONEY_LIMIT.negate(), at);
                max = decimalField(c, "maxValue", Ranges.MONEY_LIMIT, at);
                checkRange(min, max, Ranges.MONEY_LIMIT.negate(), Ranges.MONEY_LIMIT, at);
            }
            case CHOICE -> options = parseOptions(c, at);
            case LOOKUP -> {
                target = identifier(c, "target", at);
                nav = text(c, "navigationProperty", at, true);
                if (!NAVIGATION.matcher(nav).matches()) {
                    throw new MetadataException(at + ": navigationProperty '" + nav + "' is not a valid name");
                }
                cascadeDelete = cascadeDelete(c, at);
            }
            default -> {
                // Boolean, DateTime, Uniqueidentifier: no facets
            }
        }
        if (type != ColumnType.LOOKUP && c.has("cascadeDelete")) {
            throw new MetadataException(at + ": cascadeDelete is only allowed on Lookup columns");
        }
        String autoFormat = text(c, "autoNumberFormat", at, false);
        if (autoFormat != null) {
            if (type != ColumnType.STRING) {
                throw new MetadataException(at + ": autoNumberFormat is only allowed on String columns");
            }
            try {
                auto = AutoNumberFormat.parse(autoFormat);
            } catch (MetadataException e) {
                throw new MetadataException(at + ": " + e.getMessage(), e);
            }
        }
        JsonNode req = c.get("required");
        boolean required = req != null && req.asBoolean(false);
        ColumnDef draft = new ColumnDef(name, type, ColumnDef.Origin.USER, maxLength, min, max, precision, options,
                null, target, nav, auto, required, cascadeDelete);
        Object def = null;
        JsonNode defNode = c.get("default");
        if (defNode != null && !defNode.isNull()) {
            if (type == ColumnType.LOOKUP || auto != null) {
                throw new MetadataException(at + ": a default is not allowed on lookup or autonumber columns");
            }
            try {
                def = ValueConverter.fromJson(draft, defNode);
            } catch (ValueConverter.InvalidValueException e) {
                throw new MetadataException(at + ": default: " + e.getMessage(), e);
            }
        }
        return new ColumnDef(name, type, ColumnDef.Origin.USER, maxLength, min, max, precision, options,
                def, target, nav, auto, required, cascadeDelete, naming(c, name, at), format(c, type, at));
    }

    /** A String column's {@code format} (Text when not stated); no other column has one. */
    private static StringFormat format(JsonNode c, ColumnType type, String at) {
        String name = text(c, "format", at, false);
        if (name == null) {
            return null;
        }
        if (type != ColumnType.STRING) {
            throw new MetadataException(at + ": format is only allowed on String columns");
        }
        return StringFormat.fromMetadataName(name).orElseThrow(() -> new MetadataException(at + ": format '" + name
                + "' is not one of " + String.join(", ", java.util.Arrays.stream(StringFormat.values())
                .map(StringFormat::metadataName).toList())));
    }

    /** A lookup's {@code cascadeDelete}: Cascade, RemoveLink (the default) or Restrict. */
    private static CascadeDelete cascadeDelete(JsonNode c, String at) {
        String name = text(c, "cascadeDelete", at, false);
        if (name == null) {
            return CascadeDelete.DEFAULT;
        }
        return CascadeDelete.fromMetadataName(name).orElseThrow(() -> new MetadataException(at + ": cascadeDelete '"
                + name + "' is not one of " + String.join(", ",
                java.util.Arrays.stream(CascadeDelete.values()).map(CascadeDelete::metadataName).toList())));
    }

    private static List<ChoiceOption> parseOptions(JsonNode c, String at) {
        JsonNode opts = c.get("options");
        if (opts == null || !opts.isArray() || opts.isEmpty()) {
            throw new MetadataException(at + ": a Choice column needs a non-empty 'options' array");
        }
        List<ChoiceOption> out = new ArrayList<>();
        for (JsonNode o : opts) {
            JsonNode v = o.get("value");
            JsonNode l = o.get("label");
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || l == null || !l.isTextual()) {
                throw new MetadataException(at + ": every option needs an integer 'value' and a text 'label'");
            }
            if (out.stream().anyMatch(x -> x.value() == v.intValue())) {
                throw new MetadataException(at + ": option value " + v.intValue() + " is declared twice");
            }
            out.add(new ChoiceOption(v.intValue(), l.asText()));
        }
        return out;
    }

    private static AlternateKey parseKey(JsonNode k, List<ColumnDef> columns, String where) {
        String name = identifier(k, "name", where + " alternate key");
        JsonNode cols = k.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty() || cols.size() > 16) {
            throw new MetadataException(where + ": alternate key '" + name + "' needs 1 to 16 'columns'");
        }
        List<ColumnDef> keyCols = new ArrayList<>();
        for (JsonNode cn : cols) {
            String colName = cn.asText();
            ColumnDef col = columns.stream().filter(c -> c.name().equals(colName) && c.origin() == ColumnDef.Origin.USER)
                    .findFirst().orElseThrow(() -> new MetadataException(where + ": alternate key '" + name
                            + "' names unknown column '" + colName + "'"));
            switch (col.type()) {
                case STRING, INTEGER, BIGINT, DECIMAL, DATETIME, LOOKUP, CHOICE -> keyCols.add(col);
                default -> throw new MetadataException(where + ": alternate key '" + name + "' column '" + colName
                        + "' has type " + col.type() + ", which cannot be part of a key");
            }
        }
        return new AlternateKey(name, keyCols);
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new MetadataException(where + ": unknown field '" + f + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String identifier(JsonNode node, String field, String where) {
        String v = text(node, field, where, true);
        if (!IDENTIFIER.matcher(v).matches()) {
            throw new MetadataException(where + ": " + field + " '" + v
                    + "' must be lower case letters, digits and underscores, starting with a letter (at most 50)");
        }
        return v;
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new MetadataException(where + ": '" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new MetadataException(where + ": '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static int intField(JsonNode node, String field, int dflt, int min, int max, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new MetadataException(where + ": '" + field + "' must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    private static BigDecimal decimalField(JsonNode node, String field, BigDecimal dflt, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new MetadataException(where + ": '" + field + "' must be a number");
        }
        return v.decimalValue();
    }

    private static void checkRange(BigDecimal min, BigDecimal max, BigDecimal lo, BigDecimal hi, String where) {
        if (min.compareTo(lo) < 0 || max.compareTo(hi) > 0 || min.compareTo(max) > 0) {
            throw new MetadataException(where + ": minValue/maxValue must satisfy " + lo + " <= minValue <= maxValue <= " + hi);
        }
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }
}
