package dev.dvemu.testkit;

import dev.dvemu.client.DataverseClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

@DvemuTest
class InjectionTest {
    static Dvemu staticDvemu;
    static DataverseClient staticClient;
    static Dvemu fromBeforeAll;

    Dvemu dvemu;
    DataverseClient client;
    Dvemu fromBeforeEach;

    @BeforeAll
    static void beforeAll(Dvemu d) {
        fromBeforeAll = d;
        assertSame(staticDvemu, d, "static fields are injected before @BeforeAll");
    }

    @BeforeEach
    void beforeEach(Dvemu d) {
        fromBeforeEach = d;
    }

    @Test
    void fieldsAndParametersAreTheSameInstance(Dvemu d, DataverseClient c) {
        assertNotNull(dvemu);
        assertSame(dvemu, d);
        assertSame(dvemu, staticDvemu);
        assertSame(dvemu, fromBeforeAll);
        assertSame(dvemu, fromBeforeEach);
        assertSame(client, c, "one client per instance");
        assertSame(client, staticClient);
        assertEquals(200, Http.get(d, "new_stocks").status());
    }

    @Test
    void theClientTalksToThisInstance(DataverseClient c, Dvemu d) {
        Http.createStock(d, "via-http");
        // the SDK's own request against the same server finds the row
        assertEquals(1L, c.count(dev.dvemu.client.Query.from("new_stocks")), "the row of another test is gone");
    }

    @Nested
    class Inner {
        Dvemu inner;

        @Test
        void aNestedClassSharesTheEnclosingInstance(Dvemu d) {
            assertSame(staticDvemu, d);
            assertSame(d, inner);
        }
    }
}
