package org.goctopus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WS_HISTORY_SIZE / WS_HISTORY_TTL (SPEC §1, §3 {@code GET /?key=K&history}): the last
 * messages of a key stay readable after they left the queue, for at most the TTL.
 */
class HistoryTest {

    @RegisterExtension
    static final ServerExtension byDefault = new ServerExtension();

    @Test
    void historyKeepsTheLastMessagesOfAKeyAfterTheyWereAcknowledged() {
        try (TestServer server = TestServer.start(Map.of("WS_HISTORY_SIZE", "3"));
             WsClient client = WsClient.connect(server.ws("/"))) {
            Api api = server.api();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                ids.add(api.publish("{\"key\":\"k\",\"value\":{\"n\":" + i + "}}"));
            }
            String other = api.publish("{\"key\":\"other\",\"value\":0}");
            JsonArray queued = array(api.get("/?key=k"));
            assertEquals(ids, idsOf(queued));
            for (JsonObject frame : client.next(5)) {
                client.ack(frame.getString("id"));
            }
            Await.until(() -> api.get("/?key=k").body().equals("[]"));

            JsonArray history = array(api.get("/?key=k&history"));
            assertEquals(ids.subList(2, 5), idsOf(history), "the last 3, oldest first");
            // The same entries, field for field, as the queue listed them.
            assertEquals(queued.subList(2, 5), history);
            for (JsonValue v : history) {
                assertEquals(Set.of("id", "payload", "key", "exp", "date"), v.asJsonObject().keySet());
            }
            assertFalse(history.toString().contains(other), "another key's message in k's history");
            assertEquals(List.of(other), idsOf(array(api.get("/?key=other&history"))));
            assertEquals("[]", api.get("/?key=nobody&history").body());
        }
    }

    @Test
    void historyEntriesGoAfterTheTtlWhileTheMessageIsStillQueued() {
        try (TestServer server = TestServer.start(Map.of("WS_HISTORY_SIZE", "3", "WS_HISTORY_TTL", "1s"))) {
            Api api = server.api();
            long posted = System.nanoTime();
            String id = api.publish("{\"key\":\"k\",\"value\":1}");
            assertEquals(List.of(id), idsOf(array(api.get("/?key=k&history"))), "in the history at first");
            Await.until(Duration.ofSeconds(5), () -> api.get("/?key=k&history").body().equals("[]"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted);
            assertTrue(ms >= 1_000, "gone from the history after " + ms + " ms, WS_HISTORY_TTL=1s");
            // The history's TTL is not the message's: it is still queued (WS_MSG_EXPIRE 30m).
            assertEquals(List.of(id), idsOf(array(api.get("/?key=k"))));
        }
    }

    @Test
    void historyIsOffByDefault() {
        Api api = byDefault.api();
        api.publish("{\"key\":\"k\",\"value\":1}");
        HttpResponse<String> r = api.get("/?key=k&history");
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(Api.json(r.body()).asJsonObject().getString("error").isBlank());
        assertEquals(400, api.get("/?history").statusCode(), "history without a key");
    }

    private static JsonArray array(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return Api.json(r.body()).asJsonArray();
    }

    private static List<String> idsOf(JsonArray array) {
        List<String> ids = new ArrayList<>();
        array.forEach(v -> ids.add(v.asJsonObject().getString("id")));
        return ids;
    }
}
