package org.goctopus.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a browser loads without credentials (SPEC §3), over HTTP: the client's three files,
 * the console and its headers (only with WS_CONSOLE), and the why endpoint: its answer
 * per client, from the refusal recorded (no second auth call), cross-origin, rate limited.
 */
@Timeout(60)
class PublicFilesTest {

    private static final String APP_ORIGIN = "https://app.example";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StubAuthServer auth;
    private static TestServer service;

    @BeforeAll
    static void start() throws IOException {
        auth = new StubAuthServer();
        service = TestServer.proxiedTo(auth.url(), Map.of("WS_CONSOLE", "true", "WS_ALLOWED_ORIGINS", APP_ORIGIN));
    }

    @AfterAll
    static void stop() {
        service.close();
        auth.close();
    }

    @BeforeEach
    void reset() {
        auth.answer(null);
        auth.forgetCalls();
    }

    private static HttpResponse<String> get(TestServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theClientIsServedWithoutCredentialsToAnyOriginWithAnETag() throws Exception {
        HttpResponse<String> script = get(service, "/goctopus.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript;charset=utf-8", script.headers().firstValue("Content-Type").orElse("")
                .replace(" ", ""));
        assertEquals("*", script.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("nosniff", script.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(Files.readString(Path.of("webapp/goctopus.js")), script.body());
        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get(service, "/goctopus.js", "If-None-Match", etag).statusCode());

        HttpResponse<String> module = get(service, "/goctopus.mjs");
        assertEquals(200, module.statusCode());
        assertTrue(module.body().startsWith(script.body()), "the module is the script with its exports");
        assertTrue(module.body().endsWith("export const connect = Goctopus.connect;\n"), module.body());
        assertEquals(Files.readString(Path.of("webapp/goctopus.d.ts")), get(service, "/goctopus.d.ts").body());
    }

    @Test
    void otherMethodsOnPublicFilesAre405() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(service.http("/goctopus.js"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("{\"error\":\"method not allowed\"}", post.body());
    }

    @Test
    void theConsoleHasAStrictContentSecurityPolicyAndNoFraming() throws Exception {
        HttpResponse<String> page = get(service, "/console/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Goctopus console</title>"));
        assertEquals(PublicFiles.CONSOLE_POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals(PublicFiles.CONSOLE_POLICY,
                get(service, "/console/console.js").headers().firstValue("Content-Security-Policy").orElse(""));
        HttpResponse<String> bare = get(service, "/console");
        assertEquals(302, bare.statusCode());
        assertTrue(bare.headers().firstValue("Location").orElse("").endsWith("/console/"));
        assertEquals(404, get(service, "/console/missing.js").statusCode());
    }

    @Test
    void theConsoleIsOffByDefault() throws Exception {
        try (TestServer plain = TestServer.start()) {
            HttpResponse<String> page = get(plain, "/console/");
            assertEquals(404, page.statusCode());
            assertEquals("{\"error\":\"not found: the console is off (WS_CONSOLE)\"}", page.body());
            assertEquals(200, get(plain, "/goctopus.js").statusCode(), "the client is always served");
        }
    }

    private static int upgrade(String cookie) throws IOException {
        try (RawUpgrade upgrade = RawUpgrade.open(service.port(), "/", Map.of("Cookie", cookie))) {
            return upgrade.status();
        }
    }

    @Test
    void whyAnswersTheRefusalOfTheSameClientWithoutASecondAuthCall() throws Exception {
        auth.answer(StubAuthServer.Answer.status(401));
        assertEquals(401, upgrade("session=expired"));
        assertEquals("{\"refused\":true,\"status\":401,\"error\":\"unauthorized\",\"retry_after\":0}",
                get(service, "/why", "Cookie", "session=expired").body());
        assertEquals("{\"refused\":false}", get(service, "/why", "Cookie", "session=other").body(),
                "another client's refusal is not this one's");
        assertEquals(1, auth.callsSoFar(), "the why endpoint called nobody");

        auth.answer(StubAuthServer.Answer.status(503));
        assertEquals(503, upgrade("session=expired"));
        assertTrue(get(service, "/why", "Cookie", "session=expired").body().contains("\"status\":503"));

        auth.answer(null);
        assertEquals(101, upgrade("keys=alice"));
        auth.answer(StubAuthServer.Answer.allow("{\"user\":{\"email\":\"bob\"}}"));
        assertEquals(101, upgrade("session=expired"));
        assertEquals("{\"refused\":false}", get(service, "/why", "Cookie", "session=expired").body(),
                "an allowed upgrade clears the client's refusal");
    }

    @Test
    void whyAnswersAllowedOriginsWithCredentialsAndForeignOnesOnlyThatTheyAreNot() throws Exception {
        HttpResponse<String> allowed = get(service, "/why", "Origin", APP_ORIGIN);
        assertEquals(APP_ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("true", allowed.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
        assertEquals("{\"refused\":false}", allowed.body());
        auth.answer(StubAuthServer.Answer.status(401));
        assertEquals(401, upgrade("session=foreign"));
        HttpResponse<String> foreign = get(service, "/why", "Origin", "https://evil.example", "Cookie",
                "session=foreign");
        assertEquals("{\"refused\":true,\"status\":403,\"error\":\"origin not allowed\",\"retry_after\":0}",
                foreign.body(), "computed from the Origin, never the client's own refusal");
    }

    /** On a server of its own: the bucket it empties is the test JVM's address. */
    @Test
    void whyIsRateLimitedPerAddress() throws Exception {
        try (TestServer own = TestServer.start()) {
            int limited = 0;
            for (int i = 0; i < 40 && limited == 0; i++) {
                HttpResponse<String> answer = get(own, "/why");
                if (answer.statusCode() == 429) {
                    limited++;
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent());
                }
            }
            assertEquals(1, limited, "a burst of why requests is refused past the endpoint's own limit");
            assertEquals(405, HTTP.send(HttpRequest.newBuilder(own.http("/why"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }
}
