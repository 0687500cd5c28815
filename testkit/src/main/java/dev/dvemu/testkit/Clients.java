package dev.dvemu.testkit;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.function.Supplier;

/** Builds the SDK's {@code DataverseClient} reflectively: the testkit compiles without the SDK. */
final class Clients {
    static final String CLIENT_CLASS = "dev.dvemu.client.DataverseClient";

    private Clients() {
    }

    static Class<?> clientClass() {
        try {
            return Class.forName(CLIENT_CLASS, false, ServerBridge.testLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static boolean isClientType(Class<?> type) {
        return type.getName().equals(CLIENT_CLASS);
    }

    static Object build(URI webApiUrl, String token) {
        Class<?> type = clientClass();
        if (type == null) {
            throw new IllegalStateException("no " + CLIENT_CLASS + " on the class path: add dev.dvemu:dvemu-client-sdk");
        }
        try {
            Object builder = type.getMethod("builder", URI.class).invoke(null, webApiUrl);
            Supplier<String> supplier = () -> token;
            builder = builder.getClass().getMethod("token", Supplier.class).invoke(builder, supplier);
            Method build = builder.getClass().getMethod("build");
            return build.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + CLIENT_CLASS + ": " + e, e);
        }
    }
}
