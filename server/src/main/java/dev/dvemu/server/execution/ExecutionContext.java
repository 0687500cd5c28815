package dev.dvemu.server.execution;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.OrganizationService;
import dev.dvemu.plugin.PluginContext;
import dev.dvemu.plugin.Stage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What one step is told: the operation's parameters and shared variables (one set for all its steps), and the
 * images its own registration declared.
 */
final class ExecutionContext implements PluginContext {
    private final PipelineRun run;
    private final StepRegistry.Registered step;
    private final Stage stage;
    private final boolean inTransaction;
    private OrganizationService service;

    ExecutionContext(PipelineRun run, StepRegistry.Registered step, Stage stage, boolean inTransaction) {
        this.run = run;
        this.step = step;
        this.stage = stage;
        this.inTransaction = inTransaction;
    }

    PipelineRun run() {
        return run;
    }

    @Override
    public String messageName() {
        return run.message;
    }

    @Override
    public String primaryEntityName() {
        return run.primaryEntityName();
    }

    @Override
    public Optional<UUID> primaryEntityId() {
        return Optional.ofNullable(run.primaryId);
    }

    @Override
    public Stage stage() {
        return stage;
    }

    @Override
    public int depth() {
        return run.depth();
    }

    @Override
    public boolean isInTransaction() {
        return inTransaction;
    }

    @Override
    public UUID userId() {
        return run.options().userId();
    }

    @Override
    public UUID initiatingUserId() {
        return run.options().userId();
    }

    @Override
    public UUID businessUnitId() {
        return Org.BUSINESS_UNIT_ID;
    }

    @Override
    public UUID organizationId() {
        return Org.ORGANIZATION_ID;
    }

    @Override
    public UUID correlationId() {
        return run.unit().correlationId();
    }

    @Override
    public Map<String, Object> inputParameters() {
        return run.input;
    }

    @Override
    public Map<String, Object> outputParameters() {
        // results exist only once the main operation ran; a custom API's own plug-in is what writes them
        return stage == Stage.POST_OPERATION || stage == Stage.MAIN_OPERATION ? run.output
                : Collections.unmodifiableMap(run.output);
    }

    @Override
    public Map<String, Object> sharedVariables() {
        return run.shared;
    }

    @Override
    public Map<String, Entity> preEntityImages() {
        if (run.before == null || step.preImages().isEmpty()) {
            return Map.of();
        }
        Map<String, Entity> images = new LinkedHashMap<>();
        for (StepRegistry.Registered.Image image : step.preImages()) {
            images.put(image.alias(), EntityValues.toEntity(run.before, image.columns()));
        }
        return Collections.unmodifiableMap(images);
    }

    @Override
    public Map<String, Entity> postEntityImages() {
        if (run.after == null || stage != Stage.POST_OPERATION || step.postImages().isEmpty()) {
            return Map.of();
        }
        Map<String, Entity> images = new LinkedHashMap<>();
        for (StepRegistry.Registered.Image image : step.postImages()) {
            images.put(image.alias(), EntityValues.toEntity(run.after, image.columns()));
        }
        return Collections.unmodifiableMap(images);
    }

    @Override
    public Optional<PluginContext> parentContext() {
        return run.parent().map(p -> p);
    }

    @Override
    public OrganizationService service() {
        if (service == null) {
            service = new DataService(this);
        }
        return service;
    }

    @Override
    public void trace(String format, Object... args) {
        run.trace.append(args.length == 0 ? format : String.format(format, args)).append("\r\n");
    }

    @Override
    public String toString() {
        return step.step().name() + " at depth " + depth();
    }
}
