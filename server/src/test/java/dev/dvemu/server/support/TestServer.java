package dev.dvemu.server.support;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;
import dev.dvemu.server.config.ServerConfig;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

/**
 * One real emulator per test JVM: embedded PostgreSQL in a throwaway directory, server on a random port.
 * Tests share it and stay independent by creating their own rows (unique names and ids).
 */
public final class TestServer {
    private static DvemuServer server;

    private TestServer() {
    }

    public static synchronized DvemuServer get() {
        if (server == null) {
            try {
                server = DvemuServer.start(baseConfig());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test server", e);
            }
            DvemuServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // JVM is exiting
                }
            }));
        }
        return server;
    }

    /** A second server process-equivalent on the same database (a new pool, a new Jetty, no shared state). */
    public static DvemuServer startSecondInstance() throws Exception {
        DvemuServer first = get();
        return DvemuServer.start(baseConfig().withDatabase(first.jdbcUrl(), "postgres", null));
    }

    /**
     * Another server on the shared database, started with extra options (e.g. {@code "--public-url", "https://x/"});
     * the caller closes it.
     */
    public static DvemuServer startWith(String... options) throws Exception {
        DvemuServer first = get();
        String[] args = new String[options.length + 3];
        args[0] = "--ephemeral";
        args[1] = "--port";
        args[2] = "0";
        System.arraycopy(options, 0, args, 3, options.length);
        return DvemuServer.start(ConfigParser.parse(args, Map.of()).config().withDatabase(first.jdbcUrl(), "postgres", null));
    }

    public static ServerConfig baseConfig() {
        return ConfigParser.parse(new String[]{"--ephemeral", "--port", "0"}, Map.of()).config();
    }

    /** The Web API root, e.g. {@code http://127.0.0.1:41234/api/data/v9.2/}. */
    public static String base() {
        return get().baseUri().toString();
    }

    /** A request with the headers Dataverse clients send, against the shared server. */
    public static RequestSpecification api() {
        return api(get());
    }

    public static RequestSpecification api(DvemuServer target) {
        return RestAssured.given()
                .config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .baseUri(target.baseUri().toString())
                .header("Authorization", "Bearer test-token")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .header("Accept", "application/json");
    }
}
