package dev.dvemu.server.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes the embedded PostgreSQL down with the server, however the server ends. PostgreSQL is started through
 * {@code pg_ctl}, which detaches it, so it outlives a JVM killed with {@code kill -9} and would keep holding the
 * data directory. This small {@code sh} process reads its standard input, a pipe from the JVM: when the JVM dies
 * the operating system closes the pipe, the watchdog reads end-of-file and sends the postmaster SIGINT (a fast
 * shutdown: open transactions roll back, everything committed stays). For a throwaway directory it then waits for
 * PostgreSQL to exit and deletes the directory. A server that closes normally disarms it first.
 * <p>
 * The JVM writes lines to it: {@code pid N} when PostgreSQL was restarted under a new process id, {@code disarm}
 * before a normal stop. Its command line carries {@code dvemu-watchdog} so it can be recognised (and, in a test
 * that needs a PostgreSQL left behind, killed). Not started where there is no {@code sh} (Windows).
 */
final class PostmasterWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterWatchdog.class);
    static final String NAME = "dvemu-watchdog";

    // INT and HUP are ignored: Ctrl-C in a terminal reaches the whole process group, and the JVM's own shutdown
    // then stops PostgreSQL cleanly; should the JVM die instead, the watchdog is still there to act.
    private static final String SCRIPT = """
            trap '' INT HUP
            pid=$1
            while read -r word value; do
              case "$word" in
                pid) pid=$value ;;
                disarm) exit 0 ;;
              esac
            done
            kill -INT "$pid" 2>/dev/null
            if [ -n "$2" ]; then
              i=0
              while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 60 ]; do sleep 1; i=$((i+1)); done
              rm -rf "$2"
            fi
            """;

    private final Process process;
    private final OutputStream commands;

    private PostmasterWatchdog(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    /**
     * Starts a watchdog for the postmaster {@code pid}; {@code throwawayDir}, if given, is deleted after it stopped.
     * Empty where no watchdog can run.
     */
    static Optional<PostmasterWatchdog> start(long pid, Optional<Path> throwawayDir) {
        if (PostgresProcesses.WINDOWS) {
            LOG.debug("no watchdog on Windows: a killed server leaves its PostgreSQL running until the next start stops it");
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, NAME, Long.toString(pid)));
        throwawayDir.ifPresent(d -> command.add(d.toString()));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new PostmasterWatchdog(p));
        } catch (IOException e) {
            LOG.debug("no watchdog (cannot run sh: {}): a killed server leaves its PostgreSQL running until the next start stops it",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** PostgreSQL runs under a new process id now. */
    void watch(long pid) {
        send("pid " + pid);
    }

    /** A normal stop follows: the watchdog exits without touching PostgreSQL. */
    void disarm() {
        send("disarm");
        try {
            commands.close();
        } catch (IOException ignored) {
            // it has gone already
        }
    }

    private synchronized void send(String line) {
        try {
            commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            LOG.debug("the watchdog is gone (exit {}): {}", process.isAlive() ? "none yet" : process.exitValue(), e.getMessage());
        }
    }
}
