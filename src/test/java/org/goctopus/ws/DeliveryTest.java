package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One key "k" for every socket (the dummy authorizer): what a socket receives, and when again. */
class DeliveryTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    static final ServerExtension app = new ServerExtension();

    private static JsonArray queued(String key) {
        return Api.json(app.api().get("/?key=" + key).body()).asJsonArray();
    }

    @Test
    void publishedValueArrivesAndItsAckEmptiesTheQueue() {
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            String id = app.api().publish("{\"key\":\"k\",\"value\":{\"foo\":\"bar\"}}");
            JsonObject frame = client.next();
            assertEquals(id, frame.getString("id"));
            assertEquals(Api.json("{\"foo\":\"bar\"}"), frame.get("payload"));
            client.ack(id);
            Await.until(() -> app.api().get("/?key=k").body().equals("[]"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":\"two\"}",
        "{}",
        "[1,\"x\",true,null,{\"y\":[]}]",
        "[]",
        "\"a string\"",
        "\"\"",
        "\"quotes \\\" and \\\\ backslash\\n\"",
        "42",
        "0",
        "-17",
        "3.14159",
        "-0.5",
        "1.5E10",
        "12345678901234567890",
        "true",
        "false",
        "\"é 漢字 😀\"",
        "{\"é\":\"漢字\",\"emoji\":[\"😀\",\"\\u00e9\"]}",
        "{\"a\":{\"b\":{\"c\":[[1,2],[3,{\"d\":null}]]}},\"e\":-2.5}",
        // Posted pretty-printed, with line feeds between tokens and one escaped in a string.
        "{\n  \"text\": \"line 1\\nline 2\",\n  \"n\": [1,\n    2]\n}"
    })
    void theExactJsonValueArrives(String value) {
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            String id = app.api().publish("{\"key\":\"k\",\"value\":" + value + "}");
            JsonObject frame = client.next();
            assertEquals(id, frame.getString("id"));
            assertEquals(Api.json("[" + value + "]").asJsonArray().get(0), frame.get("payload"));
            assertEquals(2, frame.size(), "a frame is {id, payload}: " + frame);
        }
    }

    @Test
    void unacknowledgedMessageIsRedeliveredWithTheSameIdOnReconnect() {
        String id;
        try (WsClient first = WsClient.connect(app.server().ws("/"))) {
            id = app.api().publish("{\"key\":\"k\",\"value\":\"again\"}");
            assertEquals(id, first.next().getString("id"));
        }
        try (WsClient second = WsClient.connect(app.server().ws("/"))) {
            JsonObject frame = second.next();
            assertEquals(id, frame.getString("id"));
            assertEquals(Api.json("[\"again\"]").asJsonArray().get(0), frame.get("payload"));
            second.assertNothingWithin(QUIET);
        }
    }

    @Test
    void acknowledgedMessageIsNotRedeliveredOnReconnect() {
        try (WsClient first = WsClient.connect(app.server().ws("/"))) {
            String id = app.api().publish("{\"key\":\"k\",\"value\":\"once\"}");
            assertEquals(id, first.next().getString("id"));
            first.ack(id);
            Await.until(() -> queued("k").isEmpty());
        }
        try (WsClient second = WsClient.connect(app.server().ws("/"))) {
            second.assertNothingWithin(QUIET);
        }
    }

    @Test
    void offlineBacklogArrivesOnConnectOldestFirst() {
        List<String> ids = List.of(
                app.api().publish("{\"key\":\"k\",\"value\":1}"),
                app.api().publish("{\"key\":\"k\",\"value\":2}"),
                app.api().publish("{\"key\":\"k\",\"value\":3}"));
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            List<JsonObject> frames = client.next(3);
            for (int i = 0; i < 3; i++) {
                assertEquals(ids.get(i), frames.get(i).getString("id"));
                assertEquals(i + 1, frames.get(i).getInt("payload"));
            }
            client.assertNothingWithin(QUIET);
        }
    }

    @Test
    void messageWithShortExpireLeavesTheQueueAndIsNotDeliveredLater() {
        String id = app.api().publish("{\"key\":\"k\",\"value\":\"brief\",\"expire\":\"2s\"}");
        JsonArray before = queued("k"); // read at once: 2 s is far more than a GET takes
        assertEquals(1, before.size(), before::toString);
        assertEquals(id, before.getJsonObject(0).getString("id"));
        assertEquals("2s", before.getJsonObject(0).getString("exp"));
        Await.until(Duration.ofSeconds(10), () -> queued("k").isEmpty());
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            client.assertNothingWithin(QUIET);
        }
    }

    @Test
    void invalidFramesAreIgnoredAndTheSocketStillReceives() {
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            String kept = app.api().publish("{\"key\":\"k\",\"value\":\"kept\"}");
            assertEquals(kept, client.next().getString("id"));
            client.sendText("not json");
            client.sendText("{}");
            client.sendText("{\"id\":\"nope\"}");
            client.sendText("{\"id\":42}");
            client.sendText("[\"" + kept + "\"]");
            client.sendText("{\"id\":\"" + UUID.randomUUID() + "\"}");
            client.socket().sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF, '{', '}'}), true)
                    .orTimeout(10, TimeUnit.SECONDS).join();
            String next = app.api().publish("{\"key\":\"k\",\"value\":\"next\"}");
            JsonObject frame = client.next();
            assertEquals(next, frame.getString("id"));
            assertFalse(client.socket().isInputClosed());
            // None of those frames acknowledged anything.
            assertEquals(2, queued("k").size());
        }
    }

    @Test
    void anAckInABinaryFrameCountsAsInGoctopus() {
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            String id = app.api().publish("{\"key\":\"k\",\"value\":\"binary-acked\"}");
            assertEquals(id, client.next().getString("id"));
            byte[] ack = ("{\"id\":\"" + id + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            client.socket().sendBinary(ByteBuffer.wrap(ack), true).orTimeout(10, TimeUnit.SECONDS).join();
            Await.until(() -> queued("k").isEmpty());
        }
    }

    @Test
    void repostedMessageIdIsNotSentAgainAndALaterSocketGetsTheNewValueOnce() {
        String messageId = UUID.randomUUID().toString();
        try (WsClient live = WsClient.connect(app.server().ws("/"))) {
            String id = app.api().publish("{\"key\":\"k\",\"value\":\"v1\",\"message_id\":\"" + messageId + "\"}");
            assertEquals(messageId, id);
            JsonObject first = live.next();
            assertEquals(messageId, first.getString("id"));
            assertEquals("v1", first.getString("payload"));

            String again = app.api().publish("{\"key\":\"k\",\"value\":\"v2\",\"message_id\":\"" + messageId + "\"}");
            assertEquals(messageId, again);
            live.assertNothingWithin(QUIET);

            JsonArray queue = queued("k");
            assertEquals(1, queue.size(), queue.toString());
            assertEquals(Api.json("[\"v2\"]").asJsonArray().get(0), queue.getJsonObject(0).get("payload"));

            try (WsClient later = WsClient.connect(app.server().ws("/"))) {
                JsonObject frame = later.next();
                assertEquals(messageId, frame.getString("id"));
                assertEquals(Api.json("[\"v2\"]").asJsonArray().get(0), frame.get("payload"));
                later.assertNothingWithin(QUIET);
            }
        }
    }

    @Test
    void anAcknowledgedMessageIdIsFreeAgain() {
        String messageId = UUID.randomUUID().toString();
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            app.api().publish("{\"key\":\"k\",\"value\":\"first\",\"message_id\":\"" + messageId + "\"}");
            assertEquals(messageId, client.next().getString("id"));
            client.ack(messageId);
            Await.until(() -> queued("k").isEmpty());
            app.api().publish("{\"key\":\"k\",\"value\":\"second\",\"message_id\":\"" + messageId + "\"}");
            JsonObject frame = client.next();
            assertEquals(messageId, frame.getString("id"));
            assertEquals(Api.json("[\"second\"]").asJsonArray().get(0), frame.get("payload"));
        }
    }

    @Test
    void repostedIdKeepsItsQueuePosition() {
        String messageId = UUID.randomUUID().toString();
        app.api().publish("{\"key\":\"k\",\"value\":\"a\",\"message_id\":\"" + messageId + "\"}");
        String b = app.api().publish("{\"key\":\"k\",\"value\":\"b\"}");
        app.api().publish("{\"key\":\"k\",\"value\":\"a2\",\"message_id\":\"" + messageId + "\"}");
        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            List<JsonObject> frames = client.next(2);
            assertEquals(messageId, frames.get(0).getString("id"));
            assertEquals(Api.json("[\"a2\"]").asJsonArray().get(0), frames.get(0).get("payload"));
            assertEquals(b, frames.get(1).getString("id"));
            assertEquals("b", frames.get(1).getString("payload"));
            client.assertNothingWithin(QUIET);
        }
    }
}
