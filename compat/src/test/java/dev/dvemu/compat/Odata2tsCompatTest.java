package dev.dvemu.compat;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * odata2ts (npm {@code @odata2ts/odata2ts}) reads dvemu's {@code $metadata}, generates a TypeScript client service,
 * {@code tsc} compiles it with a small program ({@code odata2ts/src/crud.ts}) that calls WhoAmI and creates, reads,
 * queries, updates and deletes a row through it against this dvemu. Needs node and npm: without them the test fails.
 */
@DvemuTest
class Odata2tsCompatTest {
    static Dvemu dvemu;
    private static final Path PROJECT = Path.of("odata2ts").toAbsolutePath();

    @Test
    void aTypeScriptClientGeneratedFromTheMetadataCompilesAndDoesCrud() throws Exception {
        Projects.npmInstallOnce(PROJECT);
        Path build = Projects.writeMetadata(dvemu, PROJECT).getParent();

        Tool.run(PROJECT, Map.of(), "node_modules/.bin/odata2ts", "-s", "build/metadata.xml", "-o", "build/gen",
                "-m", "service", "-e", "ts");
        assertTrue(Files.exists(build.resolve("gen/MicrosoftDynamicsCrmService.ts")), "odata2ts wrote the service");
        Tool.run(PROJECT, Map.of(), "node_modules/.bin/tsc", "-p", "tsconfig.json");
        String out = Tool.run(PROJECT, Map.of("DVEMU_URL", dvemu.webApiUrl().toString()), "node", "build/js/src/crud.js");
        assertTrue(out.contains("odata2ts CRUD ok"), out);
    }
}
