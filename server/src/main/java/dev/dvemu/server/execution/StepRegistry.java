package dev.dvemu.server.execution;

import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registered steps, checked against the tables once at start-up and indexed by message, table and stage, so
 * the question every write asks ("does anything run for me?") is one map lookup. Immutable.
 */
public final class StepRegistry {
    public static final StepRegistry EMPTY = new StepRegistry(Map.of(), 0);
    /** The table of Associate and Disassociate steps, which run for every relationship. */
    static final String ANY_TABLE = Message.ANY_TABLE;
    private static final Set<String> MESSAGES = Set.of(Message.CREATE, Message.UPDATE, Message.DELETE);

    /**
     * A step checked against its table (its logical name; "none" for an unbound custom API): images and filtering
     * attributes as columns.
     */
    record Registered(Step step, String table, Set<ColumnDef> filteringAttributes, List<Image> preImages,
                      List<Image> postImages) {
        /** An image's alias and columns (empty: all). */
        record Image(String alias, List<ColumnDef> columns) {
        }
    }

    private final Map<String, Map<Stage, List<Registered>>> byMessageAndTable;
    private final int size;

    private StepRegistry(Map<String, Map<Stage, List<Registered>>> byMessageAndTable, int size) {
        this.byMessageAndTable = byMessageAndTable;
        this.size = size;
    }

    /** Checks every step against the tables; the first one that cannot work fails start-up, naming it. */
    public static StepRegistry of(List<Step> steps, Catalog catalog) {
        return of(steps, catalog, CustomApis.NONE);
    }

    /** As {@link #of(List, Catalog)}, where a step may also be registered on one of {@code apis}' messages. */
    public static StepRegistry of(List<Step> steps, Catalog catalog, CustomApis apis) {
        if (steps.isEmpty()) {
            return EMPTY;
        }
        Map<String, Map<Stage, List<Registered>>> index = new HashMap<>();
        Set<java.util.UUID> ids = new HashSet<>();
        for (Step step : steps) {
            Registered r = check(step, catalog, apis);
            if (!ids.add(step.id())) {
                throw new PluginRegistrationException("step '" + step.name() + "': another step has the id " + step.id()
                        + " (give each step its own name or id)");
            }
            index.computeIfAbsent(key(step.message(), r.table()), k -> new EnumMap<>(Stage.class))
                    .computeIfAbsent(step.stage(), s -> new ArrayList<>()).add(r);
        }
        // by execution order; a stable sort keeps registration order among equals
        index.values().forEach(stages -> stages.values().forEach(list -> list.sort(Comparator.comparingInt(r -> r.step().order()))));
        return new StepRegistry(index, steps.size());
    }

    public int size() {
        return size;
    }

    /** Whether any step is registered for {@code message} on the table with logical name {@code table}. */
    boolean any(String message, String table) {
        return byMessageAndTable.containsKey(key(message, table));
    }

    /** Whether any step is registered for {@code message} on {@code table}. */
    boolean any(String message, TableDef table) {
        return byMessageAndTable.containsKey(key(message, table));
    }

    List<Registered> steps(String message, TableDef table, Stage stage) {
        return steps(message, table.logicalName(), stage);
    }

    /** The steps of {@code message} on the table with logical name {@code table} ("none": an unbound custom API). */
    List<Registered> steps(String message, String table, Stage stage) {
        Map<Stage, List<Registered>> stages = byMessageAndTable.get(key(message, table));
        return stages == null ? List.of() : stages.getOrDefault(stage, List.of());
    }

    private static String key(String message, TableDef table) {
        return key(message, table.logicalName());
    }

    private static String key(String message, String table) {
        return message + '\u0000' + table;
    }

