package dev.dvemu.server.execution;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Registration;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.metadata.Catalog;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds plug-in packages — in the jars of {@code --plugins} directories, through {@link ServiceLoader}, and those
 * handed over by code that starts the server (the testkit) — has each register its steps and custom APIs, and checks
 * them against the tables. Whatever cannot work stops the start with a message that names it.
 */
public final class PluginLoader {
    private PluginLoader() {
    }

    /**
     * The steps and custom APIs of every package in {@code directories} and of {@code packages}, checked against
     * {@code catalog}.
     */
    public static Plugins load(List<Path> directories, List<?> packages, Catalog catalog) {
        List<Step> steps = new ArrayList<>();
        List<CustomApi> apis = new ArrayList<>();
        for (Path dir : directories) {
            List<PluginPackage> found = discover(dir);
            for (PluginPackage p : found) {
                register(p, p.getClass().getName() + " (in " + dir + ")", steps, apis);
            }
        }
        for (Object p : packages) {
            if (!(p instanceof PluginPackage pkg)) {
                // a package whose PluginPackage interface came from another class loader than the server's
                throw new PluginRegistrationException(p.getClass().getName() + " is not a " + PluginPackage.class.getName()
                        + " of this server's plug-in API (is dvemu-plugin-api on the class path twice?)");
            }
            register(pkg, pkg.getClass().getName(), steps, apis);
        }
        CustomApis customApis = CustomApis.of(apis, catalog);
        return new Plugins(StepRegistry.of(steps, catalog, customApis), customApis);
    }

    private static List<PluginPackage> discover(Path dir) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)) {
                    jars.add(f.toUri().toURL());
                }
            }
        } catch (IOException e) {
            throw new PluginRegistrationException("--plugins: cannot read " + dir + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new PluginRegistrationException("--plugins: " + dir + " has no jar files");
        }
        // the server's loader is the parent, so a plug-in's PluginPackage is the server's own interface
        URLClassLoader loader = new URLClassLoader("dvemu-plugins", jars.toArray(URL[]::new), PluginLoader.class.getClassLoader());
        List<PluginPackage> found = new ArrayList<>();
        try {
            for (PluginPackage p : ServiceLoader.load(PluginPackage.class, loader)) {
                found.add(p);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginRegistrationException("--plugins: a plug-in package in " + dir + " cannot be loaded: "
                    + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new PluginRegistrationException("--plugins: no plug-in package in the jars of " + dir + " (list each "
                    + "class that implements " + PluginPackage.class.getName() + " in META-INF/services/"
                    + PluginPackage.class.getName() + ")");
        }
        return found;
    }

    private static void register(PluginPackage p, String name, List<Step> steps, List<CustomApi> apis) {
        Registration registration = new Registration() {
            @Override
            public Registration step(Step step) {
                if (step == null) {
                    throw new PluginRegistrationException(name + " registered a null step");
                }
                steps.add(step);
                return this;
            }

            @Override
            public Registration customApi(CustomApi api) {
                if (api == null) {
                    throw new PluginRegistrationException(name + " declared a null custom API");
                }
                apis.add(api);
                return this;
            }
        };
        try {
            p.register(registration);
        } catch (PluginRegistrationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginRegistrationException("the plug-in package " + name + " failed to register its steps: " + e, e);
        }
    }
}
