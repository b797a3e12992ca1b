package org.goctopus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend API (SPEC §3) over real HTTP: the default settings' server (shared
 * with the other classes that use them: {@link ServerExtension}), one "limits"
 * server (small WS_MAX_MESSAGE_SIZE, WS_MAX_PENDING, WS_MAX_QUEUED_BYTES) started
 * on first use, and short-lived servers for the credential configurations.
 */
class ApiTest {

    private static final Pattern RFC3339_MILLIS =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})");
    private static final int SMALL_MAX_MESSAGE_SIZE = 1024;

    @RegisterExtension
    static final ServerExtension app = new ServerExtension();
    static TestServer server;
    static Api api;
    private static TestServer limits;

    @BeforeAll
    static void start() {
        server = app.server();
        api = app.api();
    }

    @AfterAll
    static void stop() {
        if (limits != null) {
            limits.close();
        }
    }

    @BeforeEach
    void empty() {
        if (limits != null) {
            assertEquals(200, limits.api().delete("/").statusCode());
        }
    }

    /** A second server with small limits, shared by the tests that need it. */
    private static synchronized TestServer limits() {
        if (limits == null) {
            limits = TestServer.start(Map.of(
                    "WS_MAX_MESSAGE_SIZE", Integer.toString(SMALL_MAX_MESSAGE_SIZE),
                    "WS_MAX_PENDING", "3",
                    "WS_MAX_QUEUED_BYTES", "100"));
        }
        return limits;
    }

    // ---- helpers

    private static JsonObject object(HttpResponse<String> r) {
        return Api.json(r.body()).asJsonObject();
    }

    private static JsonArray array(HttpResponse<String> r) {
        return Api.json(r.body()).asJsonArray();
    }

    private static List<String> strings(JsonArray a) {
        List<String> list = new ArrayList<>();
        a.forEach(v -> list.add(((jakarta.json.JsonString) v).getString()));
        return list;
    }

    /** Asserts {@code status} with a JSON {@code {"error": "..."}} body. */
    private static void assertError(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> "body: " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "content type " + r.headers().firstValue("Content-Type"));
        JsonObject body = object(r);
        assertFalse(body.getString("error").isEmpty());
    }

    private static void assertBadRequest(String body) {
        assertBadRequest(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBadRequest(byte[] body) {
        HttpResponse<String> r = api.send("POST", "/", HttpRequest.BodyPublishers.ofByteArray(body),
                "application/json");
        assertTrue(r.statusCode() < 500, () -> "a client error answered " + r.statusCode() + " " + r.body());
        assertError(400, r);
        assertEquals("[]", api.get("/").body(), "a refused publish queued something");
    }

    private static List<String> queuedIds(Api on, String key) {
        List<String> ids = new ArrayList<>();
        array(on.get("/?key=" + key)).forEach(v -> ids.add(v.asJsonObject().getString("id")));
        return ids;
    }

    // ---- publish: accepted

    @Test
    void publishWithKeyAnswers202WithIdAndKeys() {
        HttpResponse<String> r = api.post("{\"key\":\"alice@example.com\",\"value\":{\"foo\":\"bar\"}}");
        assertEquals(202, r.statusCode(), r.body());
        JsonObject body = object(r);
        UUID.fromString(body.getString("id"));
        assertEquals(List.of("alice@example.com"), strings(body.getJsonArray("keys")));
        assertEquals(List.of(body.getString("id")), queuedIds(api, "alice@example.com"));
    }

    @Test
    void publishWithKeysDedupesAndIgnoresEmptyStrings() {
        HttpResponse<String> r = api.post("{\"key\":\"a\",\"keys\":[\"a\",\"\",\"b\",\"b\"],\"value\":1}");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(List.of("a", "b"), strings(object(r).getJsonArray("keys")));
        HttpResponse<String> only = api.post("{\"keys\":[\"c\",\"\",\"c\"],\"value\":1}");
        assertEquals(202, only.statusCode(), only.body());
        assertEquals(List.of("c"), strings(object(only).getJsonArray("keys")));
    }

    // ---- publish: 400

    @Test
    void malformedJsonIs400() {
        assertBadRequest("{\"key\":\"k\",\"value\":");
        assertBadRequest("{key: k}");
        assertBadRequest("{\"key\":\"k\",\"value\":1} trailing");
        assertBadRequest("{\"key\":\"k\",\"value\":1}{\"key\":\"k\",\"value\":2}");
    }

    @Test
    void bodyNotAnObjectIs400() {
        assertBadRequest("[{\"key\":\"k\",\"value\":1}]");
        assertBadRequest("\"k\"");
        assertBadRequest("42");
    }

    @Test
    void noKeyIs400() {
        assertBadRequest("{\"value\":1}");
        assertBadRequest("{\"key\":null,\"value\":1}");
    }

    @Test
    void keysNotAnArrayIs400() {
        assertBadRequest("{\"keys\":\"k\",\"value\":1}");
        assertBadRequest("{\"keys\":{\"k\":1},\"value\":1}");
    }

    @Test
    void keyNotAStringIs400() {
        assertBadRequest("{\"key\":5,\"value\":1}");
        assertBadRequest("{\"key\":[\"k\"],\"value\":1}");
        assertBadRequest("{\"keys\":[\"k\",5],\"value\":1}");
    }

    @Test
    void onlyEmptyKeysIs400() {
        assertBadRequest("{\"key\":\"\",\"value\":1}");
        assertBadRequest("{\"keys\":[\"\",\"\"],\"value\":1}");
        assertBadRequest("{\"keys\":[],\"value\":1}");
    }

    @Test
    void missingValueIs400() {
        assertBadRequest("{\"key\":\"k\"}");
    }

    @Test
    void nullValueIs400() {
        assertBadRequest("{\"key\":\"k\",\"value\":null}");
    }

    @Test
    void badExpireIs400() {
        for (String expire : List.of("\"abc\"", "\"-1s\"", "\"0\"", "30", "\"\"", "true")) {
            assertBadRequest("{\"key\":\"k\",\"value\":1,\"expire\":" + expire + "}");
        }
    }

    @Test
    void badMessageIdIs400() {
        for (String id : List.of("\"nope\"", "\"1-1-1-1-1\"", "42", "\"\"")) {
            assertBadRequest("{\"key\":\"k\",\"value\":1,\"message_id\":" + id + "}");
        }
    }

    @Test
    void invalidUtf8Is400() {
        byte[] prefix = "{\"key\":\"k\",\"value\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte ...
        body[prefix.length + 1] = (byte) 0x28; // ... followed by a non-continuation byte
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        assertBadRequest(body);
        assertBadRequest(new byte[] {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xFF, '"', '}'});
    }

    @Test
    void deeplyNestedJsonIs400() {
        assertBadRequest("[".repeat(100_000));
        assertBadRequest("{\"key\":\"k\",\"value\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
    }

    @Test
    void emptyBodyIs400() {
        assertBadRequest("");
        assertBadRequest("   ");
    }

    // ---- publish: 413

    @Test
    void bodyOverMaxMessageSizeWithContentLengthIs413() {
        Api small = limits().api();
        String body = "{\"key\":\"k\",\"value\":\"" + "x".repeat(4 * SMALL_MAX_MESSAGE_SIZE) + "\"}";
        HttpResponse<String> r = small.send("POST", "/", HttpRequest.BodyPublishers.ofString(body),
                "application/json");
        assertError(413, r);
        assertEquals("[]", small.get("/").body());
        // A body just under the limit passes the size check (and then meets this server's
        // WS_MAX_QUEUED_BYTES=100, hence 503 rather than 413).
        String fits = "{\"key\":\"k\",\"value\":\"" + "x".repeat(SMALL_MAX_MESSAGE_SIZE - 40) + "\"}";
        assertTrue(fits.length() <= SMALL_MAX_MESSAGE_SIZE);
        assertError(503, small.post(fits));
    }

    @Test
    void bodyOverMaxMessageSizeChunkedIs413() {
        Api small = limits().api();
        byte[] body = ("{\"key\":\"k\",\"value\":\"" + "x".repeat(4 * SMALL_MAX_MESSAGE_SIZE) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no known length: the JDK client sends it chunked, without Content-Length.
        HttpResponse<String> r = small.send("POST", "/",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), "application/json");
        assertError(413, r);
        assertEquals("[]", small.get("/").body());
        // A small chunked body is read normally.
        byte[] fits = "{\"key\":\"k\",\"value\":1}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> ok = small.send("POST", "/",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fits)), "application/json");
        assertEquals(202, ok.statusCode(), ok.body());
    }

    // ---- auth

    @Test
    void noCredentialsIs401WithChallenge() {
        HttpResponse<String> r = api.as(null, null).get("/");
        assertError(401, r);
        assertEquals("Basic realm=\"goctopus\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
        HttpResponse<String> post = api.as(null, null).post("{\"key\":\"k\",\"value\":1}");
        assertError(401, post);
        assertEquals("[]", api.get("/").body());
    }

    @Test
    void wrongCredentialsAre403() {
        assertError(403, api.as(TestServer.LOGIN, "wrong").get("/"));
        assertError(403, api.as("someone", TestServer.PASSWORD).get("/"));
        assertError(403, api.as(TestServer.LOGIN, "wrong").post("{\"key\":\"k\",\"value\":1}"));
        assertError(403, api.as(TestServer.LOGIN, "wrong").delete("/"));
        assertEquals("[]", api.get("/").body());
    }

    @Test
    void credentialsAreCheckedBeforeTheMethod() {
        HttpResponse<String> anonymous = api.as(null, null)
                .send("PUT", "/", HttpRequest.BodyPublishers.ofString("{}"), "application/json");
        assertError(401, anonymous);
        assertEquals("Basic realm=\"goctopus\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        assertError(403, api.as(TestServer.LOGIN, "wrong")
                .send("PUT", "/", HttpRequest.BodyPublishers.ofString("{}"), "application/json"));
        assertError(405, api.send("PUT", "/", HttpRequest.BodyPublishers.ofString("{}"), "application/json"));
    }

    /** Every refused method gets the same answer: Allow lists what the path accepts, and only that. */
    @Test
    void everyOtherMethodIs405WithTheSameAllowAndMessage() {
        for (String method : List.of("HEAD", "OPTIONS", "PUT", "PATCH")) {
            HttpResponse<String> answer = api.send(method, "/", HttpRequest.BodyPublishers.ofString("{}"),
                    "application/json");
            assertEquals(405, answer.statusCode(), method);
            assertEquals("DELETE, GET, POST", answer.headers().firstValue("Allow").orElse(null), method);
            if (!method.equals("HEAD")) {
                assertEquals("method not allowed: use DELETE, GET, POST",
                        Api.json(answer.body()).asJsonObject().getString("error"), method);
            }
        }
        HttpResponse<String> probe = api.send("PUT", "/healthz", HttpRequest.BodyPublishers.ofString("{}"),
                "application/json");
        assertEquals(405, probe.statusCode());
        String allow = probe.headers().firstValue("Allow").orElseThrow();
        assertEquals("method not allowed: use " + allow, Api.json(probe.body()).asJsonObject().getString("error"));
    }

    /** A browser's own request for /favicon.ico must not make it prompt for the API's credentials. */
    @Test
    void faviconIsAPlain404WithoutAChallenge() {
        HttpResponse<String> answer = api.as(null, null).get("/favicon.ico");
        assertEquals(404, answer.statusCode());
        assertTrue(answer.headers().firstValue("WWW-Authenticate").isEmpty());
    }

    @Test
    void apiFailsClosedWithoutConfiguredCredentials() {
        try (TestServer closed = TestServer.start(Map.of("WS_LOGIN", "", "WS_PASSWORD", ""))) {
            Api anonymous = closed.api().as(null, null);
            HttpResponse<String> r = anonymous.get("/");
            assertError(401, r);
            assertEquals("Basic realm=\"goctopus\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
            assertError(401, anonymous.post("{\"key\":\"k\",\"value\":1}"));
            // Empty credentials do not open it either.
            assertError(401, closed.api().as("", "").get("/"));
            assertEquals(200, anonymous.get("/healthz").statusCode());
        }
    }

    @Test
    void apiIsOpenWithInsecureNoAuth() {
        try (TestServer open = TestServer.start(Map.of("WS_LOGIN", "", "WS_PASSWORD", "",
                "WS_INSECURE_NO_AUTH", "true"))) {
            Api anonymous = open.api().as(null, null);
            HttpResponse<String> r = anonymous.post("{\"key\":\"k\",\"value\":1}");
            assertEquals(202, r.statusCode(), r.body());
            assertEquals(List.of("k"), strings(array(anonymous.get("/"))));
        }
    }

    // ---- content type

    @Test
    void postWithoutContentTypeIsReadAsJson() {
        HttpResponse<String> r = api.send("POST", "/",
                HttpRequest.BodyPublishers.ofString("{\"key\":\"k\",\"value\":{\"a\":1}}"), null);
        assertEquals(202, r.statusCode(), r.body());
        JsonArray queued = array(api.get("/?key=k"));
        assertEquals(1, queued.size());
        assertEquals(Api.json("{\"a\":1}"), queued.getJsonObject(0).get("payload"));
    }

    @Test
    void postAsFormUrlencodedIsReadAsJson() {
        HttpResponse<String> r = api.send("POST", "/",
                HttpRequest.BodyPublishers.ofString("{\"key\":\"k\",\"value\":{\"a\":1}}"),
                "application/x-www-form-urlencoded");
        assertEquals(202, r.statusCode(), r.body());
        JsonArray queued = array(api.get("/?key=k"));
        assertEquals(1, queued.size());
        assertEquals(Api.json("{\"a\":1}"), queued.getJsonObject(0).get("payload"));
    }

    // ---- read

    @Test
    void getListsKeysHoldingMessages() {
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, array(api.get("/")));
        api.publish("{\"key\":\"a\",\"value\":1}");
        api.publish("{\"keys\":[\"b\",\"c\"],\"value\":2}");
        List<String> keys = strings(array(api.get("/")));
        keys.sort(null);
        assertEquals(List.of("a", "b", "c"), keys);
    }

    @Test
    void getKeyListsItsMessages() {
        String first = api.publish("{\"key\":\"k\",\"value\":{\"foo\":\"bar\"},\"expire\":\"1.5h\"}");
        String second = api.publish("{\"key\":\"k\",\"value\":[1,\"two\"]}");
        api.publish("{\"key\":\"other\",\"value\":3}");
        HttpResponse<String> r = api.get("/?key=k");
        assertEquals(200, r.statusCode());
        JsonArray queued = array(r);
        assertEquals(2, queued.size());
        JsonObject a = queued.getJsonObject(0);
        JsonObject b = queued.getJsonObject(1);
        assertEquals(first, a.getString("id"));
        assertEquals(Api.json("{\"foo\":\"bar\"}"), a.get("payload"));
        assertEquals("k", a.getString("key"));
        assertEquals("1.5h", a.getString("exp"));
        assertTrue(RFC3339_MILLIS.matcher(a.getString("date")).matches(), a.getString("date"));
        assertEquals(second, b.getString("id"));
        assertEquals(Api.json("[1,\"two\"]"), b.get("payload"));
        assertEquals("30m", b.getString("exp"));
        assertTrue(RFC3339_MILLIS.matcher(b.getString("date")).matches(), b.getString("date"));
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, array(api.get("/?key=nobody")));
    }

    @Test
    void presenceCountsLiveSockets() {
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, object(api.get("/?presence")));
        try (WsClient one = WsClient.connect(server.ws("/")); WsClient two = WsClient.connect(server.ws("/ws"))) {
            Await.until(() -> object(api.get("/?presence")).equals(Api.json("{\"k\":2}")));
            one.close();
            Await.until(() -> object(api.get("/?presence")).equals(Api.json("{\"k\":1}")));
        }
        Await.until(() -> object(api.get("/?presence")).equals(JsonValue.EMPTY_JSON_OBJECT));
    }

    // ---- delete

    @Test
    void deleteOneMessageThenNothing() {
        String id = api.publish("{\"key\":\"k\",\"value\":1}");
        String kept = api.publish("{\"key\":\"k\",\"value\":2}");
        HttpResponse<String> r = api.delete("/?key=k&id=" + id);
        assertEquals(200, r.statusCode());
        assertEquals(Api.json("{\"deleted\":1}"), object(r));
        assertEquals(Api.json("{\"deleted\":0}"), object(api.delete("/?key=k&id=" + id)));
        assertEquals(List.of(kept), queuedIds(api, "k"));
    }

    @Test
    void deleteKeyCountsItsMessages() {
        api.publish("{\"key\":\"k\",\"value\":1}");
        api.publish("{\"key\":\"k\",\"value\":2}");
        api.publish("{\"key\":\"other\",\"value\":3}");
        assertEquals(Api.json("{\"deleted\":2}"), object(api.delete("/?key=k")));
        assertEquals(Api.json("{\"deleted\":0}"), object(api.delete("/?key=k")));
        assertEquals(List.of("other"), strings(array(api.get("/"))));
    }

    @Test
    void deleteAllCountsEverything() {
        api.publish("{\"key\":\"a\",\"value\":1}");
        api.publish("{\"key\":\"b\",\"value\":2}");
        api.publish("{\"key\":\"b\",\"value\":3}");
        assertEquals(Api.json("{\"deleted\":3}"), object(api.delete("/")));
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, array(api.get("/")));
        assertEquals(Api.json("{\"deleted\":0}"), object(api.delete("/")));
    }

    @Test
    void deleteAllCountsEachTargetKeyOfAMessage() {
        api.publish("{\"keys\":[\"a\",\"b\"],\"value\":1}");
        assertEquals(Api.json("{\"deleted\":2}"), object(api.delete("/")));
    }

    @Test
    void deleteWithIdButNoKeyIs400() {
        String id = api.publish("{\"key\":\"k\",\"value\":1}");
        assertError(400, api.delete("/?id=" + id));
        assertEquals(List.of(id), queuedIds(api, "k"));
    }

    @Test
    void deleteWithBadUuidIs400() {
        String id = api.publish("{\"key\":\"k\",\"value\":1}");
        assertError(400, api.delete("/?key=k&id=nope"));
        assertError(400, api.delete("/?key=k&id=1-1-1-1-1"));
        assertEquals(List.of(id), queuedIds(api, "k"));
    }

    @Test
    void unknownParameterIs400AndDeletesNothing() {
        String id = api.publish("{\"key\":\"k\",\"value\":1}");
        assertError(400, api.delete("/?kye=k"));
        assertError(400, api.delete("/?key=k&idd=" + id));
        assertError(400, api.get("/?kye=k"));
        assertEquals(List.of(id), queuedIds(api, "k"));
    }

    // ---- message_id

    @Test
    void repostOfQueuedMessageIdReplacesItsValue() {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> first = api.post("{\"key\":\"k\",\"value\":\"old\",\"message_id\":\"" + id + "\"}");
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(id, object(first).getString("id"));
        HttpResponse<String> again = api.post("{\"key\":\"k\",\"value\":\"new\",\"expire\":\"1h\",\"message_id\":\""
                + id + "\"}");
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(id, object(again).getString("id"));
        JsonArray queued = array(api.get("/?key=k"));
        assertEquals(1, queued.size());
        assertEquals(id, queued.getJsonObject(0).getString("id"));
        assertEquals("new", queued.getJsonObject(0).getString("payload"));
        assertEquals("1h", queued.getJsonObject(0).getString("exp"));
    }

    @Test
    void repostOfQueuedMessageIdWithOtherKeysIs409() {
        String id = UUID.randomUUID().toString();
        api.publish("{\"key\":\"k\",\"value\":\"old\",\"message_id\":\"" + id + "\"}");
        assertError(409, api.post("{\"keys\":[\"k\",\"other\"],\"value\":\"new\",\"message_id\":\"" + id + "\"}"));
        assertError(409, api.post("{\"key\":\"other\",\"value\":\"new\",\"message_id\":\"" + id + "\"}"));
        JsonArray queued = array(api.get("/?key=k"));
        assertEquals(1, queued.size());
        assertEquals("old", queued.getJsonObject(0).getString("payload"));
        assertEquals(List.of("k"), strings(array(api.get("/"))));
    }

    @Test
    void messageIdIsFreeAgainAfterDelete() {
        String id = UUID.randomUUID().toString();
        api.publish("{\"key\":\"k\",\"value\":1,\"message_id\":\"" + id + "\"}");
        assertEquals(Api.json("{\"deleted\":1}"), object(api.delete("/?key=k&id=" + id)));
        HttpResponse<String> r = api.post("{\"key\":\"other\",\"value\":2,\"message_id\":\"" + id + "\"}");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(List.of(id), queuedIds(api, "other"));
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, array(api.get("/?key=k")));
    }

    // ---- paths

    @Test
    void unknownPathsAre404Json() {
        assertError(404, api.get("/nope"));
        assertError(404, api.get("/nope/deeper"));
        assertError(404, api.get("/ws"));
        assertError(404, api.send("POST", "/ws", HttpRequest.BodyPublishers.ofString("{\"key\":\"k\",\"value\":1}"),
                "application/json"));
    }

    @Test
    void unknownPathsWithoutCredentialsAreStill401() {
        assertError(401, api.as(null, null).get("/nope"));
        assertError(401, api.as(null, null).get("/ws"));
    }

    // ---- operations

    @Test
    void healthzAndReadyzAnswerWithoutCredentials() {
        Api anonymous = api.as(null, null);
        assertEquals(200, anonymous.get("/healthz").statusCode());
        assertEquals(200, anonymous.get("/readyz").statusCode());
    }

    @Test
    void metricsAnswerWithoutCredentials() {
        api.publish("{\"key\":\"k\",\"value\":1}");
        HttpResponse<String> r = api.as(null, null).get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("goctopus_messages_received_total"), r.body());
        assertTrue(r.body().contains("goctopus_connections"), r.body());
        assertTrue(api.metric("goctopus_messages_received_total") >= 1);
    }

    @Test
    void versionAnswersWithoutCredentials() {
        HttpResponse<String> r = api.as(null, null).get("/version");
        assertEquals(200, r.statusCode());
        String version = object(r).getString("version");
        assertNotNull(version);
        assertFalse(version.isBlank());
    }

    // ---- limits

    @Test
    void publishPastMaxQueuedBytesIs503AndKeepsWhatWasAccepted() {
        Api small = limits().api();
        String value = "\"" + "v".repeat(28) + "\""; // 30 bytes of JSON
        List<String> accepted = new ArrayList<>();
        HttpResponse<String> r;
        int n = 0;
        do {
            assertTrue(n < 10, "WS_MAX_QUEUED_BYTES=100 never refused");
            r = small.post("{\"key\":\"q" + n + "\",\"value\":" + value + "}");
            if (r.statusCode() == 202) {
                accepted.add(object(r).getString("id"));
            }
            n++;
        } while (r.statusCode() == 202);
        assertError(503, r);
        assertEquals(3, accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            assertEquals(List.of(accepted.get(i)), queuedIds(small, "q" + i));
        }
        // Deleting frees room again.
        small.delete("/?key=q0");
        assertEquals(202, small.post("{\"key\":\"q9\",\"value\":" + value + "}").statusCode());
    }

    @Test
    void maxPendingKeepsTheNewestAndCountsDropped() {
        Api small = limits().api();
        double before = small.metric("goctopus_messages_dropped_total");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(small.publish("{\"key\":\"p\",\"value\":" + i + "}"));
        }
        assertEquals(ids.subList(2, 5), queuedIds(small, "p"));
        List<Integer> values = new ArrayList<>();
        array(small.get("/?key=p")).forEach(v -> values.add(v.asJsonObject().getInt("payload")));
        assertEquals(Arrays.asList(3, 4, 5), values);
        assertEquals(2.0, small.metric("goctopus_messages_dropped_total") - before);
    }

    /**
     * {@code GET /?key=K&watch&after=N}, the console's view of a key's traffic: what was
     * accepted for the key and why each message left its queue, numbered, after the first
     * poll; with Basic auth like the rest of the API.
     */
    /**
     * A backend that sends requests and never reads their answers (HTTP/1.1 pipelining from a
     * stuck worker): the server's write of that client's answers blocks, and nobody else may
     * wait on it. On the Redis engine the answers of requests suspended on the store were
     * written on the Redis client's one I/O thread: that write blocked every Redis command of
     * the instance, and other backends' publishes got 503 until the write timed out.
     */
    @Test
    void aBackendThatNeverReadsItsAnswersHoldsUpNoOtherPublishOrDelivery() throws Exception {
        // Answers far larger than the kernel's buffers: the server's write blocks within a few.
        api.publish("{\"key\":\"big\",\"value\":\"" + "x".repeat(512 * 1024) + "\"}");
        try (Socket stuck = new Socket(); WsClient reader = WsClient.connect(server.ws("/"))) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            pipelineReadsOfBig(stuck, 200);
            // The first answers fill the buffers at once; from then on the server's write of
            // the next one is blocked for as long as this test runs.
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int rounds = 0;
            while (System.nanoTime() < end || rounds < 10) {
                String id = api.publish("{\"key\":\"k\",\"value\":" + rounds + "}");
                assertEquals(id, reader.next(Duration.ofSeconds(5)).getString("id"));
                reader.ack(id);
                rounds++;
            }
        }
    }

    /** Sends {@code count} GETs of key "big" on the socket from a thread of their own, never reading. */
    private static void pipelineReadsOfBig(Socket socket, int count) {
        byte[] get = ("GET /?key=big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + api.authorization()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Thread requests = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int n = 0; n < count; n++) {
                    out.write(get);
                }
                out.flush();
            } catch (IOException e) {
                // closed by the test's end
            }
        }, "pipelined-gets");
        requests.setDaemon(true);
        requests.start();
    }

    @Nested
    class Watch {

        private static JsonObject poll(Api api, String key, long after) {
            var reply = api.get("/?key=" + key + "&watch&after=" + after);
            assertEquals(200, reply.statusCode(), reply.body());
            return Api.json(reply.body()).asJsonObject();
        }

        /** The events of the watch after {@code after}, once there are {@code count}, as "event id". */
        private static List<String> awaitEvents(Api api, String key, long after, int count) {
            Await.until(() -> poll(api, key, after).getJsonArray("events").size() >= count);
            JsonArray events = poll(api, key, after).getJsonArray("events");
            return events.stream().map(e -> e.asJsonObject().getString("event") + " " + e.asJsonObject().getString("id"))
                    .toList();
        }

        @Test
        void aWatchSeesWhatIsAcceptedAndWhyEachMessageLeaves() {
            api.publish("{\"key\":\"fresh\",\"value\":0}");
            assertEquals(0, poll(api, "fresh", 0).getJsonArray("events").size(), "a watch sees only what follows its start");
            long start = poll(api, "k", 0).getJsonNumber("last").longValue();
            try (WsClient socket = WsClient.connect(server.ws("/"))) {
                String acked = api.publish("{\"key\":\"k\",\"value\":{\"hello\":\"world\"}}");
                String deleted = api.publish("{\"key\":\"k\",\"value\":\"" + "x".repeat(600) + "\"}");
                String expired = api.publish("{\"key\":\"k\",\"value\":3,\"expire\":\"1ms\"}");
                api.publish("{\"key\":\"someone-else\",\"value\":4}");
                socket.ack(acked);
                Await.until(() -> api.get("/?key=k").body().contains(deleted) && !api.get("/?key=k").body().contains(acked)
                        && !api.get("/?key=k").body().contains(expired));
                assertEquals("{\"deleted\":1}", api.delete("/?key=k&id=" + deleted).body());
                List<String> events = awaitEvents(api, "k", start, 6);
                assertEquals(List.of("published " + acked, "published " + deleted, "published " + expired),
                        events.subList(0, 3), events.toString());
                // The ACK and the expiry came in either order, both before the DELETE.
                assertEquals(Set.of("acknowledged " + acked, "expired " + expired), Set.copyOf(events.subList(3, 5)),
                        events.toString());
                assertEquals("deleted " + deleted, events.get(5));
                JsonArray all = poll(api, "k", start).getJsonArray("events");
                assertEquals("{\"hello\":\"world\"}", all.getJsonObject(0).get("payload").toString());
                assertFalse(all.getJsonObject(1).containsKey("payload"), "a large payload is kept as its size");
                assertEquals(602, all.getJsonObject(1).getInt("payload_bytes"));
                long last = poll(api, "k", start).getJsonNumber("last").longValue();
                assertEquals(0, poll(api, "k", last).getJsonArray("events").size(), "a poll after the last is empty");
            }
        }

        @Test
        void aWatchNeedsAKeyAndAnEventNumberAndTheApiCredentials() {
                    assertEquals(400, api.get("/?watch").statusCode());
            assertEquals(400, api.get("/?key=k&watch&after=soon").statusCode());
            assertEquals(401, api.as(null, null).get("/?key=k&watch").statusCode());
            assertTrue(api.get("/?key=k&watch").body().startsWith("{\"last\":"));
        }
    }
}
