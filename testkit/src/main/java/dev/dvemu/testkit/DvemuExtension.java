package dev.dvemu.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JUnit 5 extension behind {@link DvemuTest}: leases an emulator for each test class (beforeAll to afterAll),
 * resets it as configured, and injects {@link Dvemu} and a {@code DataverseClient}. Used through
 * {@code @DvemuTest}; {@code @ExtendWith(DvemuExtension.class)} alone means the default attributes.
 */
public final class DvemuExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DvemuExtension.class);
    private static final String LEASE = "lease";

    /** The instance a class runs on, and when it is reset. */
    private sealed interface Held permits Lease, Borrowed {
        Dvemu dvemu();

        Reset reset();
    }

    /** Returned to the pool when the class's context closes (after its afterAll callbacks). */
    private record Lease(Dvemu dvemu, Reset reset) implements Held, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            Instances.get().release(dvemu);
        }
    }

    /** A lease of the nearest enclosing class that has the same configuration; no pool action. */
    private record Borrowed(Dvemu dvemu, Reset reset) implements Held {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        DvemuTest annotation = find(testClass);
        DvemuConfig config = annotation == null ? DvemuConfig.defaults() : config(annotation);
        Reset reset = annotation == null ? Reset.EACH_TEST : annotation.reset();
        Dvemu inherited = current(context);
        Dvemu dvemu;
        if (inherited != null && inherited.config().equals(config)) {
            dvemu = inherited;
            context.getStore(NS).put(LEASE, new Borrowed(dvemu, reset));
        } else {
            dvemu = Instances.get().lease(config);
            context.getStore(NS).put(LEASE, new Lease(dvemu, reset));
            if (reset == Reset.EACH_CLASS) {
                dvemu.reset();
            }
        }
        injectStatic(testClass, dvemu);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IllegalAccessException {
        Dvemu dvemu = current(context);
        if (dvemu == null) {
            return;
        }
        Object client = dvemu.clientIfBuilt();
        for (Field f : fields(context.getRequiredTestClass(), true)) {
            f.setAccessible(true);
            Object v = f.get(null);
            if (v != null && (v == dvemu || v == client)) {
                f.set(null, null);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Dvemu dvemu = current(context);
        if (dvemu == null) {
            return;
        }
        if (reset(context) == Reset.EACH_TEST) {
            dvemu.reset();
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : fields(instance.getClass(), false)) {
                f.setAccessible(true);
                if (f.get(instance) == null) {
                    f.set(instance, value(f.getType(), dvemu));
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Dvemu.class || Clients.isClientType(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Dvemu dvemu = current(context);
        if (dvemu == null) {
            throw new ParameterResolutionException("no dvemu instance for " + context.getDisplayName()
                    + ": is the class annotated with @DvemuTest?");
        }
        return value(parameter.getParameter().getType(), dvemu);
    }

    private static Object value(Class<?> type, Dvemu dvemu) {
        return type == Dvemu.class ? dvemu : dvemu.client();
    }

    private static void injectStatic(Class<?> testClass, Dvemu dvemu) {
        try {
            for (Field f : fields(testClass, true)) {
                f.setAccessible(true);
                if (f.get(null) == null) {
                    f.set(null, value(f.getType(), dvemu));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot inject into " + testClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Non-final fields of type Dvemu or DataverseClient, static or not, declared by the class or its superclasses. */
    private static List<Field> fields(Class<?> type, boolean statics) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) == statics && !Modifier.isFinal(m)
                        && (f.getType() == Dvemu.class || Clients.isClientType(f.getType()))) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static Dvemu current(ExtensionContext context) {
        return context.getStore(NS).get(LEASE) instanceof Held h ? h.dvemu() : null;
    }

    private static Reset reset(ExtensionContext context) {
        return context.getStore(NS).get(LEASE) instanceof Held h ? h.reset() : Reset.NEVER;
    }

    /** The annotation on the class, a superclass, or (for {@code @Nested} classes) an enclosing class. */
    private static DvemuTest find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            DvemuTest a = c.getAnnotation(DvemuTest.class);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    static DvemuConfig config(DvemuTest a) {
        DvemuConfig.Builder b = DvemuConfig.builder().tables(a.tables()).log(a.log()).args(a.args()).plugins(a.plugins());
        if (!a.metadata().isEmpty()) {
            b.metadata(Path.of(a.metadata()));
        }
        if (!a.dbUrl().isEmpty()) {
            b.database(a.dbUrl(), a.dbUser().isEmpty() ? null : a.dbUser(), a.dbPassword().isEmpty() ? null : a.dbPassword());
        }
        if (!a.seed().isEmpty()) {
            b.seed(Path.of(a.seed()));
        }
        if (!a.snapshot().isEmpty()) {
            b.snapshot(a.snapshot());
        }
        if (a.serviceProtection()) {
            b.serviceProtection(a.spRequests(), java.time.Duration.ofSeconds(a.spWindowSeconds()),
                    java.time.Duration.ofSeconds(a.spExecutionSeconds()), a.spConcurrent());
        }
        return b.build();
    }
}
