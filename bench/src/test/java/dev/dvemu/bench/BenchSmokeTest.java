package dev.dvemu.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scenario of the benchmark, run for a moment with two clients, so the benchmark cannot rot. Correctness is
 * checked (no oversell, the promotion limit holds, no errors); the figures are not — they mean nothing at this size.
 */
class BenchSmokeTest {
    @Test
    @Timeout(300)
    void everyScenarioRunsAndStaysCorrect() throws Exception {
        Path jar = Path.of("../server/target/dvemu-server.jar");
        assertTrue(Files.isRegularFile(jar), "the server jar is built before the benchmark module (reactor order)");
        BenchMain.Settings settings = new BenchMain.Settings(List.of(2), Duration.ofMillis(200), Duration.ofMillis(500), jar,
                Files.createTempFile("bench", ".json"), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 50, List.of(), Duration.ofMillis(600), false, 1, 20);
        Report report = BenchMain.run(settings);
        List<Report.Line> lines = report.lines();
        for (String scenario : List.of("1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "8 ", "9 ")) {
            assertTrue(lines.stream().anyMatch(l -> l.scenario().startsWith(scenario)), "scenario " + scenario + "ran");
        }
        java.util.regex.Pattern errors = java.util.regex.Pattern.compile("errors (\\d+)(?:/(\\d+))?");
        for (Report.Line l : lines) {
            if (l.scenario().startsWith("9")) {
                assertTrue(l.note().contains("the first GET of a table: 200 "), "the generated org's tables are served: " + l);
            } else if (l.scenario().startsWith("7")) {
                assertTrue(l.dvemu() > 0, "a state operation was timed: " + l);
            } else if (!l.scenario().startsWith("4") && !l.scenario().startsWith("5")) {
                assertTrue(l.dvemu() > 0 && l.baseline() > 0, "both sides measured something: " + l);
                java.util.regex.Matcher m = errors.matcher(l.note());
                assertTrue(m.find(), l.note());
                assertEquals("0", m.group(1), "no dvemu request failed unexpectedly: " + l);
                if (l.scenario().startsWith("8")) {
                    assertTrue(l.note().contains("dvemu ok, baseline ok"), "the expanded page was checked and right: " + l);
                    assertEquals("0", m.group(2), "no baseline read failed: " + l);
                }
            }
        }
        assertEquals(0L, report.facts().get("scenario 3 oversell (available + booked short of the start, or slots != booked)"));
        for (String variant : List.of("4 promotion limit", "4 promotion limit (server-side plug-in)")) {
            Report.Line promo = lines.stream().filter(l -> l.scenario().equals(variant)).findFirst().orElseThrow();
            assertTrue(promo.note().contains("client errors 0") && promo.note().contains("never exceeded"), promo.note());
        }
        report.writeJson(settings.out(), BenchMain.machine());
        assertTrue(Files.size(settings.out()) > 0);
        assertTrue(report.markdown().startsWith("| scenario |"));
    }
}
