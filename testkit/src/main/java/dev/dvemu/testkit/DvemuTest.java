package dev.dvemu.testkit;

import dev.dvemu.plugin.PluginPackage;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against a dvemu emulator, started in-process on a random port over an embedded PostgreSQL
 * (one per JVM), and reset before each test. Injects {@link Dvemu} and (with the SDK on the class path) a
 * {@code DataverseClient} into test and lifecycle method parameters and into non-final fields (static fields for
 * {@code @BeforeAll}).
 *
 * <pre>{@code
 * @DvemuTest
 * class BookingTest {
 *     @Test
 *     void books(DataverseClient client, Dvemu dvemu) {
 *         ...
 *         dvemu.verify(1, RequestPattern.post("new_bookings"));
 *     }
 * }
 * }</pre>
 *
 * Classes with equal attributes share a server; classes that run at the same time (JUnit parallel execution) never
 * do: each gets a server and a database of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DvemuExtension.class)
public @interface DvemuTest {
    /** When the emulator is brought back to its fixture; before each test by default. */
    Reset reset() default Reset.EACH_TEST;

    /**
     * A directory of table definitions ({@code tables/*.json}, {@code migrations/}), relative to the working
     * directory (the project directory under Maven and Gradle), e.g. {@code "src/test/dvemu"}; empty for the built-in
     * tables only.
     */
    String metadata() default "";

    /** Whether {@link #metadata()}'s tables are added to the built-in ones (default) or replace them. */
    Tables tables() default Tables.ADD;

    /** An external PostgreSQL (JDBC URL) instead of the embedded one; empty for embedded. */
    String dbUrl() default "";

    String dbUser() default "";

    String dbPassword() default "";

    /** A seed file ({@code POST /_dvemu/seed} JSON), relative to the working directory, loaded as the fixture. */
    String seed() default "";

    /** A snapshot restored as the fixture on every reset (instead of a seed). */
    String snapshot() default "";

    /** Enforce Dataverse's service protection limits (429s); the limits below, 0 keeping Dataverse's default. */
    boolean serviceProtection() default false;

    /** Service protection: requests per window (0: Dataverse's 6000). */
    int spRequests() default 0;

    /** Service protection: the window in seconds (0: 300). */
    int spWindowSeconds() default 0;

    /** Service protection: combined execution seconds per window (0: 1200). */
    int spExecutionSeconds() default 0;

    /** Service protection: concurrent requests (0: 52). */
    int spConcurrent() default 0;

    /**
     * The server's log: empty (default) logs errors only, {@code "stderr"} a line per request to standard error,
     * anything else is a file to log to.
     */
    String log() default "";

    /** Extra server flags, e.g. {@code {"--journal-size", "100"}}. */
    String[] args() default {};

    /**
     * Plug-in packages whose steps the server runs, each made with its public no-argument constructor:
     * {@code @DvemuTest(plugins = PromotionPlugins.class)}. For single steps as lambdas, use
     * {@code DvemuConfig.builder().steps(...)} with {@link Dvemu#start(DvemuConfig)}.
     */
    Class<? extends PluginPackage>[] plugins() default {};
}
