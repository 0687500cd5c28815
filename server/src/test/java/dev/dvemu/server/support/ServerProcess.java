package dev.dvemu.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as users run it, in a JVM of its own ({@code dev.dvemu.server.Main} on this JVM's class path), for
 * tests that kill it or its PostgreSQL. Its output is read on a thread of its own (so the pipe never fills) and
 * kept for failure messages.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("dvemu serving (http://\\S+/api/data/v9\\.2/)");
    /** Only to keep a broken test from hanging; never a measure of anything. */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<URI> serving = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code dvemu serve --port 0 --data-dir <dataDir>} and returns once it prints that it serves. */
    public static ServerProcess start(Path dataDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived server on a small shared machine: quick to start, light on CPU
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.dvemu.server.Main",
                "--port", "0", "--data-dir", dataDir.toString()));
        ServerProcess p = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        p.awaitServing();
        return p;
    }

    /**
     * Starts any command that runs the server (e.g. {@code java -jar dvemu-server.jar} with an environment of its own)
     * and returns once it prints that it serves.
     */
    public static ServerProcess start(ProcessBuilder command) throws IOException {
        ServerProcess p = new ServerProcess(command.redirectErrorStream(true).start());
        p.awaitServing();
        return p;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    serving.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        serving.completeExceptionally(new IllegalStateException("the server exited without serving:\n" + output));
    }

    private void awaitServing() {
        try {
            serving.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage());
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError("the server did not start within " + PATIENCE + ":\n" + output);
        }
    }

    public URI baseUri() {
        return serving.join();
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        return output.toString();
    }

    /** The postmaster of a data directory, as {@code postmaster.pid} names it. */
    public static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The server's watchdog of its PostgreSQL (a child process named {@code dvemu-watchdog}), if it has one. */
    public Optional<ProcessHandle> watchdog() {
        return process.children().filter(c -> c.info().commandLine().orElse("").contains("dvemu-watchdog")).findFirst();
    }

    /** {@code kill -9}: the JVM gets no chance to stop anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@code kill} (SIGTERM): a normal stop, through the JVM's shutdown hooks. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop:\n" + output);
        }
    }

    /** Waits for the server to exit by itself; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit:\n" + output);
        }
        return process.exitValue();
    }

    /**
     * Sends a request; {@code path} is resolved against the API root ({@code new_stocks}, {@code /health}, or a
     * whole URL); {@code headers} are name, value, name, value... A failed connection throws.
     */
    public HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer test-token")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** Sends a POSIX signal ({@code KILL}, {@code STOP}, {@code CONT}) to processes, in one go; false if it failed. */
    public static boolean signal(String signal, long... pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (long pid : pids) {
            command.add(Long.toString(pid));
        }
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        return kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
