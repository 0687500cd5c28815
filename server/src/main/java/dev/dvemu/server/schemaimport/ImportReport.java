package dev.dvemu.server.schemaimport;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import did with every table, column and relationship of the CSDL it read: imported as it was, imported with
 * a type or facet the CSDL could not state (and what was assumed), or skipped (and why). Nothing is dropped silently.
 */
final class ImportReport {
    enum Outcome {
        /** imported as the CSDL declares it */
        MAPPED("mapped "),
        /** imported, but the type or a facet is the nearest supported one or an assumption */
        ASSUMED("assumed"),
        /** not imported */
        SKIPPED("skipped");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /** One line: {@code subject} is {@code table} or {@code table.column}, {@code what} the mapping, {@code why} the reason. */
    record Line(Outcome outcome, String subject, String what, String why) {
        String format() {
            return outcome.label + "  " + subject + "  " + what + (why.isEmpty() ? "" : "  (" + why + ")");
        }
    }

    private final List<Line> tables = new ArrayList<>();
    private final List<Line> columns = new ArrayList<>();
    private final List<Line> relationships = new ArrayList<>();

    void table(Outcome outcome, String table, String what, String why) {
        tables.add(new Line(outcome, table, what, why));
    }

    void column(Outcome outcome, String table, String column, String what, String why) {
        columns.add(new Line(outcome, table + "." + column, what, why));
    }

    void relationship(Outcome outcome, String subject, String what, String why) {
        relationships.add(new Line(outcome, subject, what, why));
    }

    long count(List<Line> lines, Outcome outcome) {
        return lines.stream().filter(l -> l.outcome() == outcome).count();
    }

    List<Line> columns() {
        return List.copyOf(columns);
    }

    String summary() {
        return "tables: " + (count(tables, Outcome.MAPPED) + count(tables, Outcome.ASSUMED)) + " imported, "
                + count(tables, Outcome.SKIPPED) + " skipped; columns: " + count(columns, Outcome.MAPPED) + " mapped, "
                + count(columns, Outcome.ASSUMED) + " mapped with an assumption, " + count(columns, Outcome.SKIPPED)
                + " skipped; relationships: " + (count(relationships, Outcome.MAPPED) + count(relationships, Outcome.ASSUMED))
                + " imported, " + count(relationships, Outcome.SKIPPED) + " skipped";
    }

    /** The whole report: a header, then tables, columns and relationships, one line each. */
    String format(String header) {
        StringBuilder sb = new StringBuilder(header).append('\n').append(summary()).append("\n\n");
        section(sb, "Tables", tables);
        section(sb, "Columns (the primary id, versionnumber, createdon and modifiedon are dvemu's own)", columns);
        section(sb, "Relationships", relationships);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<Line> lines) {
        sb.append(title).append(":\n");
        for (Line l : lines) {
            sb.append(l.format()).append('\n');
        }
        sb.append('\n');
    }
}
