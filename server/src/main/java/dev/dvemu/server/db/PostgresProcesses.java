package dev.dvemu.server.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL processes of a data directory, as the operating system shows them: the postmaster named by
 * {@code postmaster.pid}, and (on Linux) the server processes still running there after their postmaster died.
 */
final class PostgresProcesses {
    static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final boolean PROC_FS = Files.isDirectory(Path.of("/proc/self/cwd"));

    private PostgresProcesses() {
    }

    /** The process id on the first line of {@code <dir>/postmaster.pid}, if the file is there and readable. */
    static Optional<Long> postmasterPid(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code process} runs the {@code postgres} binary on {@code dir}; empty when the system does not say. */
    static Optional<Boolean> isPostgresOf(ProcessHandle process, Path dir) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command();
        if (command.isEmpty()) {
            return Optional.empty();
        }
        if (!isPostgresBinary(command.get())) {
            return Optional.of(false);
        }
        if (info.arguments().map(args -> java.util.Arrays.asList(args).contains(dir.toString())).orElse(false)) {
            return Optional.of(true);
        }
        return workingDirectory(process.pid()).map(cwd -> sameFile(cwd, dir));
    }

    private static boolean isPostgresBinary(String command) {
        String name = Path.of(command).getFileName().toString().toLowerCase(Locale.ROOT);
        return name.equals("postgres") || name.equals("postgres.exe");
    }

    /**
     * PostgreSQL server processes whose working directory is {@code dir} (every one of them changes to its data
     * directory). After their postmaster died they still hold its shared memory, and a new postmaster refuses to
     * start until they are gone. Linux only (read from /proc); elsewhere empty.
     */
    static List<ProcessHandle> runningIn(Path dir) {
        List<ProcessHandle> found = new ArrayList<>();
        if (!PROC_FS) {
            return found;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != self && workingDirectory(pid).map(cwd -> sameFile(cwd, dir)).orElse(false)) {
                    ProcessHandle.of(pid).filter(h -> h.info().command().map(PostgresProcesses::isPostgresBinary).orElse(false))
                            .ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a process came or went, or /proc is not what we think: report what was found
        }
        return found;
    }

    private static Optional<Path> workingDirectory(long pid) {
        if (!PROC_FS) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends a POSIX signal ({@code INT}: PostgreSQL's fast shutdown; {@code KILL}) with the system's {@code kill};
     * false where there is none (Windows) or it failed.
     */
    static boolean signal(long pid, String signal) {
        if (WINDOWS) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether {@code process} still runs. A process that has exited but not yet been reaped by its parent counts as
     * alive for {@link ProcessHandle#isAlive()}; the postmaster's parent is init, which may take a second to reap.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && !zombie(process.pid());
    }

    private static boolean zombie(long pid) {
        if (!PROC_FS) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int afterName = stat.lastIndexOf(')') + 2; // "pid (name) S ...": the name may hold spaces and parentheses
            return afterName < stat.length() && (stat.charAt(afterName) == 'Z' || stat.charAt(afterName) == 'X');
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits until every one of {@code processes} has exited; false if one still runs after {@code limit}. */
    static boolean awaitExit(List<ProcessHandle> processes, Duration limit) {
        return await(processes, PostgresProcesses::running, limit);
    }

    /**
     * Waits until {@code process} has exited and been reaped: until then its pid still answers {@code kill -0}, which
     * is how PostgreSQL and pg_ctl decide that the postmaster named in {@code postmaster.pid} still runs.
     */
    static boolean awaitReaped(ProcessHandle process, Duration limit) {
        return await(List.of(process), ProcessHandle::isAlive, limit);
    }

    private static boolean await(List<ProcessHandle> processes, java.util.function.Predicate<ProcessHandle> there, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (processes.stream().anyMatch(there)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static String pids(List<ProcessHandle> processes) {
        return processes.stream().map(h -> Long.toString(h.pid())).reduce((a, b) -> a + " " + b).orElse("");
    }
}
