package dev.dvemu.server.execution;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.Stage;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.store.Row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What every run of the event pipeline shares — a write with its steps ({@link OperationRun}) and a custom API call
 * ({@link CustomApiRun}): the message's parameters, shared variables and trace, the context each plug-in gets, and
 * the loop that runs a stage's steps and turns what one throws into the error the client gets.
 */
abstract class PipelineRun {
    private final Executor executor;
    private final UnitOfWork unit;
    private final RequestOptions options;
    private final ExecutionContext parent;

    final String message;
    final Map<String, Object> input = new HashMap<>();
    final Map<String, Object> output = new HashMap<>();
    final Map<String, Object> shared = new HashMap<>();
    final StringBuilder trace = new StringBuilder();
    /** The row's id once known. */
    UUID primaryId;
    /** The row before the operation (Update, Delete), read when a step has a pre-image. */
    Row before;
    /** The row after the operation (Create, Update). */
    Row after;

    PipelineRun(Executor executor, UnitOfWork unit, RequestOptions options, ExecutionContext parent, String message) {
        this.executor = executor;
        this.unit = unit;
        this.options = options;
        this.parent = parent;
        this.message = message;
        options.tag().ifPresent(tag -> shared.put("tag", tag));
    }

    /** The logical name of the operation's table; {@code "none"} for an unbound custom API. */
    abstract String primaryEntityName();

    UnitOfWork unit() {
        return unit;
    }

    Executor executor() {
        return executor;
    }

    RequestOptions options() {
        return options;
    }

    Optional<ExecutionContext> parent() {
        return Optional.ofNullable(parent);
    }

    int depth() {
        return parent == null ? 1 : parent.depth() + 1;
    }

    /** The steps registered for this run's message and table at {@code stage}. */
    List<StepRegistry.Registered> steps(Stage stage) {
        return executor.steps().steps(message, primaryEntityName(), stage);
    }

    /**
     * PreValidation — outside the transaction for a request's own operation outside a changeset, inside it otherwise —
     * then in one transaction PreOperation, {@code operation} and PostOperation; {@code finish} turns the operation's
     * result into the run's, still inside the transaction (so that what it refuses rolls everything back).
     */
    <T, R> R runStages(java.util.function.Supplier<T> operation, java.util.function.Function<T, R> finish) {
        boolean preValidationOutside = !unit.inTransaction();
        if (preValidationOutside) {
            stage(Stage.PRE_VALIDATION, false);
        }
        return unit.inTransaction(() -> {
            if (!preValidationOutside) {
                stage(Stage.PRE_VALIDATION, true);
            }
            stage(Stage.PRE_OPERATION, true);
            T result = operation.get();
            stage(Stage.POST_OPERATION, true);
            return finish.apply(result);
        });
    }

    /** Runs the stage's steps in order; what one throws ends the operation. */
    void stage(Stage stage, boolean inTransaction) {
        for (StepRegistry.Registered r : steps(stage)) {
            if (options.bypassedSteps().contains(r.step().id()) || !filtersMatch(r)) {
                continue;
            }
            execute(r, stage, inTransaction);
        }
    }

    /** Runs one plug-in with its own context; its exception becomes the operation's Dataverse error. */
    void execute(StepRegistry.Registered r, Stage stage, boolean inTransaction) {
        ExecutionContext context = new ExecutionContext(this, r, stage, inTransaction);
        try {
            r.step().plugin().execute(context);
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            throw PluginFailures.translate(e, r.step(), trace, options);
        }
    }

    /** An Update step with filtering attributes runs only when the update sets one of them. */
    private boolean filtersMatch(StepRegistry.Registered r) {
        if (r.filteringAttributes().isEmpty() || !(input.get("Target") instanceof Entity target)) {
            return true;
        }
        for (ColumnDef column : r.filteringAttributes()) {
            if (target.contains(column.name())) {
                return true;
            }
        }
        return false;
    }
}
