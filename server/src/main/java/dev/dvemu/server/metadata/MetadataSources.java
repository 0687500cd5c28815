package dev.dvemu.server.metadata;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metadata a server serves, composed of one or more sources in order ({@code --metadata builtin,./my-tables}):
 * the word {@value #BUILTIN} names the shipped tables, anything else a directory. Their tables make one catalog
 * (a lookup may target another source's table); two sources defining the same table or entity set name are refused,
 * naming both. Each source's migrations have their own Flyway history table ({@link #historyTable}), so each numbers
 * its migrations from V1.
 */
public final class MetadataSources {
    public static final String BUILTIN = "builtin";
    /** The history table of the built-in tables, and of a directory that is the only source (as before composition). */
    public static final String HISTORY = "dvemu_metadata_schema_history";
    /** PostgreSQL's 63 less room for the "_s_idx" index Flyway names after the table (longer names collide with it). */
    private static final int MAX_HISTORY_NAME = 56;

    private final List<MetadataSource> sources;

    private MetadataSources(List<MetadataSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Each of {@code specs} is {@value #BUILTIN} or a directory path; an empty list means the built-in tables. */
    public static MetadataSources of(List<String> specs) {
        List<MetadataSource> sources = new ArrayList<>();
        for (String spec : specs.isEmpty() ? List.of(BUILTIN) : specs) {
            MetadataSource s = spec.equals(BUILTIN) ? MetadataSource.builtIn() : MetadataSource.directory(Path.of(spec));
            for (MetadataSource earlier : sources) {
                if (earlier.description().equals(s.description())) {
                    throw new MetadataException("--metadata names " + s.description() + " twice");
                }
            }
            sources.add(s);
        }
        MetadataSources composed = new MetadataSources(sources);
        Map<String, MetadataSource> histories = new HashMap<>();
        for (MetadataSource s : sources) {
            MetadataSource other = histories.put(composed.historyTable(s), s);
            if (other != null) {
                throw new MetadataException("the metadata sources " + other.description() + " and " + s.description()
                        + " would share the migration history table " + composed.historyTable(s)
                        + "; give the directories different names");
            }
        }
        return composed;
    }

    public List<MetadataSource> sources() {
        return sources;
    }

    /**
     * The Flyway history table of {@code source}: {@value #HISTORY} for the built-in tables and for a directory that
     * is the only source (so databases made before composition keep working); for a directory beside other sources,
     * {@value #HISTORY}{@code _<directory name>}.
     */
    public String historyTable(MetadataSource source) {
        if (source.isBuiltIn() || sources.size() == 1) {
            return HISTORY;
        }
        String name = source.tablesDir().getParent() == null || source.tablesDir().getParent().getFileName() == null ? "dir"
                : source.tablesDir().getParent().getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String table = HISTORY + "_" + name;
        return table.length() > MAX_HISTORY_NAME ? table.substring(0, MAX_HISTORY_NAME) : table;
    }

    /** Every source's tables in one catalog, refusing a table or entity set name that two sources define. */
    public Catalog load() {
        Map<String, MetadataSource> byTable = new LinkedHashMap<>();
        Map<String, MetadataSource> bySet = new HashMap<>();
        List<TableDef> all = new ArrayList<>();
        for (MetadataSource s : sources) {
            List<TableDef> tables = sources.size() == 1 ? List.copyOf(s.load().tables()) : new MetadataLoader().tables(s.tablesDir());
            for (TableDef t : tables) {
                MetadataSource other = byTable.put(t.logicalName(), s);
                if (other != null) {
                    throw new MetadataException("the table '" + t.logicalName() + "' is defined by both " + other.description()
                            + " and " + s.description() + "; a table may be defined by one metadata source only");
                }
                other = bySet.put(t.entitySetName(), s);
                if (other != null) {
                    throw new MetadataException("the entity set name '" + t.entitySetName() + "' is used by both "
                            + other.description() + " and " + s.description() + "; each table needs its own entity set name");
                }
                all.add(t);
            }
        }
        for (TableDef t : all) {
            for (ColumnDef lookup : t.lookups()) {
                if (!byTable.containsKey(lookup.lookupTarget())) {
                    throw new MetadataException(byTable.get(t.logicalName()).description() + ": " + t.logicalName() + " column '"
                            + lookup.name() + "': lookup target '" + lookup.lookupTarget() + "' is not a table of any metadata source ("
                            + String.join(", ", sources.stream().map(MetadataSource::description).toList()) + ")");
                }
            }
        }
        return new Catalog(all);
    }

    /** The tables {@code source} defines, of {@code catalog}. */
    public List<TableDef> tablesOf(MetadataSource source, Catalog catalog) {
        List<TableDef> own = new ArrayList<>();
        for (TableDef t : new MetadataLoader().tables(source.tablesDir())) {
            own.add(catalog.require(t.logicalName()));
        }
        return own;
    }

    public String description() {
        return String.join(",", sources.stream().map(MetadataSource::description).toList());
    }
}
