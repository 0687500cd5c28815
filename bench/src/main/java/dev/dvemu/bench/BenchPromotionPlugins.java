package dev.dvemu.bench;

import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Registration;
import dev.dvemu.samples.PromotionLimit;

/**
 * Scenario 4's server-side variant: the sample promotion limit plug-in on the bench's {@code tmy_*} tables, the same
 * tables the client-side variant writes, so the two variants differ only in where the check runs. Loaded by the
 * server from the plug-in jar {@link PluginJar} writes, never in the benchmark's own process.
 */
public final class BenchPromotionPlugins implements PluginPackage {
    static final PromotionLimit.Names TABLES = new PromotionLimit.Names("tmy_appliedpromotion", "tmy_promotionid",
            "tmy_promotion", "tmy_promotion", "tmy_limit", "tmy_appliedtotal", "tmy_updatestatus");

    @Override
    public void register(Registration registration) {
        registration.step(new PromotionLimit(TABLES).step());
    }
}
