package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import java.time.Duration;
import java.util.Map;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WS_MSG_EXPIRE is the lifetime of a message posted without "expire". */
class ExpiryTest {

    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("WS_MSG_EXPIRE", "700ms"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonArray queued(String key) {
        return Api.json(api.get("/?key=" + key).body()).asJsonArray();
    }

    @Test
    void defaultExpiryAppliesToAMessagePostedWithoutExpire() {
        String id = api.publish("{\"key\":\"k\",\"value\":\"default\"}");
        String kept = api.publish("{\"key\":\"k\",\"value\":\"kept\",\"expire\":\"1m\"}");
        JsonArray before = queued("k");
        assertEquals(id, before.getJsonObject(0).getString("id"), before.toString());
        assertEquals("700ms", before.getJsonObject(0).getString("exp"));
        Await.until(() -> queued("k").size() == 1);
        assertEquals(kept, queued("k").getJsonObject(0).getString("id"));
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            assertEquals(kept, client.next().getString("id"));
            client.assertNothingWithin(Duration.ofMillis(300));
        }
        api.delete("/");
    }
}
