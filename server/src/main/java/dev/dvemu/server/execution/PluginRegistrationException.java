package dev.dvemu.server.execution;

/** A plug-in step or package that cannot work with the tables served: start-up stops with this message. */
public final class PluginRegistrationException extends RuntimeException {
    public PluginRegistrationException(String message) {
        super(message);
    }

    public PluginRegistrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
