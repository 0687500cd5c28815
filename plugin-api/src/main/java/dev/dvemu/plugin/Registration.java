package dev.dvemu.plugin;

/**
 * Where a {@link PluginPackage} registers its steps. The server checks each registration against the tables it
 * serves (table, columns, stage, images) and refuses to start, naming the step, when one cannot work.
 */
public interface Registration {
    Registration step(Step step);

    /** Declares a custom API (its messages can also have steps: {@code Step.on("new_Apply", table)}). */
    Registration customApi(CustomApi api);
}
