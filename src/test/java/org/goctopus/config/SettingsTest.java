package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.goctopus.support.LogRecorder;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.Test;

/** SPEC §1: every setting's default, every refusal, and where values come from. */
class SettingsTest {

    private static final String AUTH_URL = "http://auth.example:8080/check";

    /** The least a valid configuration needs: the proxy authorizer's URL. */
    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("WS_AUTH_URL", AUTH_URL);
        return values;
    }

    private static Settings parse(Map<String, String> values) {
        return Settings.parse(values::get);
    }

    private static Settings parse(String... pairs) {
        Map<String, String> values = minimal();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return parse(values);
    }

    /** Parses and expects a refusal; returns its problem lines. */
    private static List<String> problems(String... pairs) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> parse(pairs));
        assertFalse(e.problems().isEmpty());
        return e.problems();
    }

    /** One bad value gives exactly one line naming the setting and the value. */
    private static void assertRefused(String name, String value) {
        List<String> problems = problems(name, value);
        assertEquals(1, problems.size(), () -> name + "=" + value + ": " + problems);
        String line = problems.get(0);
        assertTrue(line.contains(name), () -> "line does not name the setting: " + line);
        assertTrue(line.contains("\"" + value.trim() + "\""), () -> "line does not name the value: " + line);
    }

    // ---- defaults

    @Test
    void everyDefault() {
        Settings s = parse();
        assertEquals("0.0.0.0", s.host());
        assertEquals(7890, s.port());
        assertEquals(Math.max(8, 2 * Runtime.getRuntime().availableProcessors()), s.workers());
        assertEquals(Duration.ofMinutes(30), s.msgExpire());
        assertEquals("30m", s.msgExpireText());
        assertEquals("", s.login());
        assertEquals("", s.password());
        assertFalse(s.apiCredentialsConfigured());
        assertFalse(s.insecureNoAuth());
        assertEquals(AUTH_URL, s.authUrl());
        assertEquals(Settings.AUTHORIZER_PROXY, s.authorizer());
        assertEquals(List.of("/user/email", "/user/organization_name"), s.authKeys());
        assertEquals(Duration.ofSeconds(10), s.authTimeout());
        assertEquals(Duration.ZERO, s.authCacheTtl());
        assertEquals(64, s.authMaxInflight());
        assertFalse(s.trustProxyHeaders());
        assertEquals(Set.of(), s.allowedOrigins());
        assertEquals(Duration.ofSeconds(30), s.pingInterval());
        assertEquals(Duration.ofSeconds(70), s.readTimeout());
        assertEquals(Duration.ofSeconds(10), s.writeTimeout());
        assertEquals(1_048_576, s.maxMessageSize());
        assertEquals(10_000, s.maxPending());
        assertEquals(268_435_456L, s.maxQueuedBytes());
        assertEquals(0.0, s.rateLimit());
        assertEquals(0, s.rateBurst());
        assertEquals("memory", s.storage());
        assertEquals("redis://localhost:6379/0", s.redisUrl().text());
        assertEquals("goctopus:", s.redisPrefix());
        assertEquals(0, s.redisMinReplicas());
        assertEquals(0, s.historySize());
        assertEquals(Duration.ofHours(1), s.historyTtl());
        assertFalse(s.compress());
        assertFalse(s.verbose());
        assertEquals("text", s.logFormat());
    }

    @Test
    void valuesAreParsed() {
        Settings s = parse("WS_PORT", " 8080 ", "WS_MSG_EXPIRE", "2h45m", "WS_LOGIN", "backend",
                "WS_PASSWORD", "pw", "WS_ALLOWED_ORIGINS", "https://a.example, https://b.example,",
                "WS_COMPRESS", "true", "WS_RATE_LIMIT", "2.5", "WS_LOG_FORMAT", "JSON", "WS_WORKERS", "3");
        assertEquals(8080, s.port());
        assertEquals(Duration.ofMinutes(165), s.msgExpire());
        assertEquals("2h45m", s.msgExpireText());
        assertTrue(s.apiCredentialsConfigured());
        assertEquals(Set.of("https://a.example", "https://b.example"), s.allowedOrigins());
        assertTrue(s.compress());
        assertEquals(2.5, s.rateLimit());
        assertEquals("json", s.logFormat());
        assertEquals(3, s.workers());
    }

    @Test
    void dummyAuthorizerTakesKeysFromAuthUrl() {
        Settings s = parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "a,b"));
        assertEquals(Settings.AUTHORIZER_DUMMY, s.authorizer());
        assertEquals("a,b", s.authUrl());
    }

    // ---- bad values

    @Test
    void badDurationIsRefused() {
        assertRefused("WS_MSG_EXPIRE", "abc");
        assertRefused("WS_MSG_EXPIRE", "-1s");
        assertRefused("WS_MSG_EXPIRE", "0");
        assertRefused("WS_MSG_EXPIRE", "10");
        assertRefused("WS_AUTH_TIMEOUT", "soon");
        assertRefused("WS_AUTH_CACHE_TTL", "1x");
        assertRefused("WS_WRITE_TIMEOUT", "1.2.3s");
        assertRefused("WS_HISTORY_TTL", "forever");
    }

    @Test
    void badPortIsRefused() {
        assertRefused("WS_PORT", "http");
        assertRefused("WS_PORT", "70000");
        assertRefused("WS_PORT", "0");
        assertRefused("WS_PORT", "-1");
    }

    @Test
    void badNumberIsRefused() {
        assertRefused("WS_MAX_PENDING", "lots");
        assertRefused("WS_MAX_PENDING", "0");
        assertRefused("WS_MAX_MESSAGE_SIZE", "1.5");
        assertRefused("WS_MAX_MESSAGE_SIZE", "99999999999");
        assertRefused("WS_MAX_QUEUED_BYTES", "-5");
        assertRefused("WS_RATE_LIMIT", "fast");
        assertRefused("WS_RATE_LIMIT", "-1");
        assertRefused("WS_RATE_LIMIT", "NaN");
        assertRefused("WS_RATE_BURST", "x");
        assertRefused("WS_AUTH_MAX_INFLIGHT", "0");
        assertRefused("WS_HISTORY_SIZE", "-1");
        assertRefused("WS_WORKERS", "many");
    }

    @Test
    void badBooleanIsRefused() {
        assertRefused("WS_COMPRESS", "maybe");
        assertRefused("WS_INSECURE_NO_AUTH", "yes please");
        assertRefused("WS_VERBOSE", "2");
        assertRefused("WS_TRUST_PROXY_HEADERS", "nope");
    }

    @Test
    void badUrlIsRefused() {
        assertRefused("WS_REDIS_URL", "http://localhost:6379");
        assertRefused("WS_REDIS_URL", "not a url");
        assertRefused("WS_REDIS_URL", "redis:///0");
        assertRefused("WS_AUTH_URL", "ftp://auth.example/");
        assertRefused("WS_AUTH_URL", "::nope::");
        assertRefused("WS_AUTH_URL", "auth.example/check");
    }

    @Test
    void badAuthorizerIsRefused() {
        assertRefused("WS_AUTHORIZER", "ldap");
    }

    @Test
    void badLogFormatIsRefused() {
        assertRefused("WS_LOG_FORMAT", "xml");
    }

    @Test
    void badAuthKeysAreRefused() {
        List<String> problems = problems("WS_AUTH_KEYS", "user.email");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("WS_AUTH_KEYS") && problems.get(0).contains("user.email"),
                problems.get(0));
    }

    @Test
    void readTimeoutNotLongerThanPingIntervalIsRefused() {
        List<String> problems = problems("WS_PING_INTERVAL", "30s", "WS_READ_TIMEOUT", "30s");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("WS_READ_TIMEOUT"), problems.get(0));
    }

    @Test
    void passwordNeverAppearsInAProblemLine() {
        String password = "hunter2-\"secret\"";
        Map<String, String> values = minimal();
        values.put("WS_LOGIN", "backend");
        values.put("WS_PASSWORD", password);
        values.put("WS_PORT", "nope");
        values.put("WS_MSG_EXPIRE", "abc");
        values.put("WS_AUTHORIZER", "ldap");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> parse(values));
        for (String line : e.problems()) {
            assertFalse(line.contains("hunter2"), line);
        }
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        values.put("WS_PORT", "7890");
        values.put("WS_MSG_EXPIRE", "30m");
        values.put("WS_AUTHORIZER", "proxy");
        assertFalse(parse(values).toString().contains("hunter2"), "toString shows the password");
    }

    @Test
    void proxyAuthorizerWithoutAuthUrlIsRefused() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> parse(Map.of()));
        assertEquals(1, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).contains("WS_AUTH_URL"), e.problems().get(0));
        InvalidSettingsException blank = assertThrows(InvalidSettingsException.class,
                () -> parse(Map.of("WS_AUTHORIZER", "proxy", "WS_AUTH_URL", "  ")));
        assertTrue(blank.problems().get(0).contains("WS_AUTH_URL"), blank.problems().get(0));
    }

    @Test
    void dummyAuthorizerWithoutKeysIsRefused() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", " , ")));
        assertTrue(e.problems().get(0).contains("WS_AUTH_URL"), e.problems().get(0));
    }

    @Test
    void redisStorageIsAcceptedWithEveryUrlForm() {
        for (String url : List.of("redis://localhost:6379/0", "rediss://user:pw@redis.internal:6380/2",
                "redis://:pw@10.0.0.1", "redis-sentinel://s1:26379,s2:26379,s3/0#mymaster",
                "redis-sentinel://s1:26379?sentinelMasterId=mymaster")) {
            Settings s = parse("WS_STORAGE", "redis", "WS_REDIS_URL", url);
            assertEquals("redis", s.storage());
            assertEquals(url, s.redisUrl().text());
            assertEquals(url.startsWith("redis-sentinel"), s.redisUrl().sentinel(), url);
        }
    }

    @Test
    void badRedisSettingsAreRefusedWithoutThePassword() {
        for (String url : List.of("http://localhost:6379", "redis://h1,h2", "redis://host:99999",
                "redis://host/db", "redis-sentinel://s1:26379")) {
            List<String> problems = problems("WS_STORAGE", "redis", "WS_REDIS_URL", url);
            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.get(0).contains("WS_REDIS_URL"), problems.get(0));
        }
        String line = problems("WS_REDIS_URL", "redis://user:s3cret@host:bad").get(0);
        assertFalse(line.contains("s3cret"), line);
        assertRefused("WS_REDIS_PREFIX", "{tag}:");
        assertRefused("WS_REDIS_MIN_REPLICAS", "-1");
        assertRefused("WS_REDIS_MIN_REPLICAS", "101");
    }

    @Test
    void unknownStorageIsRefused() {
        assertRefused("WS_STORAGE", "postgres");
    }

    @Test
    void severalBadValuesGiveSeveralLines() {
        List<String> problems = problems("WS_PORT", "x", "WS_MSG_EXPIRE", "abc", "WS_COMPRESS", "maybe",
                "WS_REDIS_URL", "http://r", "WS_LOG_FORMAT", "xml");
        assertEquals(5, problems.size(), problems::toString);
        for (String name : List.of("WS_PORT", "WS_MSG_EXPIRE", "WS_COMPRESS", "WS_REDIS_URL", "WS_LOG_FORMAT")) {
            assertTrue(problems.stream().anyMatch(line -> line.startsWith(name + "=")),
                    () -> name + " not in " + problems);
        }
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> parse("WS_PORT", "x", "WS_MSG_EXPIRE", "abc"));
        assertTrue(e.getMessage().contains("WS_PORT") && e.getMessage().contains("WS_MSG_EXPIRE"), e.getMessage());
    }

    // ---- sources and precedence

    @Test
    void systemPropertyBeatsContextParameterWhichBeatsDefault() {
        String name = "WS_MSG_EXPIRE";
        assumeTrue(System.getenv(name) == null && System.getenv("WS_AUTH_URL") == null
                && System.getenv("WS_AUTHORIZER") == null, "the environment sets the settings under test");
        assumeTrue(System.getProperty(name) == null, "a system property already sets " + name);
        Map<String, String> context = minimal();
        assertEquals("30m", Settings.load(context::get).msgExpireText());
        context.put(name, "10m");
        assertEquals(Duration.ofMinutes(10), Settings.load(context::get).msgExpire());
        System.setProperty(name, "5m");
        try {
            Settings s = Settings.load(context::get);
            assertEquals(Duration.ofMinutes(5), s.msgExpire());
            assertEquals("5m", s.msgExpireText());
            // Only the setting given as a property moves; the rest still comes from the context.
            assertEquals(AUTH_URL, s.authUrl());
        } finally {
            System.clearProperty(name);
        }
        assertEquals("10m", Settings.load(context::get).msgExpireText());
    }

    @Test
    void badSystemPropertyIsRefusedEvenWithAGoodContextParameter() {
        String name = "WS_MAX_PENDING";
        assumeTrue(System.getenv(name) == null && System.getenv("WS_AUTH_URL") == null
                && System.getenv("WS_AUTHORIZER") == null, "the environment sets the settings under test");
        assumeTrue(System.getProperty(name) == null, "a system property already sets " + name);
        Map<String, String> context = minimal();
        context.put(name, "5");
        System.setProperty(name, "lots");
        try {
            InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                    () -> Settings.load(context::get));
            assertTrue(e.problems().get(0).contains("WS_MAX_PENDING=\"lots\""), e.problems().get(0));
        } finally {
            System.clearProperty(name);
        }
    }

    // ---- start-up

    /** The application refuses to start, and for that setting: its log line names it. */
    @Test
    void applicationRefusesToStartWithABadSetting() {
        try (LogRecorder log = LogRecorder.of(Lifecycle.class.getName())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TestServer.start(Map.of("WS_MSG_EXPIRE", "abc")).close());
            assertTrue(e.getCause().getMessage().startsWith("the application failed to start"), e::toString);
            assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("configuration: WS_MSG_EXPIRE=\"abc\"")),
                    log::text);
        }
    }
}
