package dev.dvemu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A metadata directory the size of a real org, generated from a fixed seed (the same tables on every run).
 *
 * <p>Its shape follows the statistics of a Dynamics 365 v9.1 org's $metadata (300 entity types; per type: properties
 * median 21, p90 38, max 345; lookups ({@code _x_value}) median 5, p90 10, max 22; of all properties Guid 30 %,
 * String 23 %, Int32 19 %, DateTimeOffset 10 %, Boolean 9 %, Int64 3 %, Decimal 2 %), scaled up to the larger custom
 * tables of a big org: every table has 60–120 declared columns (uniform), of which 5–15 are lookups (uniform) to
 * other tables of the directory (RemoveLink 85 %, Cascade 10 %, Restrict 5 %) and the rest, by weight, String 35
 * (maxLength 100, 200 or 4000), Choice 20 (4–10 options), DateTime 14, Boolean 12, Integer 8, BigInt 4, Decimal 3,
 * Money 2, Memo 2. Every 10th table has an alternate key on a String column, every 20th an autonumber column, every
 * 40th a many-to-many relationship with another table.
 */
final class OrgSchema {
    static final long SEED = 13;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TYPES = {"String", "Choice", "DateTime", "Boolean", "Integer", "BigInt", "Decimal", "Money", "Memo"};
    private static final int[] WEIGHTS = {35, 20, 14, 12, 8, 4, 3, 2, 2};

    /** What was generated. */
    record Shape(int tables, int columns, int lookups, int alternateKeys, int autoNumbers, int manyToMany) {
    }

    private OrgSchema() {
    }

    static String table(int i) {
        return String.format("org_entity%03d", i);
    }

    /** Writes {@code tables} definitions into {@code dir/tables} (and an empty {@code dir/migrations}). */
    static Shape write(Path dir, int tables) throws IOException {
        Files.createDirectories(dir.resolve("tables"));
        Files.createDirectories(dir.resolve("migrations"));
        Random r = new Random(SEED);
        int columns = 0;
        int lookups = 0;
        int keys = 0;
        int autoNumbers = 0;
        int m2m = 0;
        for (int i = 0; i < tables; i++) {
            String name = table(i);
            ObjectNode t = JSON.createObjectNode();
            t.put("logicalName", name);
            t.put("entitySetName", name + "s");
            t.put("displayName", "Entity " + i);
            t.put("primaryNameColumn", name.replace("org_", "org_name"));
            ArrayNode cols = t.putArray("columns");
            cols.addObject().put("name", name.replace("org_", "org_name")).put("type", "String").put("maxLength", 200);
            int declared = 60 + r.nextInt(61);
            int lookupCount = Math.min(5 + r.nextInt(11), tables - 1);
            List<String> strings = new ArrayList<>();
            for (int l = 0; l < lookupCount; l++) {
                int target = r.nextInt(tables - 1);
                target = target >= i ? target + 1 : target;
                ObjectNode c = cols.addObject();
                String col = "org_ref" + l + "id";
                c.put("name", col).put("type", "Lookup").put("target", table(target)).put("navigationProperty", "org_Ref" + l + "Id");
                int b = r.nextInt(100);
                c.put("cascadeDelete", b < 85 ? "RemoveLink" : b < 95 ? "Cascade" : "Restrict");
            }
            for (int c = 1 + lookupCount; c < declared; c++) {
                String type = weighted(r);
                String col = "org_" + type.toLowerCase() + c;
                ObjectNode n = cols.addObject().put("name", col).put("type", type);
                switch (type) {
                    case "String" -> {
                        n.put("maxLength", new int[]{100, 100, 200, 4000}[r.nextInt(4)]);
                        strings.add(col);
                    }
                    case "Choice" -> {
                        ArrayNode options = n.putArray("options");
                        int count = 4 + r.nextInt(7);
                        for (int o = 0; o < count; o++) {
                            options.addObject().put("value", 100_000_000 + o).put("label", "Option " + o);
                        }
                    }
                    case "Decimal" -> n.put("precision", 2);
                    default -> {
                    }
                }
            }
            if (i % 20 == 0) {
                cols.addObject().put("name", "org_number").put("type", "String").put("maxLength", 100)
                        .put("autoNumberFormat", "N-{SEQNUM:6}");
                autoNumbers++;
            }
            if (i % 10 == 0 && !strings.isEmpty()) {
                ArrayNode key = t.putArray("alternateKeys").addObject().put("name", "org_key").putArray("columns");
                key.add(strings.get(0));
                keys++;
            }
            if (i % 40 == 0 && tables > 1) {
                String related = table((i + 1) % tables);
                t.putArray("manyToMany").addObject().put("schemaName", name + "_" + related)
                        .put("relatedTable", related).put("intersectTable", name + "_" + related);
                m2m++;
            }
            columns += cols.size();
            lookups += lookupCount;
            Files.writeString(dir.resolve("tables").resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(t));
        }
        return new Shape(tables, columns, lookups, keys, autoNumbers, m2m);
    }

    private static String weighted(Random r) {
        int n = r.nextInt(100);
        for (int k = 0; k < TYPES.length; k++) {
            n -= WEIGHTS[k];
            if (n < 0) {
                return TYPES[k];
            }
        }
        return TYPES[0];
    }
}
