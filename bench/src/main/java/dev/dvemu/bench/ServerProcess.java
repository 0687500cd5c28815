package dev.dvemu.bench;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dvemu as users run it: {@code java -jar dvemu-server.jar ...} in its own process, so its start-up time and memory
 * are its own. The port is read from the start-up line.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("dvemu serving (http://\\S+/api/data/v9\\.2/)");

    private final Process process;
    private final URI baseUri;
    private final long startedMillis;

    private ServerProcess(Process process, URI baseUri, long startedMillis) {
        this.process = process;
        this.baseUri = baseUri;
        this.startedMillis = startedMillis;
    }

    /** Starts the server and returns once {@code /health} answers 200; {@link #startMillis()} is that wait. */
    static ServerProcess start(Path jar, List<String> jvmArgs, List<String> args, Path log) throws IOException, InterruptedException {
        return start(jar, jvmArgs, args, log, Duration.ofSeconds(120));
    }

    /** As above, waiting up to {@code deadline} for the start-up line (a first start that migrates an org takes minutes). */
    static ServerProcess start(Path jar, List<String> jvmArgs, List<String> args, Path log, Duration deadline)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar + ": build it with ./mvnw -B -q package -DskipTests");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        // output goes straight to a file, so copying the server's log costs the benchmark process nothing
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI base = null;
        long until = System.nanoTime() + deadline.toNanos();
        while (base == null) {
            if (Files.exists(log)) {
                Matcher m = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    base = URI.create(m.group(1));
                    break;
                }
            }
            if (!p.isAlive() || System.nanoTime() > until) {
                p.destroyForcibly();
                throw new IllegalStateException("the server did not start; see " + log);
            }
            Thread.sleep(5);
        }
        URI health = base.resolve("/health");
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            Thread.sleep(10);
        }
        return new ServerProcess(p, base, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    URI baseUri() {
        return baseUri;
    }

    /** From process start to the first 200 on /health. */
    long startMillis() {
        return startedMillis;
    }

    /** Resident memory of the server process (Linux /proc), or -1 where unknown. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU seconds the server process has used so far (user + system, Linux /proc; clock ticks of 1/100 s), or NaN:
     * on a machine shared with other work, a figure that wall-clock time is not.
     */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
