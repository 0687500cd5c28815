package dev.dvemu.testkit;

import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Registration;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test's plug-ins run in the server the testkit starts in its own class loader: the plug-in API is the one
 * class both sides share, so a package named on the annotation, or a lambda, is the server's plug-in.
 */
@DvemuTest(plugins = PluginsTest.StockNames.class)
class PluginsTest {
    /** Refuses stocks named "forbidden", and upper-cases every other name. */
    public static final class StockNames implements PluginPackage {
        @Override
        public void register(Registration registration) {
            registration.step(Step.on(Message.CREATE, "new_stock").stage(Stage.PRE_OPERATION).plugin(c -> {
                String name = c.target().get("new_name", String.class).orElse("");
                if (name.equals("forbidden")) {
                    throw new InvalidPluginExecutionException("That name is taken by policy.");
                }
                c.target().set("new_name", name.toUpperCase(java.util.Locale.ROOT));
            }));
        }
    }

    @Test
    void aPackageNamedOnTheAnnotationRunsInTheServer(Dvemu dvemu) throws Exception {
        Http.Answer refused = Http.createStockAnswer(dvemu, "forbidden");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"0x80040265\"") && refused.body().contains("That name is taken by policy."),
                refused.body());
        Http.createStock(dvemu, "quiet");
        Http.Answer rows = Http.get(dvemu, "new_stocks?$select=new_name&$filter=new_name%20eq%20'QUIET'");
        assertEquals(1, rows.json().path("value").size(), rows.body());
    }

    @Test
    void aLambdaStepSharesTheTestsState() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Step counting = Step.on(Message.CREATE, "new_stock").stage(Stage.POST_OPERATION)
                .plugin(c -> calls.incrementAndGet());
        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().steps(counting).build())) {
            Http.createStock(dvemu, "one");
            Http.createStock(dvemu, "two");
        }
        assertEquals(2, calls.get(), "the step ran in the server, on the test's own objects");
    }
}
