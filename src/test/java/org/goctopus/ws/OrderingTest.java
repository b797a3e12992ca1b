package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-key FIFO: concurrent publishers, several sockets, and a long backlog. Every socket has key "k". */
class OrderingTest {

    @RegisterExtension
    static final ServerExtension app = new ServerExtension();

    /** Runs {@code threads} publishers, each posting {"p": thread, "n": 0..perThread-1} to "k" in turn. */
    private static void publishConcurrently(int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int p = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < perThread; n++) {
                        app.api().publish("{\"key\":\"k\",\"value\":{\"p\":" + p + ",\"n\":" + n + "},\"expire\":\"5m\"}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Asserts that each publisher's messages come in the order it posted them, and all of them. */
    private static void assertPublisherOrder(List<JsonObject> frames, int threads, int perThread) {
        int[] expected = new int[threads];
        for (JsonObject frame : frames) {
            JsonObject payload = frame.getJsonObject("payload");
            int p = payload.getInt("p");
            assertEquals(expected[p], payload.getInt("n"), "publisher " + p + " out of order");
            expected[p]++;
        }
        int[] all = new int[threads];
        Arrays.fill(all, perThread);
        assertTrue(Arrays.equals(all, expected), Arrays.toString(expected));
    }

    /**
     * Where the messages still queued were in {@code accepted} (the first 20), or the answer
     * itself when it is not a list: a failure then tells ACKs lost (scattered positions) from
     * slowness (a tail).
     */
    private static Object stillQueued(List<String> accepted) {
        String body = app.api().get("/?key=k").body();
        if (!body.startsWith("[")) {
            return body;
        }
        return Api.json(body).asJsonArray().stream()
                .map(v -> accepted.indexOf(v.asJsonObject().getString("id"))).limit(20).toList();
    }

    private static List<String> ids(List<JsonObject> frames) {
        return frames.stream().map(f -> f.getString("id")).toList();
    }

    @Test
    void concurrentPublishersAreSeenInOneOrderByEverySocketOfTheKey() throws Exception {
        int threads = 4;
        int perThread = 50;
        try (WsClient a = WsClient.connect(app.server().ws("/")); WsClient b = WsClient.connect(app.server().ws("/"))) {
            Await.until(() -> Api.json(app.api().get("/?presence").body()).asJsonObject().getInt("k", 0) == 2);
            publishConcurrently(threads, perThread);
            List<JsonObject> seenByA = a.next(threads * perThread);
            List<JsonObject> seenByB = b.next(threads * perThread);
            assertEquals(ids(seenByA), ids(seenByB));
            assertPublisherOrder(seenByA, threads, perThread);
            // The order the sockets saw is the order of acceptance, which the queue keeps too.
            JsonArray queue = Api.json(app.api().get("/?key=k").body()).asJsonArray();
            assertEquals(ids(seenByA), queue.stream().map(v -> v.asJsonObject().getString("id")).toList());
            a.assertNothingWithin(Duration.ofMillis(300));
            b.assertNothingWithin(Duration.ofMillis(1));
        }
    }

    @Test
    void aLongBacklogIsDeliveredInOrderWithoutAClose() throws Exception {
        int threads = 4;
        int perThread = 1250;
        publishConcurrently(threads, perThread);
        JsonArray queue = Api.json(app.api().get("/?key=k").body()).asJsonArray();
        assertEquals(threads * perThread, queue.size());
        List<String> accepted = queue.stream().map(JsonValue::asJsonObject).map(o -> o.getString("id")).toList();

        try (WsClient client = WsClient.connect(app.server().ws("/"))) {
            List<JsonObject> frames = new ArrayList<>(accepted.size());
            for (int i = 0; i < accepted.size(); i++) {
                JsonObject frame = client.next();
                frames.add(frame);
                client.ack(frame.getString("id"));
            }
            assertEquals(accepted, ids(frames));
            assertPublisherOrder(frames, threads, perThread);
            Await.until(() -> stillQueued(accepted), List.of()::equals);
            client.assertNothingWithin(Duration.ofMillis(300));
            assertFalse(client.socket().isInputClosed(), "the server closed the socket");
        }
    }
}
