package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sockets with different keys (the proxy authorizer and a stub auth backend): who gets what, and ACKs. */
class FanOutTest {

    static StubAuthServer auth;
    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() throws IOException {
        auth = new StubAuthServer();
        server = TestServer.proxiedTo(auth.url(), Map.of());
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        auth.close();
    }

    @BeforeEach
    void empty() {
        api.delete("/");
    }

    @AfterEach
    void defaultAnswer() {
        auth.answer(null);
    }

    /** A socket whose one key is {@code key}. */
    private static WsClient socket(String key) {
        return WsClient.connect(server.ws("/"), Map.of("X-Test-Keys", key));
    }

    /** A socket holding two keys: the auth backend answers with an email and an organization. */
    private static WsClient socket(String email, String organization) {
        auth.answer(Answer.allow("{\"user\":{\"email\":\"" + email + "\",\"organization_name\":\"" + organization
                + "\"}}"));
        try {
            return WsClient.connect(server.ws("/"));
        } finally {
            auth.answer(null);
        }
    }

    private static JsonArray queued(String key) {
        return Api.json(api.get("/?key=" + key).body()).asJsonArray();
    }

    private static int presence(String key) {
        JsonObject p = Api.json(api.get("/?presence").body()).asJsonObject();
        return p.containsKey(key) ? p.getInt(key) : 0;
    }

    /** Proves that none of the clients received anything more: one quiet period shared by all. */
    private static void nothingMore(WsClient... clients) {
        clients[0].assertNothingWithin(Duration.ofMillis(300));
        for (int i = 1; i < clients.length; i++) {
            clients[i].assertNothingWithin(Duration.ofMillis(1));
        }
    }

    @Test
    void everySocketOfAKeyGetsTheMessageOnce() {
        try (WsClient a = socket("org.acme"); WsClient b = socket("org.acme"); WsClient c = socket("org.acme");
             WsClient stranger = socket("org.other")) {
            Await.until(() -> presence("org.acme") == 3);
            String id = api.publish("{\"key\":\"org.acme\",\"value\":\"all\"}");
            for (WsClient s : new WsClient[] {a, b, c}) {
                JsonObject frame = s.next();
                assertEquals(id, frame.getString("id"));
                assertEquals("all", frame.getString("payload"));
            }
            nothingMore(a, b, c, stranger);
        }
    }

    @Test
    void aSocketMatchingSeveralTargetKeysGetsTheMessageOnce() {
        try (WsClient both = socket("a@x", "org.ab"); WsClient onlyA = socket("a@x")) {
            String id = api.publish("{\"keys\":[\"a@x\",\"org.ab\"],\"value\":{\"n\":1}}");
            assertEquals(id, both.next().getString("id"));
            assertEquals(id, onlyA.next().getString("id"));
            nothingMore(both, onlyA);
        }
    }

    @Test
    void anAckRemovesTheMessageForTheKeyAndLaterSocketsOfItDoNotGetIt() {
        try (WsClient first = socket("shared"); WsClient second = socket("shared")) {
            String id = api.publish("{\"key\":\"shared\",\"value\":\"x\"}");
            assertEquals(id, first.next().getString("id"));
            assertEquals(id, second.next().getString("id"));
            first.ack(id);
            Await.until(() -> queued("shared").isEmpty());
            nothingMore(first, second);
        }
        try (WsClient later = socket("shared")) {
            later.assertNothingWithin(Duration.ofMillis(300));
        }
    }

    @Test
    void anAckKeepsTheCopyOfTargetKeysTheSocketDoesNotMatch() {
        String id;
        try (WsClient k = socket("shared")) {
            id = api.publish("{\"keys\":[\"shared\",\"other\"],\"value\":\"both\"}");
            assertEquals(id, k.next().getString("id"));
            k.ack(id);
            Await.until(() -> queued("shared").isEmpty());
        }
        JsonArray other = queued("other");
        assertEquals(1, other.size(), other.toString());
        assertEquals(id, other.getJsonObject(0).getString("id"));
        try (WsClient o = socket("other")) {
            assertEquals(id, o.next().getString("id"));
            o.assertNothingWithin(Duration.ofMillis(300));
        }
        try (WsClient k = socket("shared")) {
            k.assertNothingWithin(Duration.ofMillis(300));
        }
    }

    @Test
    void aWildcardKeyGetsMatchingKeysOnly() {
        try (WsClient wild = socket("org.*")) {
            api.publish("{\"key\":\"org/x\",\"value\":\"slash\"}");
            api.publish("{\"key\":\"other\",\"value\":\"other\"}");
            String id = api.publish("{\"key\":\"org.sales\",\"value\":\"sales\"}");
            JsonObject frame = wild.next();
            assertEquals(id, frame.getString("id"));
            assertEquals("sales", frame.getString("payload"));
            wild.assertNothingWithin(Duration.ofMillis(300));
            wild.ack(id);
            Await.until(() -> queued("org.sales").isEmpty());
            assertEquals(1, queued("org/x").size());
            assertEquals(1, queued("other").size());
        }
    }

    @Test
    void aWildcardSocketGetsTheBacklogOfEveryMatchingKeyOldestFirst() {
        String one = api.publish("{\"key\":\"org.b\",\"value\":1}");
        api.publish("{\"key\":\"org/b\",\"value\":2}");
        String three = api.publish("{\"key\":\"org.a\",\"value\":3}");
        try (WsClient wild = socket("org.*")) {
            assertEquals(one, wild.next().getString("id"));
            assertEquals(three, wild.next().getString("id"));
            wild.assertNothingWithin(Duration.ofMillis(300));
        }
    }
}
