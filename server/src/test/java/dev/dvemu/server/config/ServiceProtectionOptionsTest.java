package dev.dvemu.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --service-protection} and the {@code --sp-*} limits: Dataverse's defaults, and a clear error for bad values. */
class ServiceProtectionOptionsTest {
    private static ServerConfig parse(Map<String, String> env, String... args) {
        return ConfigParser.parse(args, env).config();
    }

    private static String usageError(Map<String, String> env, String... args) {
        return assertThrows(ConfigParser.UsageException.class, () -> parse(env, args)).getMessage();
    }

    @Test
    void offByDefault() {
        assertEquals(Optional.empty(), parse(Map.of()).serviceProtection());
    }

    @Test
    void onWithDataversesDefaults() {
        ServiceProtection sp = parse(Map.of(), "--service-protection").serviceProtection().orElseThrow();
        assertEquals(new ServiceProtection(6000, Duration.ofSeconds(300), Duration.ofSeconds(1200), 52), sp);
    }

    @Test
    void eachLimitCanBeSetByFlagOrEnvironment() {
        ServiceProtection sp = parse(Map.of(), "--service-protection", "--sp-requests", "5", "--sp-window", "2",
                "--sp-execution-time", "3", "--sp-concurrent", "4").serviceProtection().orElseThrow();
        assertEquals(new ServiceProtection(5, Duration.ofSeconds(2), Duration.ofSeconds(3), 4), sp);
        ServiceProtection fromEnv = parse(Map.of("DVEMU_SERVICE_PROTECTION", "true", "DVEMU_SP_REQUESTS", "7",
                "DVEMU_SP_WINDOW", "60")).serviceProtection().orElseThrow();
        assertEquals(new ServiceProtection(7, Duration.ofSeconds(60), Duration.ofSeconds(1200), 52), fromEnv);
    }

    @Test
    void aLimitWithoutTheSwitchIsAnError() {
        assertEquals("--sp-requests needs --service-protection (DVEMU_SERVICE_PROTECTION=true)",
                usageError(Map.of(), "--sp-requests", "5"));
        // a value from the environment is named as the variable it came from
        assertEquals("DVEMU_SP_WINDOW needs --service-protection (DVEMU_SERVICE_PROTECTION=true)",
                usageError(Map.of("DVEMU_SP_WINDOW", "5")));
    }

    @Test
    void aLimitOutOfRangeOrNotANumberIsAnErrorNamingTheOptionOrVariableAndTheRange() {
        assertEquals("--sp-requests must be a whole number from 1 to 100000000, not '0'",
                usageError(Map.of(), "--service-protection", "--sp-requests", "0"));
        assertEquals("--sp-window must be a whole number from 1 to 86400, not '5m'",
                usageError(Map.of(), "--service-protection", "--sp-window", "5m"));
        assertEquals("--sp-execution-time must be a whole number from 1 to 86400, not '-1'",
                usageError(Map.of(), "--service-protection", "--sp-execution-time=-1"));
        assertEquals("DVEMU_SP_CONCURRENT must be a whole number from 1 to 100000, not 'lots'",
                usageError(Map.of("DVEMU_SERVICE_PROTECTION", "true", "DVEMU_SP_CONCURRENT", "lots")));
        assertEquals("--sp-requests needs a value", usageError(Map.of(), "--service-protection", "--sp-requests"));
    }
}
