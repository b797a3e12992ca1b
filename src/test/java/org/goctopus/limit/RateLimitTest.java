package org.goctopus.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WS_RATE_LIMIT / WS_RATE_BURST (SPEC §1, §2 step 2, §3): one token bucket per client
 * address, shared by API requests and upgrades; operations endpoints never limited.
 * The server trusts X-Forwarded-For, so each test acts as addresses of its own (the
 * last element of the header) and the tests do not share buckets.
 */
class RateLimitTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((TestServer.LOGIN + ":" + TestServer.PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final Map<String, String> LIMITED = Map.of("WS_RATE_LIMIT", "1", "WS_RATE_BURST", "3");

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "WS_RATE_LIMIT", "1",
                "WS_RATE_BURST", "3",
                "WS_TRUST_PROXY_HEADERS", "true"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fourthRequestOfABurstGets429WithJsonErrorAndRetryAfterThenPassesOnceRefilled() {
        String from = "10.0.1.1";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(server, "/", from).statusCode(), "request " + (i + 1) + " of the burst");
        }
        HttpResponse<String> limited = get(server, "/", from);
        assertTooManyRequests(limited);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter + " at 1 token/s");
        // A token is back after about a second; a 429 does not take one.
        Await.until(Duration.ofSeconds(5), () -> get(server, "/", from).statusCode() == 200);
    }

    @Test
    void anotherClientAddressHasItsOwnBucket() {
        exhaust(server, "10.0.2.1");
        assertTooManyRequests(get(server, "/", "10.0.2.1"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(server, "/", "10.0.2.2").statusCode());
        }
    }

    @Test
    void onlyTheLastForwardedForElementCountsAsTheAddress() {
        // Earlier elements are the client's word: changing them does not give a fresh bucket.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(server, "/", "192.0.2." + i + ", 10.0.3.1").statusCode());
        }
        assertTooManyRequests(get(server, "/", "192.0.2.99, 10.0.3.1"));
        assertEquals(200, get(server, "/", "192.0.2.1, 10.0.3.2").statusCode());
    }

    @Test
    void withoutTrustProxyHeadersTheForwardedForHeaderIsIgnored() {
        try (TestServer untrusting = TestServer.start(LIMITED)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(untrusting, "/", "10.0.4." + i).statusCode());
            }
            // Another X-Forwarded-For, the same peer (127.0.0.1): the same, empty bucket.
            assertTooManyRequests(get(untrusting, "/", "10.0.4.99"));
            assertTooManyRequests(get(untrusting, "/", null));
        }
    }

    @Test
    void upgradeAfterABurstOfApiRequestsGets429OnTheWire() throws IOException {
        String from = "10.0.5.1";
        exhaust(server, from);
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("X-Forwarded-For", from))) {
            assertEquals(429, up.status(), up.head());
            assertNoUpgrade(up.head());
            assertTrue(header(up.head(), "retry-after") != null, up.head());
            JsonObject body = Api.json(up.body()).asJsonObject();
            assertFalse(body.getString("error").isBlank());
        }
        // The same upgrade from another address is accepted.
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("X-Forwarded-For", "10.0.5.2"))) {
            assertEquals(101, up.status(), up.head());
        }
    }

    @Test
    void upgradesTakeTokensFromTheBucketOfApiRequests() throws IOException {
        String from = "10.0.6.1";
        for (int i = 0; i < 3; i++) {
            try (RawUpgrade up = RawUpgrade.open(server.port(), "/ws", Map.of("X-Forwarded-For", from))) {
                assertEquals(101, up.status(), up.head());
            }
        }
        assertTooManyRequests(get(server, "/", from));
    }

    @Test
    void operationsEndpointsAreNeverLimited() {
        String from = "10.0.7.1";
        exhaust(server, from);
        assertTooManyRequests(get(server, "/", from));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, get(server, "/healthz", from).statusCode(), "healthz #" + (i + 1));
        }
        for (String path : new String[] {"/readyz", "/metrics", "/version"}) {
            assertEquals(200, get(server, path, from).statusCode(), path);
        }
        assertTooManyRequests(get(server, "/", from));
    }

    @Test
    void limitingCountsInMetrics() {
        double before = rateLimitedMetric();
        String from = "10.0.8.1";
        exhaust(server, from);
        assertTooManyRequests(get(server, "/", from));
        assertTooManyRequests(get(server, "/", from));
        double after = rateLimitedMetric();
        assertEquals(before + 2, after, 0.0001, "goctopus_rate_limited_total");
    }

    // --- the limiter itself ------------------------------------------------------------------

    @Test
    void idleBucketsAreEvicted() {
        RateLimiter limiter = new RateLimiter(1, 3);
        for (int i = 0; i < 50; i++) {
            assertTrue(limiter.acquire("198.51.100." + i).allowed());
        }
        assertEquals(50, limiter.size());
        limiter.evictFull(System.nanoTime()); // just used: not full again yet (3 s to refill)
        assertEquals(50, limiter.size());
        limiter.evictFull(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        assertEquals(0, limiter.size());
        // An evicted address starts with a full bucket again.
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("198.51.100.1").allowed());
        }
        assertFalse(limiter.acquire("198.51.100.1").allowed());
    }

    @Test
    void offLimiterKeepsNoBuckets() {
        RateLimiter off = new RateLimiter(0, 0);
        for (int i = 0; i < 100; i++) {
            assertTrue(off.acquire("198.51.100." + i).allowed());
        }
        assertEquals(0, off.size());
    }

    // --- helpers -----------------------------------------------------------------------------

    private static void exhaust(TestServer target, String from) {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(target, "/", from).statusCode(), "request " + (i + 1) + " of the burst");
        }
    }

    private static void assertTooManyRequests(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r::body);
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "no Retry-After");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "content type " + r.headers().firstValue("Content-Type"));
        assertFalse(Api.json(r.body()).asJsonObject().getString("error").isBlank());
    }

    private static void assertNoUpgrade(String head) {
        assertFalse(head.startsWith("HTTP/1.1 101"), head);
        assertEquals(null, header(head, "upgrade"), head);
        assertEquals(null, header(head, "sec-websocket-accept"), head);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static double rateLimitedMetric() {
        String text = get(server, "/metrics", null).body();
        String prefix = "goctopus_rate_limited_total ";
        return text.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "in\n" + text));
    }

    /** GET with Basic auth, as the client at {@code forwardedFor} (null: no header). */
    private static HttpResponse<String> get(TestServer target, String path, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.http(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", BASIC).GET();
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
