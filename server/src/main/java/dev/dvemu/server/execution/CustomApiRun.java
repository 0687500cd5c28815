package dev.dvemu.server.execution;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One call of a custom API, as Dataverse's event pipeline runs a message (§f): PreValidation (outside the
 * transaction for a request's own call outside a changeset), then in one transaction PreOperation, the API's own
 * plug-in as MainOperation, PostOperation, and the response read from the output parameters. Anything a plug-in
 * throws — or a response property of the wrong type — rolls all of it back, and in a changeset the changeset.
 */
final class CustomApiRun extends PipelineRun {
    private final CustomApiCall call;
    private final StepRegistry.Registered main;

    CustomApiRun(Executor executor, UnitOfWork unit, RequestOptions options, CustomApiCall call, ExecutionContext parent) {
        super(executor, unit, options, parent, call.api().name());
        this.call = call;
        CustomApis.Declared api = call.api();
        // the main operation runs as a step of its own, so its failures read as any step's do
        Step step = Step.on(api.name(), api.primaryEntityName()).stage(Stage.MAIN_OPERATION)
                .name(api.name() + " (custom API)").plugin(api.api().plugin());
        this.main = new StepRegistry.Registered(step, api.primaryEntityName(), Set.of(), List.of(), List.of());
    }

    @Override
    String primaryEntityName() {
        return call.api().primaryEntityName();
    }

    @Override
    List<StepRegistry.Registered> steps(Stage stage) {
        // the bypass headers skip the steps registered on the message, never the API's own plug-in
        return options().bypassCustomSync() ? List.of() : super.steps(stage);
    }

    /** Runs the call; the response properties by name, in declared order, those the plug-ins left unset as null. */
    Map<String, Object> run() {
        if (call.target().isPresent()) {
            RowAddress address = call.target().get();
            Row row = executor().find(unit(), address, false).orElseThrow(() -> RowStore.notFound(address));
            primaryId = row.id();
            input.put("Target", new EntityReference(row.table().logicalName(), row.id()));
        }
        input.putAll(call.parameters());
        return runStages(() -> {
            execute(main, Stage.MAIN_OPERATION, true);
            return null;
        }, ignored -> {
            // checked inside the transaction: a response the API cannot give rolls its writes back
            try {
                return response();
            } catch (IllegalArgumentException e) {
                throw PluginFailures.translate(e, main.step(), trace, options());
            }
        });
    }

    private Map<String, Object> response() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (CustomApi.Parameter p : call.api().api().responseProperties()) {
            out.put(p.name(), responseValue(p, output.get(p.name())));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The value as the response carries it; an {@link IllegalArgumentException} when it is not of the property's type. */
    private static Object responseValue(CustomApi.Parameter p, Object v) {
        if (v == null) {
            return null;
        }
        switch (p.type()) {
            case BOOLEAN:
                if (v instanceof Boolean) {
                    return v;
                }
                break;
            case DATE_TIME:
                if (v instanceof OffsetDateTime t) {
                    return t;
                }
                if (v instanceof Instant t) {
                    return t.atOffset(ZoneOffset.UTC);
                }
                break;
            case DECIMAL, MONEY:
                if (v instanceof BigDecimal) {
                    return v;
                }
                if (v instanceof Integer || v instanceof Long) {
                    return BigDecimal.valueOf(((Number) v).longValue());
                }
                break;
            case FLOAT:
                if (v instanceof Double || v instanceof Float) {
                    return ((Number) v).doubleValue();
                }
                break;
            case INTEGER, PICKLIST:
                if (v instanceof Integer) {
                    return v;
                }
                break;
            case STRING:
                if (v instanceof String) {
                    return v;
                }
                break;
            case GUID:
                if (v instanceof UUID) {
                    return v;
                }
                break;
            case STRING_ARRAY:
                if (v instanceof List<?> list && list.stream().allMatch(e -> e instanceof String)) {
                    return List.copyOf(list);
                }
                if (v instanceof String[] array) {
                    return List.of(array);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("the response property '" + p.name() + "' is of type " + p.type()
                + ", but the output parameter is a " + v.getClass().getName());
    }
}
