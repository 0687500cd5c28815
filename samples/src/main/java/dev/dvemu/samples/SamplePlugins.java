package dev.dvemu.samples;

import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Registration;

/**
 * Both samples on their own tables: the promotion limit on {@code new_appliedpromotion} and the auto-number
 * {@code TCK-000001} of {@code new_ticket}. Named in {@code META-INF/services/dev.dvemu.plugin.PluginPackage}, so
 * this jar in a {@code --plugins} directory registers them; in a test, {@code @DvemuTest(plugins = SamplePlugins.class)}.
 */
public final class SamplePlugins implements PluginPackage {
    @Override
    public void register(Registration registration) {
        registration.step(new PromotionLimit().step());
        registration.step(new AutoNumber("new_ticket", "new_number", "TCK-%06d").step());
    }
}
