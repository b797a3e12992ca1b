package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void empty() {
        api.delete("/");
    }

    @Test
    void publishedValueArrivesAndItsAckEmptiesTheQueue() {
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            String id = api.publish("{\"key\":\"k\",\"value\":{\"foo\":\"bar\"}}");
            JsonObject frame = client.next();
            assertEquals(id, frame.getString("id"));
            assertEquals(Api.json("{\"foo\":\"bar\"}"), frame.get("payload"));
            client.ack(id);
            Await.until(() -> api.get("/?key=k").body().equals("[]"));
        }
    }
}
