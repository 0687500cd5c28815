package dev.dvemu.server;

import dev.dvemu.server.config.ServerConfig;

import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/** Why the server could not start, in one line that says what to do. */
final class StartupFailure {
    private StartupFailure() {
    }

    static String describe(Throwable failure, ServerConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                if (String.valueOf(t.getMessage()).contains("in use")) {
                    return "port " + config.port() + " on " + config.bind() + " is in use: stop what uses it, or start with "
                            + "--port 0 to pick a free port";
                }
                return "cannot listen on " + config.bind() + ":" + config.port() + " (" + t.getMessage() + "): give --bind an "
                        + "address of this machine (127.0.0.1 for this machine only, 0.0.0.0 for all)";
            }
            if (t instanceof UnresolvedAddressException) {
                return "--bind " + config.bind() + " is not a known host name: give an address such as 127.0.0.1 or 0.0.0.0";
            }
            if (t instanceof UnknownHostException) {
                String host = t.getMessage() == null ? "" : t.getMessage().replaceAll(":.*", "").trim();
                return "the database host '" + host + "' in --db-url is not known: check the host name in "
                        + "jdbc:postgresql://host:port/db";
            }
        }
        return oneLine(failure);
    }

    /** The message of {@code failure} (or of its first cause that has one) on one line. */
    static String oneLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            }
        }
        return failure.getClass().getSimpleName();
    }
}
