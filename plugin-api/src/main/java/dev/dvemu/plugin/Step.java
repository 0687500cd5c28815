package dev.dvemu.plugin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A plug-in registered for one message on one table at one stage: Dataverse's SDK message processing step.
 * Steps of one stage run by {@link #order()}, then in the order they were registered.
 *
 * <pre>{@code
 * Step step = Step.on(Message.CREATE, "new_appliedpromotion")
 *         .stage(Stage.PRE_OPERATION)
 *         .name("promotion limit")
 *         .plugin(new PromotionLimit());
 * Step audit = Step.on(Message.UPDATE, "new_stock")
 *         .stage(Stage.POST_OPERATION)
 *         .filteringAttributes("new_quantity")        // only when the update sets the quantity
 *         .preImage("pre", "new_quantity")
 *         .postImage("post", "new_quantity")
 *         .plugin(context -> { ... });
 * }</pre>
 */
public final class Step {
    /** An entity image: the row before or after the operation, with the named columns (all when none are named). */
    public record Image(String alias, List<String> columns) {
        public Image {
            Objects.requireNonNull(alias, "alias");
            columns = List.copyOf(columns);
        }
    }

    private final String message;
    private final String table;
    private final Stage stage;
    private final int order;
    private final Set<String> filteringAttributes;
    private final List<Image> preImages;
    private final List<Image> postImages;
    private final String name;
    private final UUID id;
    private final Plugin plugin;

    private Step(Builder b, Plugin plugin) {
        this.message = b.message;
        this.table = b.table;
        this.stage = b.stage;
        this.order = b.order;
        this.filteringAttributes = Set.copyOf(b.filteringAttributes);
        this.preImages = List.copyOf(b.preImages);
        this.postImages = List.copyOf(b.postImages);
        this.name = b.name != null ? b.name : plugin.getClass().getName() + ": " + b.message + " of " + b.table + " ("
                + b.stage + ")";
        this.id = b.id != null ? b.id : UUID.nameUUIDFromBytes(("dvemu step " + name).getBytes(StandardCharsets.UTF_8));
        this.plugin = Objects.requireNonNull(plugin, "plugin");
    }

    /**
     * Starts a step for {@code message} ({@link Message#CREATE}, {@link Message#UPDATE}, {@link Message#DELETE}, or a
     * custom API's name) on the table with logical name {@code table}.
     */
    public static Builder on(String message, String table) {
        return new Builder(message, table);
    }

    public String message() {
        return message;
    }

    /** The table's logical name. */
    public String table() {
        return table;
    }

    public Stage stage() {
        return stage;
    }

    public int order() {
        return order;
    }

    /** For an Update step: the columns of which at least one must be in the update for the step to run; empty: any. */
    public Set<String> filteringAttributes() {
        return filteringAttributes;
    }

    public List<Image> preImages() {
        return preImages;
    }

    public List<Image> postImages() {
        return postImages;
    }

    /** The step's name, in error messages and start-up output. */
    public String name() {
        return name;
    }

    /** The step's id, as {@code MSCRM.BypassBusinessLogicExecutionStepIds} names it: given, or derived from the name. */
    public UUID id() {
        return id;
    }

    public Plugin plugin() {
        return plugin;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Collects a step's registration; {@link #plugin(Plugin)} ends it. */
    public static final class Builder {
        private final String message;
        private final String table;
        private Stage stage = Stage.PRE_OPERATION;
        private int order = 1;
        private final Set<String> filteringAttributes = new LinkedHashSet<>();
        private final List<Image> preImages = new ArrayList<>();
        private final List<Image> postImages = new ArrayList<>();
        private String name;
        private UUID id;

        private Builder(String message, String table) {
            this.message = Objects.requireNonNull(message, "message");
            this.table = Objects.requireNonNull(table, "table");
        }

        /** The stage; {@link Stage#PRE_OPERATION} unless set. */
        public Builder stage(Stage stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            return this;
        }

        /** The execution order within the stage; 1 unless set. */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        public Builder filteringAttributes(String... columns) {
            filteringAttributes.addAll(List.of(columns));
            return this;
        }

        public Builder preImage(String alias, String... columns) {
            preImages.add(new Image(alias, List.of(columns)));
            return this;
        }

        public Builder postImage(String alias, String... columns) {
            postImages.add(new Image(alias, List.of(columns)));
            return this;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder id(UUID id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The step, running {@code plugin}. */
        public Step plugin(Plugin plugin) {
            return new Step(this, plugin);
        }
    }
}
