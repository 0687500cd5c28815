package dev.dvemu.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A custom API: a message of your own, declared in {@code $metadata} and called over the Web API as an action
 * ({@code POST}) or a function ({@code GET}), unbound ({@code /api/data/v9.2/new_Apply}) or bound to a row of a table
 * ({@code /api/data/v9.2/new_promotions(<id>)/Microsoft.Dynamics.CRM.new_Apply}). Its plug-in is the main
 * operation: it reads {@link PluginContext#inputParameters()} (and, when bound, {@code Target}, the row's
 * {@link EntityReference}) and writes {@link PluginContext#outputParameters()}, in one transaction with everything
 * it does through {@link PluginContext#service()}.
 *
 * <pre>{@code
 * CustomApi apply = CustomApi.action("new_ApplyPromotion")
 *         .requestParameter("PromotionId", ParameterType.GUID)
 *         .requestParameter("Amount", ParameterType.MONEY)
 *         .optionalRequestParameter("Note", ParameterType.STRING)
 *         .responseProperty("Remaining", ParameterType.MONEY)
 *         .plugin(context -> { ... context.outputParameters().put("Remaining", remaining); });
 * }</pre>
 */
public final class CustomApi {
    /** A request parameter or response property; {@code table} is the logical name for Entity and EntityReference types. */
    public record Parameter(String name, ParameterType type, boolean optional, Optional<String> table) {
        public Parameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(table, "table");
        }
    }

    private final String uniqueName;
    private final boolean function;
    private final Optional<String> boundTable;
    private final List<Parameter> requestParameters;
    private final List<Parameter> responseProperties;
    private final Plugin plugin;

    private CustomApi(Builder b, Plugin plugin) {
        this.uniqueName = b.uniqueName;
        this.function = b.function;
        this.boundTable = Optional.ofNullable(b.boundTable);
        this.requestParameters = List.copyOf(b.requestParameters);
        this.responseProperties = List.copyOf(b.responseProperties);
        this.plugin = Objects.requireNonNull(plugin, "plugin");
    }

    /** An action: called with {@code POST} and a JSON body of its parameters; it may write. */
    public static Builder action(String uniqueName) {
        return new Builder(uniqueName, false);
    }

    /** A function: called with {@code GET}, its parameters in the URL; it should only read. */
    public static Builder function(String uniqueName) {
        return new Builder(uniqueName, true);
    }

    /** The message name, with its publisher prefix ({@code new_ApplyPromotion}). */
    public String uniqueName() {
        return uniqueName;
    }

    public boolean isFunction() {
        return function;
    }

    /** The table whose rows it is bound to; empty for an unbound API. */
    public Optional<String> boundTable() {
        return boundTable;
    }

    public List<Parameter> requestParameters() {
        return requestParameters;
    }

    public List<Parameter> responseProperties() {
        return responseProperties;
    }

    public Plugin plugin() {
        return plugin;
    }

    @Override
    public String toString() {
        return (function ? "function " : "action ") + uniqueName + boundTable.map(t -> " bound to " + t).orElse("");
    }

    /** Collects a custom API's definition; {@link #plugin(Plugin)} ends it. */
    public static final class Builder {
        private final String uniqueName;
        private final boolean function;
        private String boundTable;
        private final List<Parameter> requestParameters = new ArrayList<>();
        private final List<Parameter> responseProperties = new ArrayList<>();

        private Builder(String uniqueName, boolean function) {
            this.uniqueName = Objects.requireNonNull(uniqueName, "uniqueName");
            this.function = function;
        }

        /** Binds it to the rows of the table with this logical name. */
        public Builder boundTo(String table) {
            this.boundTable = Objects.requireNonNull(table, "table");
            return this;
        }

        public Builder requestParameter(String name, ParameterType type) {
            requestParameters.add(new Parameter(name, type, false, Optional.empty()));
            return this;
        }

        public Builder optionalRequestParameter(String name, ParameterType type) {
            requestParameters.add(new Parameter(name, type, true, Optional.empty()));
            return this;
        }

        /** An Entity or EntityReference parameter of the table with this logical name. */
        public Builder requestParameter(String name, ParameterType type, String table) {
            requestParameters.add(new Parameter(name, type, false, Optional.of(table)));
            return this;
        }

        /** An optional Entity or EntityReference parameter of the table with this logical name. */
        public Builder optionalRequestParameter(String name, ParameterType type, String table) {
            requestParameters.add(new Parameter(name, type, true, Optional.of(table)));
            return this;
        }

        public Builder responseProperty(String name, ParameterType type) {
            responseProperties.add(new Parameter(name, type, false, Optional.empty()));
            return this;
        }

        /** An Entity or EntityReference response property of the table with this logical name. */
        public Builder responseProperty(String name, ParameterType type, String table) {
            responseProperties.add(new Parameter(name, type, false, Optional.of(table)));
            return this;
        }

        /** The custom API, with {@code plugin} as its main operation. */
        public CustomApi plugin(Plugin plugin) {
            return new CustomApi(this, plugin);
        }
    }
}
