package dev.dvemu.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's version, written into {@code version.properties} by the build (the Maven project version). */
public final class ServerVersion {
    private static final String VERSION = load();

    private ServerVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
