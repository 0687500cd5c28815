package dev.dvemu.compat;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        installOnce();
        Path build = Files.createDirectories(PROJECT.resolve("build"));
        Files.writeString(build.resolve("metadata.xml"), metadata());

        Tool.run(PROJECT, Map.of(), "node_modules/.bin/odata2ts", "-s", "build/metadata.xml", "-o", "build/gen",
                "-m", "service", "-e", "ts");
        assertTrue(Files.exists(build.resolve("gen/MicrosoftDynamicsCrmService.ts")), "odata2ts wrote the service");
        Tool.run(PROJECT, Map.of(), "node_modules/.bin/tsc", "-p", "tsconfig.json");
        String out = Tool.run(PROJECT, Map.of("DVEMU_URL", dvemu.webApiUrl().toString()), "node", "build/js/src/crud.js");
        assertTrue(out.contains("odata2ts CRUD ok"), out);
    }

    private static String metadata() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dvemu.webApiUrl() + "$metadata"))
                .header("Authorization", "Bearer compat").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** {@code npm ci} only when package-lock.json changed since the last one: node_modules is kept between runs. */
    private static void installOnce() throws IOException, NoSuchAlgorithmException {
        String lock = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(PROJECT.resolve("package-lock.json"))));
        Path marker = PROJECT.resolve("node_modules/.dvemu-installed");
        if (Files.exists(marker) && Files.readString(marker).equals(lock)) {
            return;
        }
        Tool.run(PROJECT, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        Files.writeString(marker, lock);
    }
}
