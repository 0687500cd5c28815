package dev.dvemu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of a run: a Markdown table for people, a JSON file for tools. */
final class Report {
    /** One line of the table. Figures that do not apply are NaN. */
    record Line(String scenario, String variant, int clients, double dvemu, double dvemuP50, double dvemuP99,
                double baseline, String unit, String note) {
        double ratio() {
            return baseline > 0 ? dvemu / baseline : Double.NaN;
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    synchronized void add(Line line) {
        lines.add(line);
        System.out.println("  " + format(line));
    }

    synchronized void fact(String name, Object value) {
        facts.put(name, value);
        System.out.println("  " + name + ": " + value);
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    Map<String, Object> facts() {
        return Map.copyOf(facts);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | variant | clients | dvemu | p50 ms | p99 ms | baseline | dvemu / baseline | unit | note |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Line l : lines) {
            sb.append("| ").append(l.scenario()).append(" | ").append(l.variant()).append(" | ").append(l.clients())
                    .append(" | ").append(num(l.dvemu())).append(" | ").append(num(l.dvemuP50())).append(" | ")
                    .append(num(l.dvemuP99())).append(" | ").append(num(l.baseline())).append(" | ")
                    .append(Double.isNaN(l.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", l.ratio()))
                    .append(" | ").append(l.unit()).append(" | ").append(l.note()).append(" |\n");
        }
        if (!facts.isEmpty()) {
            sb.append('\n');
            facts.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        return sb.toString();
    }

    void writeJson(Path file, Map<String, Object> machine) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("facts", facts);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Line l : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", l.scenario());
            m.put("variant", l.variant());
            m.put("clients", l.clients());
            m.put("dvemu", finite(l.dvemu()));
            m.put("dvemuP50Ms", finite(l.dvemuP50()));
            m.put("dvemuP99Ms", finite(l.dvemuP99()));
            m.put("baseline", finite(l.baseline()));
            m.put("ratio", finite(l.ratio()));
            m.put("unit", l.unit());
            m.put("note", l.note());
            rows.add(m);
        }
        root.put("results", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? (Object) d : null;
    }

    private static String format(Line l) {
        return l.scenario() + " / " + l.variant() + " @" + l.clients() + ": dvemu " + num(l.dvemu()) + " " + l.unit()
                + " (p50 " + num(l.dvemuP50()) + " ms, p99 " + num(l.dvemuP99()) + " ms), baseline " + num(l.baseline())
                + (Double.isNaN(l.ratio()) ? "" : String.format(Locale.ROOT, ", ratio %.2f", l.ratio()))
                + (l.note().isEmpty() ? "" : " — " + l.note());
    }

    static String num(double d) {
        if (!Double.isFinite(d)) {
            return "";
        }
        return d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
