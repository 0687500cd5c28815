package dev.dvemu.plugin;

/**
 * A set of steps, found in the jars of {@code --plugins DIR} with {@link java.util.ServiceLoader}: list the class
 * in {@code META-INF/services/dev.dvemu.plugin.PluginPackage}. Also what the testkit's
 * {@code @DvemuTest(plugins = ...)} names.
 *
 * <pre>{@code
 * public final class PromotionPlugins implements PluginPackage {
 *     public void register(Registration registration) {
 *         registration.step(Step.on(Message.CREATE, "new_appliedpromotion")
 *                 .stage(Stage.PRE_OPERATION).plugin(new PromotionLimit()));
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PluginPackage {
    void register(Registration registration);
}
