package dev.dvemu.server.http;

import dev.dvemu.server.config.ServiceProtection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window arithmetic of {@link ServiceProtectionLimiter} on a clock the test moves (the HTTP behaviour is in
 * {@link ServiceProtectionTest}): when a refused user is let in again, how {@code Retry-After} is rounded, and that
 * idle users are forgotten.
 */
class ServiceProtectionLimiterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private ServiceProtectionLimiter limiter(int requests, int windowSeconds, int executionSeconds, int concurrent) {
        return new ServiceProtectionLimiter(new ServiceProtection(requests, Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(executionSeconds), concurrent), now::get);
    }

    private void advanceMillis(long millis) {
        now.addAndGet(millis * MS);
    }

    @Test
    void retryAfterIsTheWaitUntilTheOldestRequestLeavesTheWindowRoundedUp() {
        ServiceProtectionLimiter l = limiter(2, 10, 1000, 100);
        ((ServiceProtectionLimiter.Admitted) l.admit("u")).end();
        advanceMillis(4_200);
        ((ServiceProtectionLimiter.Admitted) l.admit("u")).end();
        advanceMillis(100);
        ServiceProtectionLimiter.Refused refused = assertInstanceOf(ServiceProtectionLimiter.Refused.class, l.admit("u"));
        assertEquals(6, refused.retryAfterSeconds(), "the first request leaves in 5.7 s");
        assertEquals("0x80072322", refused.error().code());
        advanceMillis(5_699);
        assertInstanceOf(ServiceProtectionLimiter.Refused.class, l.admit("u"), "1 ms before the first leaves");
        advanceMillis(1);
        assertInstanceOf(ServiceProtectionLimiter.Admitted.class, l.admit("u"), "the moment it leaves");
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        assertEquals(1, ServiceProtectionLimiter.retryAfterSeconds(0));
        assertEquals(1, ServiceProtectionLimiter.retryAfterSeconds(1));
        assertEquals(1, ServiceProtectionLimiter.retryAfterSeconds(1_000 * MS));
        assertEquals(2, ServiceProtectionLimiter.retryAfterSeconds(1_000 * MS + 1));
    }

    @Test
    void executionTimeIsLetInOnceEnoughOfTheOldestTimeHasLeftTheWindow() {
        ServiceProtectionLimiter l = limiter(1000, 10, 2, 100);
        ServiceProtectionLimiter.Admitted first = (ServiceProtectionLimiter.Admitted) l.admit("u");
        advanceMillis(1_500);
        first.end(); // 1.5 s, ended at t=1.5
        ServiceProtectionLimiter.Admitted second = (ServiceProtectionLimiter.Admitted) l.admit("u");
        advanceMillis(1_000);
        second.end(); // 1 s, ended at t=2.5: 2.5 s in the window
        advanceMillis(500); // t=3
        ServiceProtectionLimiter.Refused refused = assertInstanceOf(ServiceProtectionLimiter.Refused.class, l.admit("u"));
        assertEquals("0x80072321", refused.error().code());
        assertTrue(refused.error().getMessage().startsWith(
                "Combined execution time of incoming requests exceeded limit of 2,000 milliseconds over time window of 10 seconds."),
                refused.error().getMessage());
        assertEquals(9, refused.retryAfterSeconds(), "the first leaves at t=11.5, leaving 1 s: 8.5 s from t=3, rounded up");
        advanceMillis(8_499);
        assertInstanceOf(ServiceProtectionLimiter.Refused.class, l.admit("u"));
        advanceMillis(1);
        assertInstanceOf(ServiceProtectionLimiter.Admitted.class, l.admit("u"));
    }

    @Test
    void concurrencyIsCountedUntilEachRequestEnds() {
        ServiceProtectionLimiter l = limiter(1000, 10, 1000, 2);
        ServiceProtectionLimiter.Admitted a = (ServiceProtectionLimiter.Admitted) l.admit("u");
        ServiceProtectionLimiter.Admitted b = (ServiceProtectionLimiter.Admitted) l.admit("u");
        ServiceProtectionLimiter.Refused refused = assertInstanceOf(ServiceProtectionLimiter.Refused.class, l.admit("u"));
        assertEquals("0x80072326", refused.error().code());
        assertEquals("Number of concurrent requests exceeded the limit of 2.", refused.error().getMessage());
        assertEquals(1, refused.retryAfterSeconds());
        assertInstanceOf(ServiceProtectionLimiter.Admitted.class, l.admit("v"), "another user");
        a.end();
        assertInstanceOf(ServiceProtectionLimiter.Admitted.class, l.admit("u"));
        b.end();
    }

    @Test
    void usersIdleForAWindowAreForgottenButNotWhileARequestRuns() {
        ServiceProtectionLimiter l = limiter(5, 10, 1000, 10);
        for (int i = 0; i < 1000; i++) {
            ((ServiceProtectionLimiter.Admitted) l.admit("user-" + i)).end();
        }
        ServiceProtectionLimiter.Admitted running = (ServiceProtectionLimiter.Admitted) l.admit("long-runner");
        assertEquals(1001, l.users());
        advanceMillis(10_001);
        ((ServiceProtectionLimiter.Admitted) l.admit("newcomer")).end();
        assertEquals(2, l.users(), "only the user with a request in flight and the newcomer are kept");
        running.end();
        advanceMillis(10_001);
        l.admit("newcomer-2");
        assertEquals(1, l.users());
    }

    @Test
    void aForgottenUserStartsAFreshWindow() {
        ServiceProtectionLimiter l = limiter(1, 10, 1000, 10);
        ((ServiceProtectionLimiter.Admitted) l.admit("u")).end();
        assertNotEquals(ServiceProtectionLimiter.Admitted.class, l.admit("u").getClass());
        advanceMillis(10_000);
        assertInstanceOf(ServiceProtectionLimiter.Admitted.class, l.admit("u"));
    }
}
