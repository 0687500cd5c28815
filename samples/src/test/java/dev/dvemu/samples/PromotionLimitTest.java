package dev.dvemu.samples;

import dev.dvemu.client.BadRequestException;
import dev.dvemu.client.Changeset;
import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.DataverseException;
import dev.dvemu.client.Filter;
import dev.dvemu.client.Query;
import dev.dvemu.client.RowRef;
import dev.dvemu.client.RowValues;
import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promotion limit plug-in ({@link PromotionLimit}) on the sample's tables, each test from an empty database. */
@DvemuTest(metadata = "src/test/dvemu", plugins = SamplePlugins.class)
class PromotionLimitTest {
    private static final String CUSTOM_LOGIC_FAILED = "0x80040265";

    private DataverseClient client;

    private UUID promotion(String limit) {
        return client.create("new_promotions", RowValues.create().set("new_name", "Spring sale").set("new_limit", new BigDecimal(limit)));
    }

    private static RowValues applied(UUID promotion, BigDecimal amount) {
        return RowValues.create().set("new_name", "applied " + amount).set("new_amount", amount)
                .bind("new_PromotionId", RowRef.of("new_promotions", promotion));
    }

    private BigDecimal appliedTotal(UUID promotion) {
        return client.retrieve(RowRef.of("new_promotions", promotion), "new_appliedtotal").orElseThrow()
                .decimal("new_appliedtotal").orElseThrow();
    }

    private List<BigDecimal> appliedAmounts(UUID promotion) {
        return client.stream(Query.from("new_appliedpromotions").select("new_amount")
                        .filter(Filter.eq("_new_promotionid_value", promotion)))
                .map(r -> r.decimal("new_amount").orElseThrow()).toList();
    }

    private static void assertRefusedByTheLimit(DataverseException e, String limit) {
        assertInstanceOf(BadRequestException.class, e);
        assertEquals(400, e.status());
        assertEquals(CUSTOM_LOGIC_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("The promotion's limit of " + limit + " would be exceeded: "), e.getMessage());
    }

    @Test
    void anAppliedPromotionAddsItsAmountToTheTotal() {
        UUID promotion = promotion("100");

        client.create("new_appliedpromotions", applied(promotion, new BigDecimal("30.50")));
        client.create("new_appliedpromotions", applied(promotion, new BigDecimal("69.50")));

        assertEquals(0, new BigDecimal("100").compareTo(appliedTotal(promotion)));
    }

    @Test
    void anAmountBeyondTheLimitIsRefusedWithThePluginsMessage() {
        UUID promotion = promotion("100");
        client.create("new_appliedpromotions", applied(promotion, new BigDecimal("80")));

        DataverseException e = assertThrows(DataverseException.class,
                () -> client.create("new_appliedpromotions", applied(promotion, new BigDecimal("21"))));

        assertRefusedByTheLimit(e, "100");
        assertEquals("The promotion's limit of 100 would be exceeded: 80 is applied and 21 more was asked for.", e.getMessage());
        assertEquals(0, new BigDecimal("80").compareTo(appliedTotal(promotion)), "the refused create changed nothing");
        assertEquals(1, appliedAmounts(promotion).size());
    }

    @Test
    void anAppliedPromotionWithoutAPromotionIsRefused() {
        DataverseException e = assertThrows(DataverseException.class, () -> client.create("new_appliedpromotions",
                RowValues.create().set("new_name", "nowhere").set("new_amount", BigDecimal.ONE)));

        assertEquals(400, e.status());
        assertEquals(CUSTOM_LOGIC_FAILED, e.code());
        assertEquals("An applied promotion needs a promotion.", e.getMessage());
    }

    /** One create's end: applied, or the failure it got. */
    private record Outcome(BigDecimal amount, Optional<DataverseException> failure) {
    }

    @Test
    void fiftyConcurrentCreatesNeverPassTheLimit() throws Exception {
        String limit = "500";
        UUID promotion = promotion(limit);
        Random random = new Random(20240501); // the seed's amounts, 1 to 49, fixed so every run asks for the same
        List<BigDecimal> amounts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            amounts.add(BigDecimal.valueOf(random.nextInt(49) + 1));
        }
        BigDecimal asked = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertTrue(asked.compareTo(new BigDecimal(limit)) > 0, "the creates ask for more than the limit: " + asked);

        ExecutorService pool = Executors.newFixedThreadPool(amounts.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Outcome> outcomes = new ArrayList<>();
        long elapsedMs;
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (BigDecimal amount : amounts) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        client.create("new_appliedpromotions", applied(promotion, amount));
                        return new Outcome(amount, Optional.empty());
                    } catch (DataverseException e) {
                        return new Outcome(amount, Optional.of(e));
                    }
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            elapsedMs = (System.nanoTime() - start) / 1_000_000;
        } finally {
            pool.shutdownNow();
        }

        List<BigDecimal> appliedAmounts = new ArrayList<>();
        List<BigDecimal> refusedAmounts = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.failure().isPresent()) {
                assertRefusedByTheLimit(o.failure().get(), limit); // refused by the plug-in, and nothing else
                refusedAmounts.add(o.amount());
            } else {
                appliedAmounts.add(o.amount());
            }
        }
        BigDecimal total = appliedTotal(promotion);
        BigDecimal sumApplied = appliedAmounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        System.out.printf("promotion limit: %d concurrent creates finished in %.2f s: %d applied (%s), %d refused%n",
                amounts.size(), elapsedMs / 1000.0, appliedAmounts.size(), total.stripTrailingZeros().toPlainString(), refusedAmounts.size());

        assertTrue(total.compareTo(new BigDecimal(limit)) <= 0, "the limit holds: " + total);
        assertEquals(0, sumApplied.compareTo(total), "the total is the sum of the applied creates: " + sumApplied + " vs " + total);
        List<BigDecimal> stored = appliedAmounts(promotion);
        assertEquals(appliedAmounts.size(), stored.size(), "a row for each applied create, none for a refused one");
        assertEquals(0, stored.stream().reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(total));
        assertFalse(refusedAmounts.isEmpty(), "more was asked for than the limit allows");
        // no create was refused that would have fitted: each was refused against a total at most the final one
        BigDecimal smallestRefused = refusedAmounts.stream().min(BigDecimal::compareTo).orElseThrow();
        assertTrue(total.add(smallestRefused).compareTo(new BigDecimal(limit)) > 0,
                "refused " + smallestRefused + " although the total is only " + total);
    }

    @Test
    void aChangesetThatFailsAfterTheCreateLeavesTheTotalAsItWas() {
        UUID promotion = promotion("100");
        client.create("new_appliedpromotions", applied(promotion, new BigDecimal("10")));

        // the create (and its plug-in's update of the total) succeed; the changeset's next operation does not
        DataverseException e = assertThrows(DataverseException.class, () -> client.execute(Changeset.create()
                .create("new_appliedpromotions", applied(promotion, new BigDecimal("25")))
                .update(RowRef.of("new_promotions", UUID.randomUUID()), RowValues.create().set("new_name", "gone"))));

        assertEquals(404, e.status());
        assertEquals(1, e.operationIndex().orElseThrow());
        assertEquals(0, new BigDecimal("10").compareTo(appliedTotal(promotion)), "rolled back with the changeset");
        List<BigDecimal> stored = appliedAmounts(promotion);
        assertEquals(1, stored.size(), "the changeset's applied promotion is gone too");
        assertEquals(0, new BigDecimal("10").compareTo(stored.get(0)));
    }
}
