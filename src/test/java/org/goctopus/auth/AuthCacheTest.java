package org.goctopus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WS_AUTH_CACHE_TTL (SPEC §1): definite answers of the auth backend are remembered per
 * Cookie+Authorization for the TTL; "backend in trouble" answers are not. One server
 * with a TTL far longer than any test (hits cannot expire by accident), and one with a
 * short TTL for the expiry. Every test uses cookies of its own.
 */
class AuthCacheTest {

    static final String ALICE = "{\"user\":{\"email\":\"a@x\"}}";

    static StubAuthServer stub;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        stub = new StubAuthServer();
        server = TestServer.proxiedTo(stub.url(), Map.of("WS_AUTH_TIMEOUT", "2s",
                "WS_AUTH_CACHE_TTL", "1h"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @BeforeEach
    void reset() {
        stub.answer(Answer.allow(ALICE));
        stub.forgetCalls();
    }

    @Test
    void twoUpgradesWithTheSameCookieCallTheBackendOnce() throws Exception {
        String cookie = cookie();
        assertEquals(101, upgrade(server, Map.of("Cookie", cookie)));
        stub.nextCall();
        assertEquals(101, upgrade(server, Map.of("Cookie", cookie)));
        assertEquals(0, stub.callsSoFar(), "the second upgrade called the backend again");
    }

    @Test
    void aDifferentCookieCallsTheBackendAgain() throws Exception {
        String one = cookie();
        String two = cookie();
        assertEquals(101, upgrade(server, Map.of("Cookie", one)));
        assertEquals(one, stub.nextCall().getFirst("Cookie"));
        assertEquals(101, upgrade(server, Map.of("Cookie", two)));
        assertEquals(two, stub.nextCall().getFirst("Cookie"));
        assertEquals(101, upgrade(server, Map.of("Cookie", one)));
        assertEquals(101, upgrade(server, Map.of("Cookie", two)));
        assertEquals(0, stub.callsSoFar(), "both answers were cached");
    }

    @Test
    void aDifferentAuthorizationWithTheSameCookieCallsTheBackendAgain() throws Exception {
        String cookie = cookie();
        assertEquals(101, upgrade(server, headers("Cookie", cookie, "Authorization", "Bearer one")));
        stub.nextCall();
        assertEquals(101, upgrade(server, headers("Cookie", cookie, "Authorization", "Bearer two")));
        assertEquals("Bearer two", stub.nextCall().getFirst("Authorization"));
        assertEquals(101, upgrade(server, headers("Cookie", cookie, "Authorization", "Bearer one")));
        assertEquals(0, stub.callsSoFar(), "Bearer one was cached");
    }

    @Test
    void aRefusalIsCachedToo() throws Exception {
        String cookie = cookie();
        stub.answer(Answer.status(403));
        assertEquals(403, upgrade(server, Map.of("Cookie", cookie)));
        stub.nextCall();
        stub.answer(Answer.allow(ALICE));
        assertEquals(403, upgrade(server, Map.of("Cookie", cookie)), "the cached 403 answers within the TTL");
        assertEquals(0, stub.callsSoFar());
    }

    @Test
    void aBackendInTroubleIsNotCached() throws Exception {
        String cookie = cookie();
        stub.answer(Answer.status(500));
        assertEquals(503, upgrade(server, Map.of("Cookie", cookie)));
        stub.nextCall();
        assertEquals(503, upgrade(server, Map.of("Cookie", cookie)));
        stub.nextCall(); // asked again: the 503 was not remembered
        stub.answer(Answer.allow(ALICE));
        assertEquals(101, upgrade(server, Map.of("Cookie", cookie)));
        stub.nextCall();
    }

    @Test
    void aCookieAndAnAuthorizationWithTheSameTextAreDifferentCredentials() throws Exception {
        // Each header absent or present is part of the cache key: "Cookie: null" alone is not
        // "Authorization: null" alone (nor any other pair that would print alike).
        String value = "null";
        assertEquals(101, upgrade(server, Map.of("Cookie", value)));
        stub.nextCall();
        stub.answer(Answer.status(401));
        assertEquals(401, upgrade(server, Map.of("Authorization", value)),
                "another identity got the cached answer of Cookie: " + value);
        assertEquals(value, stub.nextCall().getFirst("Authorization"));
    }

    @Test
    void upgradesWithNeitherCookieNorAuthorizationAreNotCached() throws Exception {
        assertEquals(101, upgrade(server, Map.of()));
        stub.nextCall();
        assertEquals(101, upgrade(server, Map.of()));
        stub.nextCall();
    }

    @Test
    void anAnswerIsAskedForAgainAfterTheTtl() throws Exception {
        try (TestServer shortTtl = TestServer.proxiedTo(stub.url(), Map.of("WS_AUTH_TIMEOUT", "2s",
                "WS_AUTH_CACHE_TTL", "300ms"))) {
            String cookie = cookie();
            long first = System.nanoTime();
            assertEquals(101, upgrade(shortTtl, Map.of("Cookie", cookie)));
            stub.nextCall();
            Await.until(Duration.ofSeconds(5), () -> {
                assertEquals(101, upgrade(shortTtl, Map.of("Cookie", cookie)));
                return stub.callsSoFar() > 0;
            });
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first);
            // The cache answered every upgrade until the TTL was over, and none after it.
            assertTrue(ms >= 300, "the backend was asked again after " + ms + " ms, WS_AUTH_CACHE_TTL=300ms");
            stub.nextCall();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static String cookie() {
        return "session=" + UUID.randomUUID();
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    private static int upgrade(TestServer target, Map<String, String> headers) {
        try (RawUpgrade up = RawUpgrade.open(target.port(), "/", headers)) {
            return up.status();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
