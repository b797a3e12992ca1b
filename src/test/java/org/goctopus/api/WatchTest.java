package org.goctopus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /?key=K&watch&after=N}, the console's view of a key's traffic: what was
 * accepted for the key and why each message left its queue, numbered, after the first
 * poll; with Basic auth like the rest of the API.
 */
class WatchTest {

    @RegisterExtension
    static final ServerExtension app = new ServerExtension(Map.of("WS_HISTORY_SIZE", "0"));

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
        Api api = app.api();
        JsonObject first = poll(api, "k", 0);
        assertEquals(0, first.getJsonArray("events").size(), "a watch sees only what follows its start");
        long start = first.getJsonNumber("last").longValue();
        try (WsClient socket = WsClient.connect(app.server().ws("/"))) {
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
        Api api = app.api();
        assertEquals(400, api.get("/?watch").statusCode());
        assertEquals(400, api.get("/?key=k&watch&after=soon").statusCode());
        assertEquals(401, api.as(null, null).get("/?key=k&watch").statusCode());
        assertTrue(api.get("/?key=k&watch").body().startsWith("{\"last\":"));
    }
}
