package dev.dvemu.server.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** server/README.md documents every item of {@link RequestSurface}, so the page cannot fall behind the code. */
class ServerReadmeTest {
    @Test
    void everyItemOfTheRequestSurfaceIsOnTheModulePage() throws IOException {
        String page = Files.readString(Path.of("README.md")).toLowerCase(Locale.ROOT);
        Set<String> missing = new TreeSet<>();
        Stream.of(RequestSurface.SYSTEM_QUERY_OPTIONS, RequestSurface.CUSTOM_QUERY_OPTIONS, RequestSurface.PREFERENCES,
                        RequestSurface.HEADERS)
                .map(Map::keySet).flatMap(Set::stream)
                .filter(name -> !page.contains("`" + name.toLowerCase(Locale.ROOT) + "`"))
                .forEach(missing::add);
        assertTrue(missing.isEmpty(), "server/README.md does not mention " + missing);
    }
}
