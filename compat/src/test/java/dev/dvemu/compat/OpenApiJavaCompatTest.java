package dev.dvemu.compat;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java client generated from dvemu's {@code $metadata}: OASIS's odata-openapi (npm) turns the CSDL into OpenAPI 3,
 * openapi-generator's Maven plugin writes a Java client from that in the Maven project {@code openapi-java/}, which
 * compiles it with a program ({@code openapi-java/src/main/java/.../Crud.java}) that calls WhoAmI and creates, reads,
 * queries, updates (also with a stale ETag: 412) and deletes an account through it against this dvemu.
 *
 * <p>Apache Olingo's own generator (pojogen) is not used: on Dataverse's CSDL it fails, the same on dvemu's as on a
 * real org's (see compat/README.md). Needs node, npm and network access for the Maven project's first build.
 */
@DvemuTest
class OpenApiJavaCompatTest {
    static Dvemu dvemu;
    private static final Path PROJECT = Path.of("openapi-java").toAbsolutePath();
    private static final Path MAVEN_WRAPPER = Path.of("..", "mvnw").toAbsolutePath().normalize();

    @Test
    void aJavaClientGeneratedFromTheMetadataCompilesAndDoesCrud() throws Exception {
        Projects.npmInstallOnce(PROJECT);
        Projects.writeMetadata(dvemu, PROJECT);

        Tool.run(PROJECT, Map.of(), "node_modules/.bin/odata-openapi3", "--basePath", "/api/data/v9.2",
                "--skipBatchPath", "-t", "build/openapi.json", "build/metadata.xml");
        Tool.run(PROJECT, Map.of(), maven("clean", "package"));
        assertTrue(Files.isDirectory(PROJECT.resolve("target/generated-sources/openapi/src/main/java/dev/dvemu/compat/openapi/client/api")),
                "openapi-generator wrote the client");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = PROJECT.resolve("target/classes") + File.pathSeparator + PROJECT.resolve("target/dependency/*");
        String out = Tool.run(PROJECT, Map.of("DVEMU_URL", dvemu.webApiUrl().toString()),
                java, "-cp", classpath, "dev.dvemu.compat.openapi.Crud");
        assertTrue(out.contains("openapi-java CRUD ok"), out);
    }

    /** The project's build with this build's wrapper and local repository. */
    private static String[] maven(String... goals) {
        List<String> command = new ArrayList<>(List.of(MAVEN_WRAPPER.toString(), "-B", "-q"));
        String repository = System.getProperty("dvemu.maven.repository", "");
        if (!repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.addAll(List.of(goals));
        return command.toArray(String[]::new);
    }
}
