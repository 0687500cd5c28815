package dev.dvemu.compat;

import dev.dvemu.testkit.Dvemu;

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

/** What the generator projects under compat/ share: the metadata they read and their npm packages. */
final class Projects {
    private Projects() {
    }

    /** Writes the running dvemu's {@code $metadata} to {@code <project>/build/metadata.xml}. */
    static Path writeMetadata(Dvemu dvemu, Path project) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dvemu.webApiUrl() + "$metadata"))
                .header("Authorization", "Bearer compat").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Path build = Files.createDirectories(project.resolve("build"));
        return Files.writeString(build.resolve("metadata.xml"), r.body());
    }

    /** {@code npm ci} only when package-lock.json changed since the last one: node_modules is kept between runs. */
    static void npmInstallOnce(Path project) throws IOException, NoSuchAlgorithmException {
        String lock = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(project.resolve("package-lock.json"))));
        Path marker = project.resolve("node_modules/.dvemu-installed");
        if (Files.exists(marker) && Files.readString(marker).equals(lock)) {
            return;
        }
        Tool.run(project, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        Files.writeString(marker, lock);
    }
}
