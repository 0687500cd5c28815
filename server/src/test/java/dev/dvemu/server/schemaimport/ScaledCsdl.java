package dev.dvemu.server.schemaimport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A larger org of the fixture's shape: the fixture's {@code $metadata} plus renamed copies of its table types
 * (those whose base type is {@code mscrm.crmbaseentity}), in document order, until the document has
 * {@code entityTypes} entity types. Copy {@code n} of type {@code t} is {@code t_c<n>}: its key, its
 * {@code <t>id} property, its navigation properties' target types (when the target is copied in the same round),
 * their names and partners get the same suffix, and the container gains an entity set {@code <set>_c<n>} for it, so
 * a copy has the original's columns, lookups, relationships and keys. Text substitution on the document's own
 * lines, which {@code xmllint --format} wrote one element per line.
 *
 * <p>Run: {@code java -cp ... dev.dvemu.server.schemaimport.ScaledCsdl FIXTURE OUT.xml 1000}
 */
final class ScaledCsdl {
    private static final Pattern TYPE = Pattern.compile("(?s)      <EntityType Name=\"([a-z0-9_]+)\" BaseType=\"mscrm\\.crmbaseentity\">.*?</EntityType>\n");
    private static final Pattern SET = Pattern.compile("<EntitySet Name=\"([^\"]+)\" EntityType=\"Microsoft\\.Dynamics\\.CRM\\.([a-z0-9_]+)\"");
    private static final Pattern NAV = Pattern.compile("(<NavigationProperty Name=\")([^\"]+)(\" Type=\"(?:Collection\\()?mscrm\\.)([A-Za-z0-9_]+)(\\)?\"[^>]*?Partner=\")([^\"]+)(\")");

    private ScaledCsdl() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    }

    /** Writes the scaled document to {@code out}; returns its number of entity types. */
    static int write(Path fixture, Path out, int entityTypes) throws IOException {
        String xml = Files.readString(fixture, StandardCharsets.UTF_8);
        Map<String, String> types = new LinkedHashMap<>();
        Matcher m = TYPE.matcher(xml);
        while (m.find()) {
            types.put(m.group(1), m.group());
        }
        Map<String, String> sets = new LinkedHashMap<>();
        Matcher s = SET.matcher(xml);
        while (s.find()) {
            sets.putIfAbsent(s.group(2), s.group(1));
        }
        int count = countTypes(xml);
        StringBuilder copies = new StringBuilder();
        StringBuilder copiedSets = new StringBuilder();
        for (int round = 1; count < entityTypes; round++) {
            List<String> names = new ArrayList<>(types.keySet());
            int take = Math.min(names.size(), entityTypes - count);
            List<String> copied = names.subList(0, take);
            String suffix = "_c" + round;
            for (String t : copied) {
                copies.append(copy(types.get(t), t, suffix, copied));
                if (sets.containsKey(t)) {
                    copiedSets.append("        <EntitySet Name=\"").append(sets.get(t)).append(suffix)
                            .append("\" EntityType=\"Microsoft.Dynamics.CRM.").append(t).append(suffix).append("\"/>\n");
                }
            }
            count += take;
        }
        int typesEnd = xml.indexOf("      <EntityContainer");
        int setsStart = xml.indexOf(">", typesEnd) + 2;
        String scaled = xml.substring(0, typesEnd) + copies + xml.substring(typesEnd, setsStart) + copiedSets + xml.substring(setsStart);
        Files.writeString(out, scaled, StandardCharsets.UTF_8);
        return countTypes(scaled);
    }

    private static String copy(String block, String type, String suffix, List<String> copied) {
        String c = block.replaceFirst("<EntityType Name=\"" + type + "\"", "<EntityType Name=\"" + type + suffix + "\"")
                .replace("Name=\"" + type + "id\"", "Name=\"" + type + suffix + "id\"");
        Matcher n = NAV.matcher(c);
        StringBuilder sb = new StringBuilder();
        while (n.find()) {
            String target = n.group(4);
            boolean inRound = copied.contains(target);
            n.appendReplacement(sb, Matcher.quoteReplacement(n.group(1) + n.group(2) + suffix + n.group(3)
                    + (inRound ? target + suffix : target) + n.group(5) + n.group(6) + suffix + n.group(7)));
        }
        n.appendTail(sb);
        return sb.toString();
    }

    private static int countTypes(String xml) {
        int count = 0;
        for (int i = xml.indexOf("<EntityType "); i >= 0; i = xml.indexOf("<EntityType ", i + 1)) {
            count++;
        }
        return count;
    }
}