    private static Registered check(Step step, Catalog catalog, CustomApis apis) {
        String where = "step '" + step.name() + "'";
        Optional<CustomApis.Declared> api = apis.byName(step.message());
        if (api.isPresent()) {
            return checkCustomApiStep(where, step, api.get());
        }
        if (step.message().equals(Message.ASSOCIATE) || step.message().equals(Message.DISASSOCIATE)) {
            return checkAssociationStep(where, step);
        }
        if (!MESSAGES.contains(step.message())) {
            throw new PluginRegistrationException(where + ": dvemu runs steps for the messages Create, Update, Delete, Associate and Disassociate"
                    + " and the custom APIs declared, not '" + step.message() + "'");
        }
        TableDef table = catalog.byLogicalName(step.table()).orElseThrow(() -> new PluginRegistrationException(
                where + ": there is no table '" + step.table() + "' (tables: "
                        + String.join(", ", catalog.tables().stream().map(TableDef::logicalName).sorted().toList()) + ")"));
        if (step.stage() == Stage.MAIN_OPERATION) {
            throw new PluginRegistrationException(where + ": the MainOperation stage is for custom APIs, not " + step.message());
        }
        if (!step.filteringAttributes().isEmpty() && !step.message().equals(Message.UPDATE)) {
            throw new PluginRegistrationException(where + ": filtering attributes apply to Update steps only");
        }
        Set<ColumnDef> filtering = new HashSet<>();
        for (String name : step.filteringAttributes()) {
            filtering.add(column(where + ": filtering attribute", table, name));
        }
        if (!step.preImages().isEmpty() && step.message().equals(Message.CREATE)) {
            throw new PluginRegistrationException(where + ": a Create has no pre-image (the row does not exist yet)");
        }
        if (!step.postImages().isEmpty() && step.message().equals(Message.DELETE)) {
            throw new PluginRegistrationException(where + ": a Delete has no post-image (the row is gone)");
        }
        if (!step.postImages().isEmpty() && step.stage() != Stage.POST_OPERATION) {
            throw new PluginRegistrationException(where + ": post-images exist only in the PostOperation stage");
        }
        Set<String> aliases = new HashSet<>();
        List<Registered.Image> pre = images(where, table, step.preImages(), aliases);
        List<Registered.Image> post = images(where, table, step.postImages(), aliases);
        return new Registered(step, table.logicalName(), Set.copyOf(filtering), pre, post);
    }

    /** A step on Associate or Disassociate: for every table ("none"), without images (a link is not a row). */
    private static Registered checkAssociationStep(String where, Step step) {
        if (!step.table().equals(ANY_TABLE)) {
            throw new PluginRegistrationException(where + ": " + step.message() + " steps run for every relationship; register"
                    + " them on '" + ANY_TABLE + "' (Message.ANY_TABLE), not '" + step.table() + "'");
        }
        if (step.stage() == Stage.MAIN_OPERATION) {
            throw new PluginRegistrationException(where + ": the MainOperation stage is for custom APIs, not " + step.message());
        }
        if (!step.filteringAttributes().isEmpty()) {
            throw new PluginRegistrationException(where + ": filtering attributes apply to Update steps only");
        }
        if (!step.preImages().isEmpty() || !step.postImages().isEmpty()) {
            throw new PluginRegistrationException(where + ": " + step.message() + " has no entity images");
        }
        return new Registered(step, ANY_TABLE, Set.of(), List.of(), List.of());
    }

    /** A step on a custom API's message: on its bound table (or "none"), not its main operation, without images. */
    private static Registered checkCustomApiStep(String where, Step step, CustomApis.Declared api) {
        if (!step.table().equals(api.primaryEntityName())) {
            throw new PluginRegistrationException(where + ": the custom API " + api.name() + " is "
                    + api.boundTable().map(t -> "bound to " + t.logicalName() + ", so its steps are on '" + t.logicalName() + "'")
                    .orElse("unbound, so its steps are on '" + CustomApis.UNBOUND + "'") + ", not '" + step.table() + "'");
        }
        if (step.stage() == Stage.MAIN_OPERATION) {
            throw new PluginRegistrationException(where + ": the MainOperation stage of " + api.name()
                    + " is the custom API's own plug-in");
        }
        if (!step.filteringAttributes().isEmpty()) {
            throw new PluginRegistrationException(where + ": filtering attributes apply to Update steps only");
        }
        if (!step.preImages().isEmpty() || !step.postImages().isEmpty()) {
            throw new PluginRegistrationException(where + ": a custom API's message has no entity images");
        }
        return new Registered(step, api.primaryEntityName(), Set.of(), List.of(), List.of());
    }

    private static List<Registered.Image> images(String where, TableDef table, List<Step.Image> images, Set<String> aliases) {
        List<Registered.Image> out = new ArrayList<>();
        for (Step.Image image : images) {
            if (image.alias().isBlank() || !aliases.add(image.alias())) {
                throw new PluginRegistrationException(where + ": image aliases must be non-blank and distinct ('"
                        + image.alias() + "')");
            }
            List<ColumnDef> columns = new ArrayList<>();
            for (String name : image.columns()) {
                columns.add(column(where + ": image '" + image.alias() + "'", table, name));
            }
            out.add(new Registered.Image(image.alias(), List.copyOf(columns)));
        }
        return List.copyOf(out);
    }

    private static ColumnDef column(String where, TableDef table, String name) {
        return table.column(name).orElseThrow(() -> new PluginRegistrationException(where + " names '" + name
                + "', which is not a column of " + table.logicalName()));
    }
}
