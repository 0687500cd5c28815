package dev.dvemu.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTest {
    @Test
    void aWindowShorterThanOneCallStillCountsACall() throws Exception {
        // calls of 300 ms in a 50 ms window, as a smoke run on a loaded machine sees them
        Load.Result r = Load.run(1, Duration.ZERO, Duration.ofMillis(50), i -> () -> {
            Thread.sleep(300);
            return Load.Outcome.OK;
        });
        assertTrue(r.calls() >= 1 && r.successes() >= 1, "calls " + r.calls());
        assertTrue(r.seconds() >= 0.05, "the window lasted until the call was counted: " + r.seconds());
    }
}
