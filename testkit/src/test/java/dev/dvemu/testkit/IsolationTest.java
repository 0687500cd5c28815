package dev.dvemu.testkit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testkit's tests see the class path a user's tests see (the pom keeps the server's jars off it): the server runs
 * from the jars embedded in the testkit, in a class loader of its own.
 */
class IsolationTest {

    @Test
    void noServerClassIsVisibleToTheTest() {
        ClassLoader test = Thread.currentThread().getContextClassLoader();
        for (String name : new String[]{"org.eclipse.jetty.server.Server", "org.flywaydb.core.Flyway",
                "com.zaxxer.hikari.HikariDataSource", "org.postgresql.Driver", "org.apache.olingo.server.api.OData",
                "org.slf4j.LoggerFactory", "dev.dvemu.server.Embedded", "io.zonky.test.db.postgres.embedded.EmbeddedPostgres"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, test), name + " is visible");
        }
        // the binaries are resources on the test's class path, and the only thing the server borrows from it
        assertTrue(test.getResource("postgres-linux-x86_64.txz") != null);
    }

    @Test
    void theServerRunsInAnIsolatedLoaderAndAnswers() throws Exception {
        try (Dvemu dvemu = Dvemu.start()) {
            ServerBridge bridge = Instances.get().bridge();
            assertTrue(bridge.isolated(), "the server was loaded from the test class path");
            Class<?> jetty = Class.forName("org.eclipse.jetty.server.Server", false, bridge.loader());
            assertTrue(jetty.getClassLoader() == bridge.loader(), "Jetty comes from " + jetty.getClassLoader());
            assertTrue(bridge.loader().getParent() == ClassLoader.getPlatformClassLoader());

            assertEquals(200, Http.get(dvemu, "new_stocks").status());
            assertTrue(dvemu.webApiUrl().toString().endsWith("/api/data/v9.2/"), dvemu.webApiUrl().toString());
            assertEquals("http://127.0.0.1:" + dvemu.port(), dvemu.baseUrl().toString());
            assertTrue(dvemu.jdbcUrl().startsWith("jdbc:postgresql://"), dvemu.jdbcUrl());
        }
    }
}
