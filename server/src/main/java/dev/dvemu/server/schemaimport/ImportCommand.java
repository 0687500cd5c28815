package dev.dvemu.server.schemaimport;

import dev.dvemu.server.db.DdlGenerator;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.MetadataException;
import dev.dvemu.server.metadata.MetadataLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -jar dvemu-server.jar import --csdl FILE --out DIR ...}: an org's {@code $metadata} (or, with
 * {@code --entity-definitions PATH}, its saved EntityDefinitions answers) becomes a metadata directory: {@code tables/*.json}, {@code migrations/V1__import.sql} (from {@link DdlGenerator}, for exactly those
 * tables) and {@code import-report.txt}, which lists every table, column and relationship with what was done with it.
 * The written tables are read back with {@link MetadataLoader} before the migration is generated, so a directory the
 * server would refuse is never left behind as a success. Exit status: 0 done, 1 failed, 2 a usage error.
 */
public final class ImportCommand {
    static final String REPORT = "import-report.txt";
    static final String MIGRATION = "V1__import.sql";

    private ImportCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(ImportOptions.USAGE);
            return 0;
        }
        try {
            ImportOptions options = ImportOptions.parse(args);
            long start = System.nanoTime();
            prepareOut(options);
            ImportReport report = new ImportReport();
            List<ImportedTable> tables = importTables(options, report);
            if (tables.isEmpty()) {
                throw new ImportOptions.UsageException(options.input().option() + ": no entity of " + options.input().path()
                        + " can be a dvemu table");
            }
            write(options, tables);
            long ms = (System.nanoTime() - start) / 1_000_000;
            String text = report.format("dvemu import of " + options.input().path() + " into " + options.out());
            Files.writeString(options.out().resolve(REPORT), text, StandardCharsets.UTF_8);
            out.print(text);
            out.println("dvemu import: " + tables.size() + " tables written to " + options.out() + " in " + ms + " ms; "
                    + "serve them with: java -jar dvemu-server.jar --metadata " + options.out());
            return 0;
        } catch (ImportOptions.BadInputException e) {
            err.println("dvemu import: " + e.getMessage());
            return 2;
        } catch (ImportOptions.UsageException e) {
            err.println("dvemu import: " + e.getMessage() + "\n\n" + ImportOptions.USAGE);
            return 2;
        } catch (MetadataException e) {
            err.println("dvemu import: the imported definitions were refused (please report this): " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("dvemu import: " + e);
            return 1;
        }
    }

    /** The input is what differs: each document has its reader and importer; selection, report and output are shared. */
    private static List<ImportedTable> importTables(ImportOptions options, ImportReport report)
            throws ImportOptions.UsageException, IOException {
        if (options.input().isCsdl()) {
            OrgSchema schema = read(options.input().path());
            Map<String, String> chosen = TableSelection.select(new CsdlSource(schema), options, report);
            return new TableImporter(schema, report).importTables(chosen);
        }
        DumpSource source;
        try {
            source = new DumpSource(EntityDefinitionsDump.read(options.input().path()));
        } catch (EntityDefinitionsDump.UnreadableDumpException e) {
            throw new ImportOptions.BadInputException("--entity-definitions: " + e.getMessage());
        }
        Map<String, String> chosen = TableSelection.select(source, options, report);
        try {
            return new DumpImporter(source, report).importTables(chosen);
        } catch (RuntimeException e) {
            // a property of an unexpected JSON type the reader did not check: say so in one line, not a stack trace
            throw new ImportOptions.BadInputException("--entity-definitions: " + options.input().path()
                    + " has a property of an unexpected shape (" + e + "); save the answers metadata/README.md lists");
        }
    }

    private static OrgSchema read(Path csdl) throws ImportOptions.UsageException, IOException {
        if (!Files.isRegularFile(csdl) || !Files.isReadable(csdl)) {
            throw new ImportOptions.BadInputException("--csdl: cannot read the file " + csdl);
        }
        try {
            return OrgSchema.read(csdl);
        } catch (OrgSchema.UnreadableCsdlException e) {
            throw new ImportOptions.BadInputException("--csdl: " + e.getMessage());
        }
    }

    /**
     * {@code --out} must be absent or empty; with {@code --force} an earlier import's {@code tables/},
     * {@code migrations/} and report are removed (nothing else in the directory is touched).
     */
    private static void prepareOut(ImportOptions options) throws ImportOptions.UsageException, IOException {
        Path dir = options.out();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ImportOptions.UsageException("--out: " + dir + " is a file, not a directory");
        }
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !options.force()) {
                throw new ImportOptions.UsageException("--out: " + dir + " is not empty; choose another directory or add --force"
                        + " to replace an earlier import's tables/, migrations/ and " + REPORT);
            }
        }
    }

    private static void write(ImportOptions options, List<ImportedTable> tables) throws IOException {
        Path dir = options.out();
        deleteTree(dir.resolve("tables"));
        deleteTree(dir.resolve("migrations"));
        Files.deleteIfExists(dir.resolve(REPORT));
        Path tablesDir = Files.createDirectories(dir.resolve("tables"));
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (ImportedTable t : tables) {
            Files.writeString(tablesDir.resolve(t.logicalName() + ".json"),
                    json.writeValueAsString(t.toJson()) + "\n", StandardCharsets.UTF_8);
        }
        Catalog catalog = new MetadataLoader().load(tablesDir);
        String ddl = "-- Imported by: java -jar dvemu-server.jar import " + options.input().option() + " "
                + options.input().path().getFileName() + "\n"
                + new DdlGenerator().generate(catalog, catalog.tables());
        Files.writeString(migrations.resolve(MIGRATION), ddl, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
