package dev.dvemu.server.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    private static ServerConfig parse(Map<String, String> env, String... args) {
        return ConfigParser.parse(args, env).config();
    }

    @Test
    void defaultsServeOnLocalhost5555WithEmbeddedDatabase() {
        ServerConfig c = parse(Map.of());
        assertEquals(5555, c.port());
        assertEquals("127.0.0.1", c.bind());
        assertTrue(c.embeddedDatabase());
        assertEquals(List.of("builtin"), c.metadata());
        assertFalse(c.allowAnonymous());
        assertFalse(c.ephemeral());
    }

    @Test
    void portFlagWithSeparateValue() {
        assertEquals(1234, parse(Map.of(), "--port", "1234").port());
    }

    @Test
    void portFlagWithEqualsSign() {
        assertEquals(1234, parse(Map.of(), "--port=1234").port());
    }

    @Test
    void portFromEnvironment() {
        assertEquals(4321, parse(Map.of("DVEMU_PORT", "4321")).port());
    }

    @Test
    void flagBeatsEnvironment() {
        assertEquals(1234, parse(Map.of("DVEMU_PORT", "4321"), "--port", "1234").port());
    }

    @Test
    void dbUrlSelectsExternalDatabase() {
        ServerConfig c = parse(Map.of(), "--db-url", "jdbc:postgresql://db/x", "--db-user", "u");
        assertFalse(c.embeddedDatabase());
        assertEquals("jdbc:postgresql://db/x", c.dbUrl().orElseThrow());
        assertEquals("u", c.dbUser().orElseThrow());
    }

    @Test
    void booleanFlagWithoutValueIsTrue() {
        assertTrue(parse(Map.of(), "--allow-anonymous").allowAnonymous());
        assertTrue(parse(Map.of(), "--ephemeral").ephemeral());
    }

    @Test
    void wordsThatAreNotFlagsAreTheCommand() {
        assertEquals(List.of("ddl", "account"), ConfigParser.parse(new String[]{"ddl", "--port", "1", "account"}, Map.of()).words());
    }

    @Test
    void unknownFlagIsAnError() {
        ConfigParser.UsageException e = assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--nosuch"));
        assertTrue(e.getMessage().contains("--nosuch"), e.getMessage());
    }

    @Test
    void nonNumericPortIsAnError() {
        ConfigParser.UsageException e = assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--port", "abc"));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }

    @Test
    void portOutOfRangeIsAnError() {
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--port", "65536"));
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--port=-1"));
    }

    @Test
    void badNumberInEnvironmentIsAnError() {
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_PORT", "lots")));
    }

    @Test
    void flagWithoutItsValueIsAnError() {
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--port"));
    }

    @Test
    void toStringNeverShowsThePassword() {
        ServerConfig c = parse(Map.of(), "--db-url", "jdbc:postgresql://db/x", "--db-password", "s3cret-value");
        assertFalse(c.toString().contains("s3cret-value"), c.toString());
    }

    @Test
    void publicUrlKeepsSchemeHostPortAndPrefixWithoutTrailingSlash() {
        assertEquals("https://dv.example.com/prefix", parse(Map.of(), "--public-url", "https://dv.example.com/prefix/").publicUrl().orElseThrow().toString());
        assertEquals("https://dv.example.com", parse(Map.of(), "--public-url", "https://dv.example.com:443/").publicUrl().orElseThrow().toString());
        assertEquals("http://dv.example.com:8080", parse(Map.of("DVEMU_PUBLIC_URL", "http://dv.example.com:8080")).publicUrl().orElseThrow().toString());
        assertTrue(parse(Map.of()).publicUrl().isEmpty());
    }

    @Test
    void publicUrlMustBeAnHttpUrlWithAHost() {
        for (String bad : List.of("dv.example.com", "ftp://dv.example.com/", "https:///x", "https://dv.example.com/?a=1")) {
            assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--public-url", bad), bad);
        }
    }

    @Test
    void allowedHostsAndTrustedProxiesAreCommaSeparatedLists() {
        ServerConfig c = parse(Map.of("DVEMU_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1,::1"), "--allowed-hosts", "dv.test, other.test");
        assertEquals(List.of("dv.test", "other.test"), c.allowedHosts());
        assertEquals(List.of("10.0.0.0/8", "127.0.0.1", "::1"), c.trustedProxies());
        assertEquals(List.of(), parse(Map.of()).trustedProxies());
    }

    @Test
    void trustedProxiesAreAddressesNotNames() {
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--trusted-proxies", "proxy.example"));
    }

    @Test
    void dashHAsksForHelp() {
        assertTrue(ConfigParser.parse(new String[]{"-h"}, Map.of()).help());
    }

    @Test
    void badValuesAreNamedAsTheyWereGiven() {
        assertEquals("DVEMU_POOL_SIZE must be a whole number from 1 to 1000, not '0'",
                assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_POOL_SIZE", "0"))).getMessage());
        assertEquals("--pool-size must be a whole number from 1 to 1000, not '0'",
                assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_POOL_SIZE", "8"), "--pool-size", "0")).getMessage());
        assertEquals("DVEMU_QUIET takes true or false, not 'loud'",
                assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_QUIET", "loud"))).getMessage());
        assertTrue(assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_PUBLIC_URL", "ftp://x/")))
                .getMessage().startsWith("DVEMU_PUBLIC_URL must be an http(s) URL"));
    }

    @Test
    void ephemeralExcludesDataDir() {
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--ephemeral", "--data-dir", "x"));
        assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of("DVEMU_DATA_DIR", "x"), "--ephemeral"));
        assertTrue(parse(Map.of(), "--ephemeral=false", "--data-dir", "x").dataDir().endsWith("x"));
    }

    @Test
    void dbUrlMustBeJdbc() {
        assertEquals("jdbc:postgresql://h:5432/d", parse(Map.of(), "--db-url", "jdbc:postgresql://h:5432/d").dbUrl().orElseThrow());
        String m = assertThrows(ConfigParser.UsageException.class,
                () -> parse(Map.of(), "--db-url", "postgresql://u:pw@h:5432/d?sslmode=require")).getMessage();
        assertTrue(m.contains("use jdbc:postgresql://h:5432/d "), m);
        assertFalse(m.contains("pw"), m);
        assertTrue(assertThrows(ConfigParser.UsageException.class, () -> parse(Map.of(), "--db-url", "mysql://h/d"))
                .getMessage().startsWith("--db-url takes a JDBC URL of PostgreSQL"));
    }
}
