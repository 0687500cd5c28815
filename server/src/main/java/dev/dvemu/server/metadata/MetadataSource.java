package dev.dvemu.server.metadata;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where table definitions and their migrations live: a directory with {@code tables/*.json} and
 * {@code migrations/V*.sql}, either given with {@code --metadata} or the one shipped inside the server. A server may
 * serve several ({@link MetadataSources}).
 */
public record MetadataSource(Path tablesDir, String flywayLocation, String description) {
    private static final String BUILT_IN = "metadata";

    public static MetadataSource directory(Path dir) {
        if (!Files.isDirectory(dir.resolve("tables"))) {
            throw new MetadataException("metadata directory " + dir + " has no tables/ folder");
        }
        return new MetadataSource(dir.resolve("tables"), "filesystem:" + dir.resolve("migrations"), dir.toString());
    }

    public static MetadataSource builtIn() {
        URL url = MetadataSource.class.getClassLoader().getResource(BUILT_IN + "/tables");
        if (url == null) {
            throw new MetadataException("the built-in table definitions are missing from the class path");
        }
        try {
            URI uri = url.toURI();
            Path tables;
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                tables = fs.getPath(BUILT_IN, "tables");
            } else {
                tables = Path.of(uri);
            }
            return new MetadataSource(tables, "classpath:" + BUILT_IN + "/migrations", "built-in");
        } catch (URISyntaxException | IOException e) {
            throw new MetadataException("cannot open the built-in table definitions: " + e.getMessage(), e);
        }
    }

    public Catalog load() {
        return new MetadataLoader().load(tablesDir);
    }

    /** The tables shipped with the server (the word {@code builtin} of {@code --metadata}). */
    public boolean isBuiltIn() {
        return flywayLocation.startsWith("classpath:");
    }
}
