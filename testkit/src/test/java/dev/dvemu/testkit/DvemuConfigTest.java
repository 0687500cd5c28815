package dev.dvemu.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DvemuConfigTest {

    @Test
    void defaultsAreQuietOnARandomPort() {
        assertEquals(List.of("--port", "0", "--quiet"), DvemuConfig.defaults().serverArgs());
    }

    @Test
    void mapsEveryOptionToServerFlags() {
        Path dir = Path.of("src/test/dvemu").toAbsolutePath().normalize();
        assertEquals(List.of("--port", "0", "--metadata", "builtin," + dir, "--service-protection", "--sp-requests", "10",
                        "--sp-window", "60", "--sp-concurrent", "3", "--journal-size", "5"),
                DvemuConfig.builder().metadata(Path.of("src/test/dvemu")).serviceProtection(10, Duration.ofSeconds(60), null, 3)
                        .logToStderr().args("--journal-size", "5").build().serverArgs());
        assertEquals(List.of("--port", "0", "--log-file", Path.of("x.log").toAbsolutePath().toString(), "--metadata", dir.toString()),
                DvemuConfig.builder().metadata(dir).tables(Tables.REPLACE).logTo(Path.of("x.log")).build().serverArgs());
    }

    @Test
    void equalConfigurationsAreEqual() {
        assertEquals(DvemuConfig.builder().seed(Path.of("a.json")).build(), DvemuConfig.builder().seed(Path.of("a.json")).build());
        assertNotEquals(DvemuConfig.builder().seed(Path.of("a.json")).build(), DvemuConfig.defaults());
    }

    @Test
    void refusesContradictions() {
        assertThrows(IllegalArgumentException.class, () -> DvemuConfig.builder().seed(Path.of("a")).snapshot("b").build());
        assertThrows(IllegalArgumentException.class, () -> DvemuConfig.builder().seed(Path.of("a")).seedJson("{}").build());
    }

    @Test
    void neverShowsThePassword() {
        String s = DvemuConfig.builder().database("jdbc:postgresql://h/db", "u", "secret").build().toString();
        assertTrue(s.contains("jdbc:postgresql://h/db") && !s.contains("secret"), s);
    }

    @Test
    void theAnnotationMapsToTheSameConfiguration() {
        @DvemuTest(metadata = "src/test/dvemu", seed = "src/test/dvemu/seed.json", serviceProtection = true, spRequests = 7)
        class Annotated {
        }
        assertEquals(DvemuConfig.builder().metadata(Path.of("src/test/dvemu")).seed(Path.of("src/test/dvemu/seed.json"))
                        .serviceProtection(7, null, null, 0).build(),
                DvemuExtension.config(Annotated.class.getAnnotation(DvemuTest.class)));
    }
}
