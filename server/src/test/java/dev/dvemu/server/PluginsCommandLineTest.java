package dev.dvemu.server;

import dev.dvemu.server.plugins.PluginRegistrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --plugins}: what the command says when the plug-ins it names cannot be used. */
class PluginsCommandLineTest {
    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPluginsDirectoryWithoutAPackageStopsTheStartNamingTheServiceFile(@TempDir Path dir) throws Exception {
        PluginRegistrationTest.serviceJar(dir.resolve("empty.jar"), null);
        Run r = run("serve", "--ephemeral", "--port", "0", "--plugins", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("dvemu: --plugins: no plug-in package in the jars of " + dir), r.err());
        assertTrue(r.err().contains("META-INF/services/dev.dvemu.plugin.PluginPackage"), r.err());
    }

    @Test
    void aPluginsDirectoryThatDoesNotExistIsAUsageError(@TempDir Path dir) {
        Run r = run("serve", "--ephemeral", "--plugins", dir.resolve("missing").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--plugins: " + dir.resolve("missing") + " is not a directory"), r.err());
    }
}
