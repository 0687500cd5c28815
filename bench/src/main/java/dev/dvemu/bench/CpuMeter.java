package dev.dvemu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by the server process, by all PostgreSQL processes and by this (client) process, read from
 * Linux's /proc, so a figure can say where the machine's two cores went. Elsewhere it reports nothing.
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** CPU seconds so far: dvemu server, PostgreSQL (all backends), this benchmark process. */
    record Sample(double server, double postgres, double client) {
        Sample minus(Sample o) {
            return new Sample(server - o.server, postgres - o.postgres, client - o.client);
        }
    }

    private final long serverPid;

    CpuMeter(long serverPid) {
        this.serverPid = serverPid;
    }

    Sample sample() {
        double pg = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                String cmd = cmdline(p);
                if (cmd.startsWith("postgres") || cmd.contains("/bin/postgres")) {
                    pg += cpu(p);
                }
            }
        } catch (IOException e) {
            return new Sample(0, 0, 0);
        }
        return new Sample(cpu(Path.of("/proc", Long.toString(serverPid))), pg, cpu(Path.of("/proc/self")));
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static double cpu(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
