package dev.dvemu.server.execution;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.ParameterType;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declared custom APIs, checked against the tables once at start-up, by unique name. What cannot be served as
 * Dataverse serves it is refused here, by name, rather than answered differently later. Immutable.
 */
public final class CustomApis {
    public static final CustomApis NONE = new CustomApis(Map.of());
    /** What {@code primaryEntityName} is for an unbound custom API, and the table a step on one names. */
    public static final String UNBOUND = "none";
    /** A publisher prefix, '_', then letters, digits and '_': what Dataverse takes as a custom API's unique name. */
    private static final Pattern UNIQUE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Types dvemu does not serve yet: refused at registration rather than answered wrongly. */
    private static final Set<ParameterType> NOT_YET_REQUEST = EnumSet.of(ParameterType.ENTITY, ParameterType.ENTITY_COLLECTION);
    private static final Set<ParameterType> NOT_YET_RESPONSE = EnumSet.of(ParameterType.ENTITY,
            ParameterType.ENTITY_COLLECTION, ParameterType.ENTITY_REFERENCE);

    /** A custom API checked against the tables: its definition and the table it is bound to, if any. */
    public record Declared(CustomApi api, Optional<TableDef> boundTable) {
        public String name() {
            return api.uniqueName();
        }

        /** The bound table's logical name, or {@code "none"}. */
        public String primaryEntityName() {
            return boundTable.map(TableDef::logicalName).orElse(UNBOUND);
        }

        public Optional<CustomApi.Parameter> requestParameter(String name) {
            return api.requestParameters().stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    private final Map<String, Declared> byName;

    private CustomApis(Map<String, Declared> byName) {
        this.byName = byName;
    }

    /** Checks every custom API; the first that cannot be served fails start-up, naming it. */
    public static CustomApis of(List<CustomApi> apis, Catalog catalog) {
        if (apis.isEmpty()) {
            return NONE;
        }
        Map<String, Declared> out = new LinkedHashMap<>();
        Set<String> lowerNames = new HashSet<>();
        for (CustomApi api : apis) {
            Declared d = check(api, catalog);
            if (!lowerNames.add(api.uniqueName().toLowerCase(Locale.ROOT))) {
                throw new PluginRegistrationException(where(api) + ": another custom API has the unique name "
                        + api.uniqueName() + " (unique names are compared ignoring case)");
            }
            out.put(api.uniqueName(), d);
        }
        return new CustomApis(Collections.unmodifiableMap(out));
    }

    public Optional<Declared> byName(String uniqueName) {
        return Optional.ofNullable(byName.get(uniqueName));
    }

    /** In the order they were registered. */
    public Collection<Declared> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    private static String where(CustomApi api) {
        return "custom API " + api.uniqueName();
    }

    private static Declared check(CustomApi api, Catalog catalog) {
        String where = where(api);
        String name = api.uniqueName();
        if (!UNIQUE_NAME.matcher(name).matches()) {
            throw new PluginRegistrationException(where + ": a unique name is a publisher prefix, '_' and a name of "
                    + "letters, digits and '_' (new_ApplyPromotion)");
        }
        for (TableDef t : catalog.tables()) {
            if (t.entitySetName().equalsIgnoreCase(name)) {
                throw new PluginRegistrationException(where + ": its name is the entity set of the table "
                        + t.logicalName() + "; URLs could not tell them apart");
            }
        }
        if (name.equalsIgnoreCase("WhoAmI")) {
            throw new PluginRegistrationException(where + ": WhoAmI is Dataverse's own message");
        }
        Optional<TableDef> bound = Optional.empty();
        if (api.boundTable().isPresent()) {
            bound = Optional.of(table(where + " is bound to", api.boundTable().get(), catalog));
        }
        if (api.isFunction() && api.responseProperties().isEmpty()) {
            throw new PluginRegistrationException(where + ": a function needs at least one response property "
                    + "(a function without one does not appear in $metadata and cannot be called)");
        }
        Set<String> names = new HashSet<>();
        for (CustomApi.Parameter p : api.requestParameters()) {
            String at = where + ": request parameter '" + p.name() + "'";
            checkName(at, p, names);
            if (bound.isPresent() && p.name().equals("Target")) {
                throw new PluginRegistrationException(at + ": Target is the bound row's reference");
            }
            if (NOT_YET_REQUEST.contains(p.type())) {
                throw new PluginRegistrationException(at + ": request parameters of type " + p.type()
                        + " are supported by Dataverse but not yet by dvemu");
            }
            if (api.isFunction() && (p.type() == ParameterType.ENTITY_REFERENCE || p.type() == ParameterType.STRING_ARRAY)) {
                throw new PluginRegistrationException(at + ": function parameters of type " + p.type()
                        + " are supported by Dataverse but not yet by dvemu");
            }
            checkTable(at, p, catalog);
        }
        names.clear();
        for (CustomApi.Parameter p : api.responseProperties()) {
            String at = where + ": response property '" + p.name() + "'";
            checkName(at, p, names);
            if (NOT_YET_RESPONSE.contains(p.type())) {
                throw new PluginRegistrationException(at + ": response properties of type " + p.type()
                        + " are supported by Dataverse but not yet by dvemu");
            }
            checkTable(at, p, catalog);
        }
        return new Declared(api, bound);
    }

    private static void checkName(String at, CustomApi.Parameter p, Set<String> names) {
        if (!PARAMETER_NAME.matcher(p.name()).matches()) {
            throw new PluginRegistrationException(at + ": a name is letters, digits and '_', not starting with a digit");
        }
        if (!names.add(p.name())) {
            throw new PluginRegistrationException(at + " is declared twice");
        }
    }

    private static void checkTable(String at, CustomApi.Parameter p, Catalog catalog) {
        boolean needsTable = p.type() == ParameterType.ENTITY_REFERENCE || p.type() == ParameterType.ENTITY;
        if (needsTable && p.table().isEmpty()) {
            throw new PluginRegistrationException(at + ": an " + p.type() + " names its table");
        }
        if (!needsTable && p.table().isPresent()) {
            throw new PluginRegistrationException(at + ": only Entity and EntityReference types name a table");
        }
        if (needsTable) {
            table(at + " names", p.table().get(), catalog);
        }
    }

    private static TableDef table(String at, String logicalName, Catalog catalog) {
        return catalog.byLogicalName(logicalName).orElseThrow(() -> new PluginRegistrationException(
                at + " the table '" + logicalName + "', which does not exist (tables: "
                        + String.join(", ", catalog.tables().stream().map(TableDef::logicalName).sorted().toList()) + ")"));
    }
}
