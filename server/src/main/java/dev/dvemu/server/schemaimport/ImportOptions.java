package dev.dvemu.server.schemaimport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of {@code import}: {@code --csdl FILE} or {@code --entity-definitions PATH}, {@code --out DIR
 * [--tables a,b] [--prefix new_,cr123_] [--follow-lookups] [--force]}.
 */
record ImportOptions(Input input, Path out, List<String> tables, List<String> prefixes, boolean followLookups, boolean force) {

    /** A usage error: the message says what to change. */
    static class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** An input file that cannot be read as the option says: its message is the whole, one-line error. */
    static final class BadInputException extends UsageException {
        BadInputException(String message) {
            super(message);
        }
    }

    /** The document read: {@code option} is {@code --csdl} or {@code --entity-definitions}. */
    record Input(String option, Path path) {
        static final String CSDL = "--csdl";
        static final String ENTITY_DEFINITIONS = "--entity-definitions";

        boolean isCsdl() {
            return CSDL.equals(option);
        }

        @Override
        public String toString() {
            return option + " " + path;
        }
    }

    static final String USAGE = """
            Usage: java -jar dvemu-server.jar import (--csdl FILE | --entity-definitions PATH) --out DIR [options]
              Writes a metadata directory (tables/*.json, migrations/V1__import.sql, import-report.txt) from an org's
              schema; serve it with: java -jar dvemu-server.jar --metadata DIR
              --csdl FILE         the org's $metadata (CSDL XML), e.g. GET <org>/api/data/v9.2/$metadata saved to a file
              --entity-definitions PATH
                                  the org's EntityDefinitions answer saved as JSON (a file, or a directory of *.json
                                  files: that answer plus the answers for picklist options); see metadata/README.md
              --out DIR           where to write; must be empty or absent unless --force
              --tables a,b        only these tables (logical names)
              --prefix p_,q_      only the tables whose logical name starts with one of these (a solution's prefix)
              --follow-lookups    also the tables the chosen tables' lookups target, transitively
              --force             replace tables/, migrations/ and import-report.txt of an earlier import in DIR
            """;

    static ImportOptions parse(List<String> args) throws UsageException {
        Input input = null;
        Path out = null;
        List<String> tables = List.of();
        List<String> prefixes = List.of();
        boolean follow = false;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (name) {
                case "--follow-lookups" -> follow = true;
                case "--force" -> force = true;
                case "--csdl", "--entity-definitions", "--out", "--tables", "--prefix" -> {
                    String v;
                    if (a.contains("=")) {
                        v = a.substring(a.indexOf('=') + 1);
                    } else if (i + 1 < args.size()) {
                        v = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    if (v.isBlank()) {
                        throw new UsageException(name + " needs a value");
                    }
                    switch (name) {
                        case "--csdl", "--entity-definitions" -> {
                            if (input != null) {
                                throw new UsageException("give one of --csdl and --entity-definitions, once");
                            }
                            input = new Input(name, Path.of(v));
                        }
                        case "--out" -> out = Path.of(v);
                        case "--tables" -> tables = list(v);
                        default -> prefixes = list(v);
                    }
                }
                default -> throw new UsageException((a.startsWith("-") ? "unknown option " : "unexpected argument ") + a);
            }
        }
        if (input == null) {
            throw new UsageException("--csdl FILE (the org's $metadata document) or --entity-definitions PATH (its"
                    + " EntityDefinitions answer) is required");
        }
        if (out == null) {
            throw new UsageException("--out DIR is required (where the metadata directory is written)");
        }
        return new ImportOptions(input, out, tables, prefixes, follow, force);
    }

    private static List<String> list(String v) {
        List<String> items = new ArrayList<>();
        for (String s : Arrays.asList(v.split(","))) {
            if (!s.isBlank() && !items.contains(s.trim())) {
                items.add(s.trim());
            }
        }
        return List.copyOf(items);
    }
}
