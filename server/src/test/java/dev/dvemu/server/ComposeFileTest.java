package dev.dvemu.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dvemu.server.config.ServerConfig;
import dev.dvemu.server.support.ServerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code docker-compose.yml} and the {@code Dockerfile}, tested without a container engine: the files keep their
 * promises (a named volume, healthchecks, the dvemu service waiting for a healthy PostgreSQL, bound to 0.0.0.0), and
 * the packaged jar, run with exactly the environment the container gets (the Dockerfile's {@code ENV} and the compose
 * file's {@code environment}, nothing of this machine's), serves against a real PostgreSQL set up as the compose
 * file's PostgreSQL service is (its user, password and database; password authentication), and the Dockerfile's
 * HEALTHCHECK command says so. Two things differ from the container, and only these: the PostgreSQL host and port in
 * {@code DVEMU_DB_URL} (the service name {@code postgres} becomes this machine's test PostgreSQL) and
 * {@code DVEMU_PORT}, set to a free port, since 5555 may be taken here. Runs after {@code package}
 * ({@code ./mvnw verify}); alone (an IDE) it is skipped when the jar has not been built.
 */
class ComposeFileTest {
    private static final Pattern DB_URL = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/(.+)");
    private static final String DB_SERVICE = "postgres";
    private static final String DVEMU_SERVICE = "dvemu";

    private static Path project;
    private static JsonNode compose;
    private static Dockerfile dockerfile;

    @BeforeAll
    static void readFiles() throws IOException {
        project = projectDir();
        compose = new YAMLMapper().readTree(project.resolve("docker-compose.yml").toFile());
        dockerfile = Dockerfile.read(project.resolve("Dockerfile"));
    }

    @Test
    void theComposeFileKeepsItsPromises() {
        JsonNode db = service(DB_SERVICE);
        JsonNode dvemu = service(DVEMU_SERVICE);

        assertTrue(db.path("image").asText().startsWith("postgres:"), "the official PostgreSQL image: " + db.path("image"));
        // a named volume (declared at the top level), not a directory of the host, holds the database
        List<String> named = new ArrayList<>();
        for (JsonNode v : db.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && parts[1].equals("/var/lib/postgresql/data")) {
                named.add(parts[0]);
            }
        }
        assertEquals(1, named.size(), "one volume at /var/lib/postgresql/data: " + db.path("volumes"));
        assertTrue(compose.path("volumes").has(named.get(0)), "a named volume: " + named.get(0));
        assertTrue(db.path("healthcheck").path("test").toString().contains("pg_isready"), "PostgreSQL's healthcheck: " + db.path("healthcheck"));

        JsonNode build = dvemu.path("build");
        String context = build.isTextual() ? build.asText() : build.path("context").asText();
        String file = build.path("dockerfile").asText("Dockerfile");
        assertTrue(Files.isRegularFile(project.resolve(context).resolve(file)), "dvemu is built from " + context + "/" + file);
        assertEquals("service_healthy", dvemu.path("depends_on").path(DB_SERVICE).path("condition").asText(),
                "dvemu starts once PostgreSQL is healthy: " + dvemu.path("depends_on"));
        assertFalse(dvemu.has("healthcheck") && dvemu.path("healthcheck").path("disable").asBoolean(false), "the image's HEALTHCHECK applies");

        Map<String, String> env = environment(dvemu);
        assertEquals("0.0.0.0", env.get("DVEMU_BIND"), "inside a container dvemu must listen beyond loopback");
        Matcher url = DB_URL.matcher(env.getOrDefault("DVEMU_DB_URL", ""));
        assertTrue(url.matches(), "DVEMU_DB_URL: " + env.get("DVEMU_DB_URL"));
        assertEquals(DB_SERVICE, url.group(1), "DVEMU_DB_URL names the PostgreSQL service");
        assertTrue(url.group(2) == null || url.group(2).equals("5432"), "the PostgreSQL image's port: " + url.group(0));
        Map<String, String> dbEnv = environment(db);
        String user = dbEnv.getOrDefault("POSTGRES_USER", "postgres");
        assertEquals(user, env.get("DVEMU_DB_USER"));
        assertEquals(dbEnv.get("POSTGRES_PASSWORD"), env.get("DVEMU_DB_PASSWORD"));
        assertNotNull(env.get("DVEMU_DB_PASSWORD"), "the PostgreSQL image needs POSTGRES_PASSWORD");
        assertEquals(dbEnv.getOrDefault("POSTGRES_DB", user), url.group(3).replaceAll("\\?.*", ""));

        // the published port is the one the server listens on in the container, which the image exposes
        String containerPort = env.getOrDefault("DVEMU_PORT", Integer.toString(ServerConfig.DEFAULT_PORT));
        boolean published = false;
        for (JsonNode p : dvemu.path("ports")) {
            String spec = p.isTextual() ? p.asText() : p.path("target").asText();
            published |= spec.replaceAll("/tcp$", "").endsWith(":" + containerPort) || spec.equals(containerPort);
        }
        assertTrue(published, "port " + containerPort + " published: " + dvemu.path("ports"));
        assertTrue(dockerfile.expose.contains(containerPort), "EXPOSE " + dockerfile.expose);

        assertTrue(dockerfile.from.startsWith("eclipse-temurin:17-jre"), "a Java 17 runtime: " + dockerfile.from);
        assertNotNull(dockerfile.user, "the image names a USER");
        assertFalse(dockerfile.user.equals("root") || dockerfile.user.equals("0") || dockerfile.user.startsWith("0:"), "not root: " + dockerfile.user);
        assertNotNull(dockerfile.healthcheck, "the image has a HEALTHCHECK");
        assertTrue(dockerfile.healthcheck.contains("health"), "HEALTHCHECK runs the health command: " + dockerfile.healthcheck);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theJarServesWithTheContainersEnvironmentAndItsHealthcheckSaysSo(@TempDir Path workDir) throws Exception {
        Path jar = Path.of(System.getProperty("dvemu.jar", project.resolve("server/target/dvemu-server.jar").toString()));
        if (Boolean.getBoolean("dvemu.jar.required")) {
            assertTrue(Files.isRegularFile(jar), "the packaged jar must exist after 'package': " + jar);
        } else {
            assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not built (./mvnw -B package -DskipTests)");
        }
        Map<String, String> dbEnv = environment(service(DB_SERVICE));
        String user = dbEnv.getOrDefault("POSTGRES_USER", "postgres");
        String password = dbEnv.get("POSTGRES_PASSWORD");
        String database = dbEnv.getOrDefault("POSTGRES_DB", user);

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String pgMajor;
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                pgMajor = single(s, "SHOW server_version").replaceAll("\\..*", "");
                // what the PostgreSQL image does with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB
                s.execute("CREATE ROLE " + ident(user) + " LOGIN SUPERUSER PASSWORD '" + password.replace("'", "''") + "'");
                s.execute("CREATE DATABASE " + ident(database) + " OWNER " + ident(user));
                // and its password authentication for every connection over TCP (the test's own 'postgres' stays trusted)
                Files.writeString(Path.of(single(s, "SHOW hba_file")), String.join("\n",
                        "local all all trust",
                        "host all postgres 127.0.0.1/32 trust",
                        "host all postgres ::1/128 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        "host all all ::1/128 scram-sha-256", ""));
                s.execute("SELECT pg_reload_conf()");
            }
            assertEquals("postgres:" + pgMajor, service(DB_SERVICE).path("image").asText(),
                    "the compose file's PostgreSQL is the major version the tests run on");
            String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
            awaitPasswordRequired(jdbc, user);

            Map<String, String> env = new LinkedHashMap<>(dockerfile.env);
            env.putAll(environment(service(DVEMU_SERVICE)));
            Matcher url = DB_URL.matcher(env.get("DVEMU_DB_URL"));
            assertTrue(url.matches(), env.get("DVEMU_DB_URL"));
            env.put("DVEMU_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + url.group(3));
            int port = freePort();
            env.put("DVEMU_PORT", Integer.toString(port));

            String copied = dockerfile.jarPath;
            List<String> entrypoint = local(dockerfile.entrypoint, copied, jar);
            try (ServerProcess server = ServerProcess.start(withEnvironment(new ProcessBuilder(entrypoint), env, workDir))) {
                assertEquals("http://0.0.0.0:" + port + "/api/data/v9.2/", server.baseUri().toString(), server.output());
                assertTrue(server.output().contains("(external PostgreSQL)"), server.output());
                String base = "http://127.0.0.1:" + port;

                HttpResponse<String> health = server.get(base + "/health");
                assertEquals(200, health.statusCode(), health.body());

                String name = "compose-" + UUID.randomUUID();
                HttpResponse<String> created = server.send("POST", base + "/api/data/v9.2/new_stocks",
                        "{\"new_name\":\"" + name + "\",\"new_availablecount\":7}",
                        "Content-Type", "application/json", "Prefer", "return=representation");
                assertEquals(201, created.statusCode(), created.body());
                String id = new ObjectMapper().readTree(created.body()).path("new_stockid").asText();
                HttpResponse<String> read = server.get(base + "/api/data/v9.2/new_stocks(" + id + ")?$select=new_name,new_availablecount");
                assertEquals(200, read.statusCode(), read.body());
                JsonNode row = new ObjectMapper().readTree(read.body());
                assertEquals(name, row.path("new_name").asText(), read.body());
                assertEquals(7, row.path("new_availablecount").asInt(), read.body());
                // the row is in the compose file's database, written as its user
                try (Connection c = DriverManager.getConnection(jdbc, user, password);
                     PreparedStatement q = c.prepareStatement("SELECT new_name FROM new_stock WHERE new_stockid = ?::uuid")) {
                    q.setString(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next(), "row " + id + " in database " + database);
                        assertEquals(name, rs.getString(1));
                    }
                }

                List<String> healthcheck = local(dockerfile.healthcheck, copied, jar);
                Run healthy = run(withEnvironment(new ProcessBuilder(healthcheck), env, workDir));
                assertEquals(0, healthy.exit(), healthy.output());
                assertTrue(healthy.output().matches("dvemu health: http://127\\.0\\.0\\.1:" + port + "/health 200 [^\n]*\n"), healthy.output());

                server.stop();
                Run down = run(withEnvironment(new ProcessBuilder(healthcheck), env, workDir));
                assertEquals(1, down.exit(), down.output());
                assertTrue(down.output().matches("dvemu health: [^\n]* unreachable: [^\n]*\n"), down.output());
            }
        }
    }

    // --- the files ---

    private static Path projectDir() {
        String configured = System.getProperty("dvemu.project");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml"))) {
                return p;
            }
        }
        throw new AssertionError("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode service(String name) {
        JsonNode s = compose.path("services").path(name);
        assertTrue(s.isObject(), "docker-compose.yml has a service '" + name + "'");
        return s;
    }

    /** A service's {@code environment}, as a map or as a list of {@code NAME=value}; values are taken as written. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            for (JsonNode item : e) {
                String s = item.asText();
                assertTrue(s.contains("="), "NAME=value, not " + s);
                env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                assertTrue(f.getValue().isTextual() || f.getValue().isNumber(),
                        f.getKey() + ": a string or a number, as compose takes it, not " + f.getValue());
                env.put(f.getKey(), f.getValue().asText());
            }
        }
        // no ${...}: what the file says is what the container gets, whatever the shell that runs compose has
        env.forEach((k, v) -> assertFalse(v.contains("$"), k + " is interpolated by compose: " + v));
        return env;
    }

    /** The final stage of the Dockerfile: what the container runs with. */
    private record Dockerfile(String from, Map<String, String> env, String user, List<String> expose,
                              String jarPath, List<String> entrypoint, List<String> healthcheck) {
        static Dockerfile read(Path file) throws IOException {
            String from = null;
            String user = null;
            String jarPath = null;
            Map<String, String> env = new LinkedHashMap<>();
            List<String> expose = new ArrayList<>();
            List<String> entrypoint = null;
            List<String> healthcheck = null;
            String text = Files.readString(file, StandardCharsets.UTF_8).replaceAll("\\\\\\r?\\n", " ");
            ObjectMapper json = new ObjectMapper();
            for (String line : text.split("\\r?\\n")) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.split("\\s+", 2);
                String rest = words.length > 1 ? words[1].trim() : "";
                switch (words[0].toUpperCase()) {
                    case "FROM" -> {
                        from = rest.split("\\s+")[0];
                        env.clear();
                        expose.clear();
                        user = null;
                        jarPath = null;
                        entrypoint = null;
                        healthcheck = null;
                    }
                    case "ENV" -> {
                        for (String kv : rest.split("\\s+")) {
                            assertTrue(kv.matches("[A-Za-z_][A-Za-z0-9_]*=[^\"'$]*"), "ENV NAME=value (unquoted, no $): " + kv);
                            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                        }
                    }
                    case "USER" -> user = rest;
                    case "EXPOSE" -> {
                        for (String p : rest.split("\\s+")) {
                            expose.add(p.replaceAll("/tcp$", ""));
                        }
                    }
                    case "COPY" -> {
                        if (rest.contains("dvemu-server.jar")) {
                            String[] parts = rest.split("\\s+");
                            jarPath = parts[parts.length - 1];
                        }
                    }
                    case "ENTRYPOINT" -> entrypoint = List.of(json.readValue(rest, String[].class));
                    case "HEALTHCHECK" -> {
                        int cmd = rest.indexOf("CMD [");
                        assertTrue(cmd >= 0, "HEALTHCHECK in exec form (CMD [...]): " + rest);
                        healthcheck = List.of(json.readValue(rest.substring(cmd + 4), String[].class));
                    }
                    default -> {
                        // RUN, WORKDIR... do not change what the container runs with
                    }
                }
            }
            assertNotNull(jarPath, "the Dockerfile copies dvemu-server.jar into the image");
            assertNotNull(entrypoint, "the Dockerfile has an ENTRYPOINT in exec form");
            return new Dockerfile(from, env, user, expose, jarPath, entrypoint, healthcheck);
        }
    }

    /** A command of the image run here: {@code java} is this JVM's, the jar in the image is the one just built. */
    private static List<String> local(List<String> command, String jarInImage, Path jar) {
        assertEquals("java", command.get(0), "run by the image's java: " + command);
        assertEquals(jarInImage, command.get(command.indexOf("-jar") + 1), "runs the copied jar: " + command);
        List<String> local = new ArrayList<>(command);
        local.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        local.set(command.indexOf("-jar") + 1, jar.toString());
        return local;
    }

    /** Exactly {@code env}: nothing of this machine's environment (a developer's DVEMU_* variables) leaks in. */
    private static ProcessBuilder withEnvironment(ProcessBuilder pb, Map<String, String> env, Path workDir) {
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.directory(workDir.toFile());
    }

    private record Run(int exit, String output) {
    }

    private static Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(ServerProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("did not finish: " + pb.command() + "\n" + output);
        }
        return new Run(p.exitValue(), output);
    }

    /** The test's PostgreSQL refuses the compose file's user without its password (pg_hba.conf is reloaded). */
    private static void awaitPasswordRequired(String jdbc, String user) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbc, user, "not-the-password")) {
                if (System.nanoTime() > until) {
                    fail("the test PostgreSQL still lets " + user + " in with a wrong password");
                }
                Thread.sleep(100);
            } catch (SQLException refused) {
                assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc, user, "").close());
                return;
            }
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
