package dev.dvemu.bench;

import dev.dvemu.plugin.PluginPackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Writes a plug-in jar for {@code --plugins DIR} from classes on the benchmark's own class path: the package, the
 * classes it needs (with their nested classes) and the {@code META-INF/services} entry naming the package. The
 * plug-in API stays out: the server provides it. So the benchmark needs no jar file of the samples module, only its
 * classes, however it was started (shaded jar, or the reactor's class path in the smoke test).
 */
final class PluginJar {
    private PluginJar() {
    }

    /** Writes {@code dir/name.jar} and returns {@code dir}. */
    static Path write(Path dir, String name, Class<? extends PluginPackage> pkg, Class<?>... needed) throws IOException {
        Set<Class<?>> classes = new LinkedHashSet<>();
        add(classes, pkg);
        for (Class<?> c : needed) {
            add(classes, c);
        }
        Files.createDirectories(dir);
        try (OutputStream file = Files.newOutputStream(dir.resolve(name + ".jar"));
             JarOutputStream jar = new JarOutputStream(file)) {
            for (Class<?> c : classes) {
                String resource = c.getName().replace('.', '/') + ".class";
                try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException("no class file for " + c.getName());
                    }
                    jar.putNextEntry(new JarEntry(resource));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + PluginPackage.class.getName()));
            jar.write((pkg.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return dir;
    }

    private static void add(Set<Class<?>> classes, Class<?> c) {
        if (classes.add(c)) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                add(classes, nested);
            }
        }
    }
}
