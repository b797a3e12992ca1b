package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upgrades authorized by the proxy authorizer against a stub auth backend (SPEC §2):
 * the status of every refusal on the wire, what the backend is sent, the keys taken
 * from its answer, the Origin check, the in-flight cap, and that only a GET is an upgrade.
 */
class UpgradeAuthorizationTest {

    static final String GOOD_ORIGIN = "https://good.example";
    static final String ALICE = "{\"user\":{\"email\":\"a@x\"}}";

    static StubAuthServer stub;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() throws IOException {
        stub = new StubAuthServer();
        server = TestServer.proxiedTo(stub.url(), Map.of("WS_AUTH_TIMEOUT", "1s",
                "WS_ALLOWED_ORIGINS", GOOD_ORIGIN));
        api = server.api();
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
        api.delete("/");
        stub.answer(null);
        stub.forgetCalls();
    }

    // --- allowed -----------------------------------------------------------------------------

    @Test
    void upgradeSucceedsAndReceivesMessagesOfTheKeyFromTheAuthAnswer() {
        stub.answer(Answer.allow(ALICE));
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            String id = api.publish("{\"key\":\"a@x\",\"value\":{\"n\":1}}");
            JsonObject frame = client.next();
            assertEquals(id, frame.getString("id"));
            assertEquals(Api.json("{\"n\":1}"), frame.get("payload"));
            String other = api.publish("{\"key\":\"b@x\",\"value\":2}");
            client.assertNothingWithin(Duration.ofMillis(300));
            client.ack(id);
            Await.until(() -> api.get("/?key=a@x").body().equals("[]"));
            assertTrue(api.get("/?key=b@x").body().contains(other));
        }
    }

    @Test
    void wsPathIsAuthorizedLikeTheRoot() throws IOException {
        stub.answer(Answer.allow(ALICE));
        try (WsClient client = WsClient.connect(server.ws("/ws"))) {
            String id = api.publish("{\"key\":\"a@x\",\"value\":\"hi\"}");
            assertEquals(id, client.next().getString("id"));
        }
        stub.answer(Answer.status(401));
        assertRefused(server, "/ws", Map.of(), 401);
    }

    // --- the backend's status mapped to the upgrade's ------------------------------------------

    /** 401 and 403 pass through; 408, 429 and 5xx mean the backend is in trouble (503); other 4xx are 401. */
    @ParameterizedTest(name = "auth answers {0} -> upgrade refused with {1}")
    @CsvSource({"401, 401", "403, 403", "408, 503", "429, 503", "500, 503", "502, 503", "404, 401", "400, 401"})
    void upgradeRefusedWithTheStatusMappedFromTheAuthAnswer(int answered, int refused) throws IOException {
        assertRefusedWhenAuthAnswers(Answer.status(answered), refused);
    }

    @Test
    void upgradeRefusedWith503WhenAuthHangsPastTheTimeout() throws IOException {
        assertRefusedWhenAuthAnswers(Answer.hanging(), 503); // the backend never answers: the timeout did
    }

    @Test
    void upgradeRefusedWith503WhenAuthAnswersGarbage() throws IOException {
        assertRefusedWhenAuthAnswers(Answer.garbage(), 503);
    }

    /** SPEC: an auth answer larger than 64 KB is a 503, even one that names keys; it is not read whole. */
    @Test
    void upgradeRefusedWith503WhenTheAuthAnswerIsOver64Kb() throws IOException {
        assertRefusedWhenAuthAnswers(Answer.allow(answerOf(64 * 1024 + 1)), 503);
        assertRefusedWhenAuthAnswers(Answer.allow(answerOf(10 * 1024 * 1024)), 503);
    }

    @Test
    void anAuthAnswerOfExactly64KbIsRead() {
        String answer = answerOf(64 * 1024);
        assertEquals(64 * 1024, answer.length()); // ASCII: one byte per character
        stub.answer(Answer.allow(answer));
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            String id = api.publish("{\"key\":\"a@x\",\"value\":1}");
            assertEquals(id, client.next().getString("id"));
        }
    }

    /** An auth answer giving the key a@x, padded to exactly {@code bytes}. */
    private static String answerOf(int bytes) {
        String head = "{\"user\":{\"email\":\"a@x\",\"pad\":\"";
        String tail = "\"}}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    @Test
    void upgradeRefusedWith401WhenAuthJsonHasNoKey() throws IOException {
        assertRefusedWhenAuthAnswers(Answer.allow("{\"user\":{\"name\":\"alice\"}}"), 401);
    }

    @Test
    void upgradeRefusedWith401WhenAuthJsonHasOnlyEmptyKeys() throws IOException {
        assertRefusedWhenAuthAnswers(Answer.allow("{\"user\":{\"email\":\"\",\"organization_name\":\"\"}}"), 401);
    }

    @Test
    void upgradeRefusedWith503WhenAuthIsDown() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (TestServer down = TestServer.proxiedTo("http://127.0.0.1:" + closedPort + "/auth",
                Map.of("WS_AUTH_TIMEOUT", "1s"))) {
            assertRefused(down, "/", Map.of("Cookie", "s=1"), 503);
        }
    }

    @Test
    void upgradeRefusalCountsInAuthFailuresMetric() throws IOException {
        double before = authFailures("401");
        assertRefusedWhenAuthAnswers(Answer.status(401), 401);
        assertEquals(before + 1, authFailures("401"), 0.0001);
        double before503 = authFailures("503");
        assertRefusedWhenAuthAnswers(Answer.status(500), 503);
        assertEquals(before503 + 1, authFailures("503"), 0.0001);
    }

    // --- what the auth backend is sent --------------------------------------------------------

    @Test
    void authBackendGetsClientHeadersButNotHopByHopOrWebsocketOnes() throws Exception {
        stub.answer(Answer.allow(ALICE));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cookie", "session=abc");
        headers.put("Authorization", "Bearer tok");
        headers.put("X-Custom", "hello");
        headers.put("Accept-Encoding", "gzip, deflate, br");
        headers.put("Sec-WebSocket-Extensions", "permessage-deflate");
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/ws?token=abc", headers)) {
            assertEquals(101, up.status(), up.head());
        }
        Headers sent = stub.nextCall();
        assertEquals(List.of("session=abc"), sent.get("Cookie"));
        assertEquals(List.of("Bearer tok"), sent.get("Authorization"));
        assertEquals(List.of("hello"), sent.get("X-Custom"));
        for (String name : sent.keySet()) {
            assertFalse(name.toLowerCase(Locale.ROOT).startsWith("sec-websocket-"), "forwarded " + name);
        }
        assertNull(sent.get("Upgrade"), "Upgrade forwarded");
        String connection = sent.getFirst("Connection");
        assertFalse(connection != null && connection.toLowerCase(Locale.ROOT).contains("upgrade"),
                "Connection forwarded: " + connection);
        assertNotEquals("gzip, deflate, br", sent.getFirst("Accept-Encoding"));
        assertNotEquals("127.0.0.1:" + server.port(), sent.getFirst("Host"));
        assertEquals(List.of("/ws?token=abc"), sent.get("X-Original-URI"));
        assertEquals(List.of("127.0.0.1"), sent.get("X-Forwarded-For"));
    }

    @Test
    void originalUriIsTheUpgradePathAndQueryEvenWhenTheClientSendsOne() throws Exception {
        stub.answer(Answer.allow(ALICE));
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/?token=abc&x=1",
                Map.of("X-Original-URI", "/admin?evil=1"))) {
            assertEquals(101, up.status(), up.head());
        }
        assertEquals(List.of("/?token=abc&x=1"), stub.nextCall().get("X-Original-URI"));
    }

    @Test
    void forwardedForIsTheClientChainWithThePeerAppendedLast() throws Exception {
        stub.answer(Answer.allow(ALICE));
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/",
                Map.of("X-Forwarded-For", "10.0.0.1, 10.0.0.2"))) {
            assertEquals(101, up.status(), up.head());
        }
        assertEquals(List.of("10.0.0.1, 10.0.0.2, 127.0.0.1"), stub.nextCall().get("X-Forwarded-For"));
    }

    // --- Origin ----------------------------------------------------------------------------------

    @Test
    void upgradeRefusedWith403FromAForeignOriginWithoutAskingAuth() throws IOException {
        stub.answer(Answer.allow(ALICE));
        assertRefused(server, "/", Map.of("Origin", "https://evil.example"), 403);
        assertEquals(0, stub.callsSoFar());
    }

    @Test
    void upgradeFromAnAllowedOriginIsAccepted() throws IOException {
        stub.answer(Answer.allow(ALICE));
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("Origin", GOOD_ORIGIN))) {
            assertEquals(101, up.status(), up.head());
        }
    }

    @Test
    void upgradeWithoutOriginIsAccepted() throws IOException {
        stub.answer(Answer.allow(ALICE));
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, up.status(), up.head());
        }
    }

    // --- only a GET is an upgrade -----------------------------------------------------------------

    @Test
    void postWithUpgradeHeaderNeedsBasicAuthAndPublishesNothing() throws IOException {
        stub.answer(Answer.allow(ALICE));
        String id = api.publish("{\"key\":\"a@x\",\"value\":1}");
        try (RawUpgrade up = RawUpgrade.open(server.port(), "POST", "/", Map.of("Cookie", "s=1"))) {
            assertEquals(401, up.status(), up.head());
            assertNoUpgrade(up.head());
        }
        assertEquals(0, stub.callsSoFar());
        assertEquals("[\"a@x\"]", api.get("/").body());
        assertTrue(api.get("/?key=a@x").body().contains(id));
    }

    @Test
    void deleteWithUpgradeHeaderNeedsBasicAuthAndDeletesNothing() throws IOException {
        stub.answer(Answer.allow(ALICE));
        String id = api.publish("{\"key\":\"a@x\",\"value\":1}");
        try (RawUpgrade up = RawUpgrade.open(server.port(), "DELETE", "/", Map.of("Cookie", "s=1"))) {
            assertEquals(401, up.status(), up.head());
            assertNoUpgrade(up.head());
        }
        assertEquals(0, stub.callsSoFar());
        assertTrue(api.get("/?key=a@x").body().contains(id));
    }

    @Test
    void getWithAnUpgradeValueThatIsNotTheWebsocketTokenNeedsBasicAuth() throws IOException {
        // Not an upgrade for the container, so not one for the service either: a user the
        // auth backend allows must not reach the API without Basic auth this way.
        stub.answer(Answer.allow(ALICE));
        String id = api.publish("{\"key\":\"b@x\",\"value\":1}");
        String response = rawExchange(server.port(), "GET /?key=b@x HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Upgrade: websocketx\r\nConnection: Upgrade, close\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Cookie: session=abc\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 401"), response);
        assertFalse(response.contains(id), "queued message leaked without Basic auth: " + response);
    }

    // --- WS_AUTH_KEYS ----------------------------------------------------------------------------

    @Nested
    class CustomKeyPointers {

        static StubAuthServer keysStub;
        static TestServer keysServer;
        static Api keysApi;

        @BeforeAll
        static void start() throws IOException {
            keysStub = new StubAuthServer();
            keysServer = TestServer.proxiedTo(keysStub.url(), Map.of("WS_AUTH_TIMEOUT", "1s",
                    "WS_AUTH_KEYS", "/account/id,/account/groups,/account/name"));
            keysApi = keysServer.api();
        }

        @AfterAll
        static void stop() {
            if (keysServer != null) {
                keysServer.close();
            }
            if (keysStub != null) {
                keysStub.close();
            }
        }

        @BeforeEach
        void reset() {
            keysApi.delete("/");
            keysStub.forgetCalls();
        }

        @Test
        void numberBecomesItsDecimalText() {
            keysStub.answer(Answer.allow("{\"account\":{\"id\":42}}"));
            assertReceives(keysServer, keysApi, "42");
        }

        @Test
        void arrayOfStringsGivesSeveralKeysAndEmptyStringsAreSkipped() throws IOException {
            keysStub.answer(Answer.allow("{\"account\":{\"id\":7,\"groups\":[\"g1\",\"\",\"g2\"],\"name\":\"\"}}"));
            assertReceives(keysServer, keysApi, "7", "g1", "g2");
            keysApi.delete("/");
            // the empty strings gave no key: a message to another key does not arrive
            try (WsClient client = WsClient.connect(keysServer.ws("/"))) {
                keysApi.publish("{\"key\":\"other\",\"value\":0}");
                client.assertNothingWithin(Duration.ofMillis(300));
            }
        }

        @Test
        void customPointersReplaceTheDefaults() throws IOException {
            keysStub.answer(Answer.allow(ALICE));
            assertRefused(keysServer, "/", Map.of(), 401);
        }

        @Test
        void onlyEmptyStringsGiveNoKeyAnd401() throws IOException {
            keysStub.answer(Answer.allow("{\"account\":{\"groups\":[\"\"],\"name\":\"\"}}"));
            assertRefused(keysServer, "/", Map.of(), 401);
        }
    }

    // --- WS_AUTH_MAX_INFLIGHT ---------------------------------------------------------------------

    @Test
    void upgradePastMaxInflightIsRefusedWith503AtOnce() throws Exception {
        StubAuthServer hanging = new StubAuthServer().answer(Answer.hanging());
        try (hanging; TestServer capped = TestServer.proxiedTo(hanging.url(), Map.of("WS_AUTH_TIMEOUT", "5s",
                "WS_AUTH_MAX_INFLIGHT", "1"))) {
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
                try (RawUpgrade up = RawUpgrade.open(capped.port(), "/", Map.of())) {
                    return up.status();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            hanging.nextCall(); // the first upgrade now holds the only slot
            assertRefused(capped, "/", Map.of(), 503);
            // Refused at once: the first upgrade still holds the slot, its call still hanging.
            assertFalse(first.isDone(), "the first upgrade was answered before its auth call ended");
            assertEquals(0, hanging.callsSoFar(), "the refused upgrade still called the auth backend");
            // Closing the stub releases the first call: it gets the stub's late answer (a 200
            // without keys: 401) or, when the stub stops first, a dropped connection (503).
            hanging.close();
            int status = first.get(20, TimeUnit.SECONDS);
            assertTrue(status == 401 || status == 503, "first upgrade answered " + status);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static void assertRefusedWhenAuthAnswers(Answer answer, int status) throws IOException {
        stub.answer(answer);
        assertRefused(server, "/", Map.of("Cookie", "session=abc"), status);
    }

    /** A refused upgrade: the status, no 101 and no Upgrade header, and a JSON error body. */
    static void assertRefused(TestServer target, String path, Map<String, String> headers, int status)
            throws IOException {
        try (RawUpgrade up = RawUpgrade.open(target.port(), path, headers)) {
            assertEquals(status, up.status(), up.head());
            assertNoUpgrade(up.head());
            String body = up.body();
            JsonValue error = Api.json(body).asJsonObject().get("error");
            assertTrue(error instanceof JsonString s && !s.getString().isBlank(), "body " + body);
        }
    }

    static void assertNoUpgrade(String head) {
        assertFalse(head.startsWith("HTTP/1.1 101"), head);
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            assertFalse(lower.startsWith("upgrade:"), head);
            assertFalse(lower.startsWith("sec-websocket-accept:"), head);
        }
    }

    /** A socket of the stub's current identity receives messages posted to each of {@code keys}. */
    static void assertReceives(TestServer target, Api targetApi, String... keys) {
        try (WsClient client = WsClient.connect(target.ws("/"))) {
            Set<String> ids = new HashSet<>();
            for (String key : keys) {
                ids.add(targetApi.publish("{\"key\":\"" + key + "\",\"value\":\"" + key + "\"}"));
            }
            Set<String> got = new HashSet<>();
            for (JsonObject frame : client.next(keys.length)) {
                got.add(frame.getString("id"));
            }
            assertEquals(ids, got);
        }
    }

    /** Writes {@code request} on a plain socket and reads until the server closes it. */
    private static String rawExchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static double authFailures(String status) {
        String text = api.get("/metrics").body();
        String prefix = "goctopus_auth_failures_total{status=\"" + status + "\"} ";
        return text.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + prefix + "in\n" + text));
    }
}
