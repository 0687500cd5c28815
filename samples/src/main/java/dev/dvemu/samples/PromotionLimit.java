package dev.dvemu.samples;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.OrganizationService;
import dev.dvemu.plugin.Plugin;
import dev.dvemu.plugin.PluginContext;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Keeps the applied promotions of a promotion within its limit, however many are created at once: a PreOperation
 * step on Create of the applied promotion that adds its amount to the promotion's applied total, or refuses the
 * create when the total would pass the limit.
 *
 * <p>The pre-lock: before reading the promotion, the step writes a column that exists only for this (a "blind"
 * update). The write takes the promotion row's lock, held until the create's transaction ends, so concurrent creates
 * against one promotion queue at that update, and each reads the total the one before it committed. Without it, two
 * creates could read the same total and both pass the check. Reading with a version check
 * ({@code IF_ROW_VERSION_MATCHES}) instead would also be safe, but answers the losers with conflicts they must retry.
 *
 * <pre>{@code
 * registration.step(new PromotionLimit().step());                        // the sample's new_* tables
 * registration.step(new PromotionLimit(new PromotionLimit.Names(...)).step()); // tables of your own
 * }</pre>
 */
public final class PromotionLimit implements Plugin {
    /** The tables and columns the step works with; {@link #SAMPLE} are this sample's. */
    public record Names(String appliedTable, String promotionLookup, String amount,
                        String promotionTable, String limit, String appliedTotal, String lock) {
        public Names {
            Objects.requireNonNull(appliedTable, "appliedTable");
            Objects.requireNonNull(promotionLookup, "promotionLookup");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(promotionTable, "promotionTable");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(appliedTotal, "appliedTotal");
            Objects.requireNonNull(lock, "lock");
        }
    }

    /** The sample's tables: {@code new_appliedpromotion} (amount, lookup) and {@code new_promotion}. */
    public static final Names SAMPLE = new Names("new_appliedpromotion", "new_promotionid", "new_amount",
            "new_promotion", "new_limit", "new_appliedtotal", "new_lockedby");

    private final Names names;

    public PromotionLimit() {
        this(SAMPLE);
    }

    public PromotionLimit(Names names) {
        this.names = Objects.requireNonNull(names, "names");
    }

    /** The step to register: PreOperation of Create, so it runs in the create's transaction. */
    public Step step() {
        return Step.on(Message.CREATE, names.appliedTable())
                .stage(Stage.PRE_OPERATION)
                .name("promotion limit: Create of " + names.appliedTable())
                .plugin(this);
    }

    @Override
    public void execute(PluginContext context) {
        Entity target = context.target();
        EntityReference promotionRef = target.get(names.promotionLookup(), EntityReference.class)
                .orElseThrow(() -> new InvalidPluginExecutionException("An applied promotion needs a promotion."));
        BigDecimal amount = decimal(target.get(names.amount()));
        OrganizationService service = context.service();

        // the pre-lock: from here to the commit, other creates for this promotion wait at this same update
        service.update(new Entity(names.promotionTable(), promotionRef.id())
                .set(names.lock(), context.correlationId().toString()));

        Entity promotion = service.retrieve(names.promotionTable(), promotionRef.id(), names.limit(), names.appliedTotal());
        BigDecimal limit = decimal(promotion.get(names.limit()));
        BigDecimal applied = decimal(promotion.get(names.appliedTotal()));
        BigDecimal total = applied.add(amount);
        if (total.compareTo(limit) > 0) {
            context.trace("applied %s + %s > limit %s", applied, amount, limit);
            throw new InvalidPluginExecutionException("The promotion's limit of " + plain(limit) + " would be exceeded: "
                    + plain(applied) + " is applied and " + plain(amount) + " more was asked for.");
        }
        service.update(new Entity(names.promotionTable(), promotionRef.id()).set(names.appliedTotal(), total));
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
