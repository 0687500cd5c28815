package dev.dvemu.testkit;

import dev.dvemu.testkit.parallel.WriterA;
import dev.dvemu.testkit.parallel.WriterB;
import dev.dvemu.testkit.parallel.WriterC;
import dev.dvemu.testkit.parallel.Writers;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Three classes with the same configuration run at the same time (JUnit parallel execution): each writes rows and
 * counts all rows of the table, and would count the others' rows if they shared a server or a database.
 */
class ParallelIsolationTest {

    @Test
    void concurrentClassesNeverShareDataAndLaterClassesReuseTheInstances() {
        Writers.ports.clear();
        Writers.barrier = new CyclicBarrier(3);
        try {
            run(true);
        } finally {
            Writers.barrier = null;
        }
        Map<String, Integer> parallel = Map.copyOf(Writers.ports);
        assertEquals(3, new HashSet<>(parallel.values()).size(), "three concurrent classes, three servers: " + parallel);

        // run one after another: each class gets one of the idle instances again (reset when it starts)
        Writers.ports.clear();
        run(false);
        Set<Integer> again = new HashSet<>(Writers.ports.values());
        assertTrue(new HashSet<>(parallel.values()).containsAll(again), "instances are reused: " + parallel + " then " + Writers.ports);
    }

    private static void run(boolean parallel) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(WriterA.class), selectClass(WriterB.class), selectClass(WriterC.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel))
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "3")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 20);
        assertEquals(0, summary.getTotalFailureCount(), failures.toString());
        assertEquals(3, summary.getTestsSucceededCount(), failures.toString());
    }
}
