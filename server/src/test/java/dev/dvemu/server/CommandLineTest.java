package dev.dvemu.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as tools run it: {@code dvemu serve} in a process of its own, its output to a pipe or a file, its URL
 * from {@code --port-file} or the {@code DVEMU_URL=} line. Timeouts only keep a broken test from hanging.
 */
class CommandLineTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process start(ProcessBuilder.Redirect out, ProcessBuilder.Redirect err, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", mainClassPath(), "dev.dvemu.server.Main", "--ephemeral", "--port", "0"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        started.add(p);
        return p;
    }

    /**
     * This JVM's class path less the test classes, whose logging settings (the access log off) would stand in for
     * the shipped ones.
     */
    static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    }

    /** Polls for the port file as a tool would; its content is the Web API URL and a newline. */
    private static URI awaitPortFile(Path file, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(file)) {
            assertTrue(p.isAlive(), "the server exited with " + (p.isAlive() ? "" : p.exitValue()));
            assertTrue(System.nanoTime() < deadline, "no port file within 120 s");
            Thread.sleep(20);
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(content.matches("http://127\\.0\\.0\\.1:\\d+/api/data/v9\\.2/\n"), content);
        return URI.create(content.trim());
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer t").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as a tool stops it; the server writes out its log before it exits. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void serverWhoseOutputIsNeverReadServesTenThousandRequests() throws Exception {
        Path portFile = dir.resolve("url");
        // standard output and error are pipes, and nothing reads them while the requests run
        Process p = start(ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE, "--port-file", portFile.toString());
        URI base = awaitPortFile(portFile, p);
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 2_500; i++) {
                        if (get(base).statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10_000, ok.get());
        assertTrue(p.isAlive());
        // now read: what did not fit was dropped, and the count is written once the output is taken again
        CompletableFuture<String> dropped = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.contains("log lines dropped")) {
                        return line;
                    }
                }
                return "";
            } catch (IOException e) {
                return e.toString();
            }
        });
        String line = dropped.get(60, TimeUnit.SECONDS);
        assertTrue(line.matches(".*WARN log - \\d+ log lines dropped: .*"), line);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void portFileAndMachineReadableLineGiveTheUrl() throws Exception {
        Path portFile = dir.resolve("not-yet/there/url.txt");
        Path out = dir.resolve("stdout");
        Process p = start(ProcessBuilder.Redirect.to(out.toFile()), ProcessBuilder.Redirect.DISCARD, "--port-file", portFile.toString());
        URI base = awaitPortFile(portFile, p);
        assertEquals(200, get(base.resolve("WhoAmI")).statusCode());
        List<String> urlLines = Files.readAllLines(out).stream().filter(l -> l.startsWith("DVEMU_URL=")).toList();
        assertEquals(List.of("DVEMU_URL=" + base), urlLines);
        assertTrue(Files.readString(out).contains("dvemu serving " + base + " ("), Files.readString(out));
        stop(p);
        assertFalse(Files.exists(portFile), "the port file outlived the server");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void logFileTakesTheRequestLines() throws Exception {
        Path portFile = dir.resolve("url");
        Path log = dir.resolve("logs/dvemu.log");
        Path err = dir.resolve("stderr");
        Process p = start(ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.to(err.toFile()),
                "--port-file", portFile.toString(), "--log-file", log.toString());
        URI base = awaitPortFile(portFile, p);
        String path = "/nothing-" + UUID.randomUUID();
        HttpResponse<String> r = get(base.resolve(path));
        assertEquals(404, r.statusCode());
        stop(p);
        String logged = Files.readString(log);
        assertTrue(logged.lines().anyMatch(l -> l.matches(".*INFO access - GET " + path + " 404 \\d+ms "
                + r.headers().firstValue("REQ_ID").orElseThrow())), logged);
        assertFalse(Files.readString(err).contains(path), Files.readString(err));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void quietLogsNoRequestLines() throws Exception {
        Path portFile = dir.resolve("url");
        Path err = dir.resolve("stderr");
        Process p = start(ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.to(err.toFile()),
                "--port-file", portFile.toString(), "--quiet");
        URI base = awaitPortFile(portFile, p);
        String path = "/nothing-" + UUID.randomUUID();
        assertEquals(404, get(base.resolve(path)).statusCode());
        assertEquals(200, get(base.resolve("WhoAmI")).statusCode());
        // answered before the servlets (a Host not allowed): not logged either
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + "-host HTTP/1.1\r\nHost: elsewhere.example\r\nAuthorization: Bearer t\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 400 Bad Request", status);
        }
        stop(p);
        String logged = Files.readString(err);
        assertFalse(logged.contains("INFO access"), logged);
        assertFalse(logged.contains(path), logged);
    }
}
