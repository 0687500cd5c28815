package dev.dvemu.samples;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.OrganizationService;
import dev.dvemu.plugin.Plugin;
import dev.dvemu.plugin.PluginContext;
import dev.dvemu.plugin.QueryByAttribute;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Numbers the rows of a table without gaps ({@code TCK-000001}, {@code TCK-000002}...): Approach 3 of Dataverse's
 * "Scalable customization design: auto-numbering example", a PreOperation step on Create that takes the next value
 * from a counter row.
 *
 * <p>The pre-lock: the step first writes the counter's lock column (a "blind" update), which takes the counter row's
 * lock until the create's transaction ends. Concurrent creates queue there, so each reads the value the one before it
 * committed: no two rows get the same number. And because the counter's increment commits or rolls back with the
 * create (in a {@code $batch} changeset, with the whole changeset), a create that fails gives its number back: the
 * numbers have no gaps. The price is that creates of the table run one at a time from the lock to the commit; keep
 * the rest of that transaction short.
 *
 * <p>The counter row is found by its name column, which holds the numbered table's logical name, and must exist
 * before the first create. A number the caller sends is replaced: the plug-in owns the column.
 *
 * <pre>{@code
 * registration.step(new AutoNumber("new_ticket", "new_number", "TCK-%06d").step());
 * }</pre>
 */
public final class AutoNumber implements Plugin {
    /** The counter table and its columns; {@link #SAMPLE} are this sample's. */
    public record Counter(String table, String name, String nextValue, String lock) {
        public Counter {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(nextValue, "nextValue");
            Objects.requireNonNull(lock, "lock");
        }
    }

    /** The sample's {@code new_counter} table. */
    public static final Counter SAMPLE = new Counter("new_counter", "new_name", "new_nextvalue", "new_lockedby");

    private final String table;
    private final String numberColumn;
    private final String format;
    private final Counter counter;

    /** Numbers {@code table}'s {@code numberColumn} with {@code format} ({@link String#format}, one integer). */
    public AutoNumber(String table, String numberColumn, String format) {
        this(table, numberColumn, format, SAMPLE);
    }

    public AutoNumber(String table, String numberColumn, String format, Counter counter) {
        this.table = Objects.requireNonNull(table, "table");
        this.numberColumn = Objects.requireNonNull(numberColumn, "numberColumn");
        this.format = Objects.requireNonNull(format, "format");
        this.counter = Objects.requireNonNull(counter, "counter");
        String.format(format, 1); // a format that cannot take a number fails here, at registration
    }

    /** The step to register: PreOperation of Create, so the number is written with the row, in its transaction. */
    public Step step() {
        return Step.on(Message.CREATE, table)
                .stage(Stage.PRE_OPERATION)
                .name("auto-number: " + numberColumn + " of " + table)
                .plugin(this);
    }

    @Override
    public void execute(PluginContext context) {
        OrganizationService service = context.service();
        UUID counterId = counterId(service);

        // the pre-lock: from here to the commit, other creates wait at this same update
        service.update(new Entity(counter.table(), counterId).set(counter.lock(), context.correlationId().toString()));

        Entity current = service.retrieve(counter.table(), counterId, counter.nextValue());
        int next = current.get(counter.nextValue(), Integer.class).orElse(1);
        context.target().set(numberColumn, String.format(format, next));
        service.update(new Entity(counter.table(), counterId).set(counter.nextValue(), next + 1));
    }

    private UUID counterId(OrganizationService service) {
        // the name never changes, so finding the row needs no lock; its value is read after the lock is taken
        List<Entity> found = service.retrieveMultiple(new QueryByAttribute(counter.table())
                .where(counter.name(), table).columns(counter.name()).top(1));
        if (found.isEmpty()) {
            throw new InvalidPluginExecutionException("No " + counter.table() + " row is named '" + table
                    + "': create it (with " + counter.nextValue() + " 1) before the first " + table + ".");
        }
        return found.get(0).id().orElseThrow();
    }
}
