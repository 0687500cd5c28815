package dev.dvemu.client.support;

import dev.dvemu.client.DataverseClient;
import dev.dvemu.client.RetryPolicy;
import dev.dvemu.server.DvemuServer;
import dev.dvemu.server.config.ConfigParser;

import java.util.Map;

/**
 * One real emulator per test JVM (embedded PostgreSQL, random port), started in-process; tests isolate themselves
 * by creating their own rows.
 */
public final class Emulator {
    private static DvemuServer server;

    private Emulator() {
    }

    public static synchronized DvemuServer server() {
        if (server == null) {
            try {
                server = DvemuServer.start(ConfigParser.parse(new String[]{"--ephemeral", "--port", "0"}, Map.of()).config());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the emulator", e);
            }
            DvemuServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // exiting
                }
            }));
        }
        return server;
    }

    /** A client of the shared emulator with the given retry policy. */
    public static DataverseClient client(RetryPolicy policy) {
        return DataverseClient.builder(server().baseUri()).token(() -> "test-token").retry(policy).build();
    }

    public static DataverseClient client() {
        return client(RetryPolicy.defaults());
    }
}
