package dev.dvemu.testkit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code serviceProtection} maps to {@code --service-protection --sp-*}: past the limit, Dataverse's 429. */
@DvemuTest(serviceProtection = true, spRequests = 3, spWindowSeconds = 300, reset = Reset.NEVER)
class ServiceProtectionOptionTest {

    @Test
    void answers429PastTheRequestLimit(Dvemu dvemu) {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.get(dvemu, "new_stocks").status());
        }
        Http.Answer throttled = Http.get(dvemu, "new_stocks");
        assertEquals(429, throttled.status());
        assertEquals("0x80072322", throttled.json().path("error").path("code").asText());
        assertEquals("Number of requests exceeded the limit of 3 over time window of 300 seconds.",
                throttled.json().path("error").path("message").asText());
    }
}
