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
 * {@code java -jar dvemu-server.jar import --csdl FILE --out DIR ...}: an org's {@code $metadata} becomes a metadata
 * directory: {@code tables/*.json}, {@code migrations/V1__import.sql} (from {@link DdlGenerator}, for exactly those
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
            OrgSchema schema = read(options.csdl());
            ImportReport report = new ImportReport();
            Map<String, String> chosen = TableSelection.select(schema, options, report);
            List<ImportedTable> tables = new TableImporter(schema, report).importTables(chosen);
            if (tables.isEmpty()) {
                throw new ImportOptions.UsageException("--csdl: no entity type of " + options.csdl() + " can be a dvemu table");
            }
            write(options, tables);
            long ms = (System.nanoTime() - start) / 1_000_000;
            String text = report.format("dvemu import of " + options.csdl() + " into " + options.out());
            Files.writeString(options.out().resolve(REPORT), text, StandardCharsets.UTF_8);
            out.print(text);
            out.println("dvemu import: " + tables.size() + " tables written to " + options.out() + " in " + ms + " ms; "
                    + "serve them with: java -jar dvemu-server.jar --metadata " + options.out());
            return 0;
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

    private static OrgSchema read(Path csdl) throws ImportOptions.UsageException, IOException {
        if (!Files.isRegularFile(csdl) || !Files.isReadable(csdl)) {
            throw new ImportOptions.UsageException("--csdl: cannot read the file " + csdl);
        }
        try {
            return OrgSchema.read(csdl);
        } catch (OrgSchema.UnreadableCsdlException e) {
            throw new ImportOptions.UsageException("--csdl: " + e.getMessage());
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
        String ddl = "-- Imported by: java -jar dvemu-server.jar import --csdl " + options.csdl().getFileName() + "\n"
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
