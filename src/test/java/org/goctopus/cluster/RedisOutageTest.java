package org.goctopus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.RedisServer;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4 when Redis fails under two instances: what every request gets while it is
 * down, recovery without a restart, what survives a crash of Redis, and notifications
 * an instance missed. Redis persists with {@code appendfsync always} here, the setting
 * under which a 202 survives Redis's own crash (the README's "what survives what").
 */
class RedisOutageTest {

    /** The README's bound on a publish while Redis is down: its 2 s command timeout, and slack. */
    static final Duration PUBLISH_BOUND = Duration.ofSeconds(4);

    static RedisServer redis;
    static TestServer one;
    static TestServer two;
    static Api api1;
    static Api api2;

    @BeforeAll
    static void start() {
        redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
        Map<String, String> settings = settings(redis, "outage:");
        one = TestServer.start(settings);
        two = TestServer.start(settings);
        api1 = one.api();
        api2 = two.api();
    }

    static Map<String, String> settings(RedisServer redis, String prefix) {
        return Map.of("WS_STORAGE", "redis", "WS_REDIS_URL", redis.url(), "WS_REDIS_PREFIX", prefix);
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
        redis.close();
    }

    @BeforeEach
    void empty() {
        awaitReady(api1, api2);
        api1.delete("/");
    }

    private static void awaitReady(Api... apis) {
        for (Api api : apis) {
            Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
        }
    }

    private static String body(String value) {
        return "{\"key\":\"k\",\"value\":" + value + "}";
    }

    private static List<String> queuedIds(Api api) {
        List<String> ids = new ArrayList<>();
        for (JsonObject m : Api.json(api.get("/?key=k").body()).asJsonArray().getValuesAs(JsonObject.class)) {
            ids.add(m.getString("id"));
        }
        return ids;
    }

    @Test
    void whileRedisIsDownRequestsAre503ConnectedSocketsStayAndEverythingRecoversByItself() throws IOException {
        try (WsClient socket = WsClient.connect(one.ws("/"))) {
            Await.until(() -> api2.get("/?presence").body().equals("{\"k\":1}"));
            String before = api2.publish(body("\"before\""));
            assertEquals(before, socket.next().getString("id"));

            redis.stop();
            for (Api api : List.of(api1, api2)) {
                Await.until(() -> api.get("/readyz").statusCode() == 503);
            }
            long started = System.nanoTime();
            HttpResponse<String> refused = api2.post(body("\"during\""));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers()::toString);
            assertTrue(Api.json(refused.body()).asJsonObject().containsKey("error"), refused.body());
            assertTrue(took.compareTo(PUBLISH_BOUND) < 0, () -> "a publish waited " + took);
            try (RawUpgrade upgrade = RawUpgrade.open(two.port(), "/", Map.of())) {
                assertEquals(503, upgrade.status(), upgrade::head);
            }
            double dropped = api1.metric("goctopus_acks_dropped_total");
            socket.ack(before); // cannot reach Redis: dropped, so the message stays queued
            Await.until(() -> api1.metric("goctopus_acks_dropped_total") == dropped + 1);

            redis.restart();
            awaitReady(api1, api2);
            assertEquals(List.of(before), queuedIds(api2), "the ACK sent during the outage was dropped");
            String after = api1.publish(body("\"after\""));
            // The same socket (it stayed connected) gets the new message, and not "before" again.
            assertEquals(after, socket.next().getString("id"));
        }
    }

    /**
     * A Redis that stops answering but keeps its connections (paused, as a frozen host
     * would) is noticed by its silence: readiness counts Redis's replies to anything,
     * so the silence must still turn it to 503 before the pause ends, and back after.
     */
    @Test
    void aRedisThatFallsSilentWithoutDroppingConnectionsMakesReadiness503UntilItAnswers() throws IOException {
        try (WsClient socket = WsClient.connect(one.ws("/"))) {
            Await.until(() -> api2.get("/?presence").body().equals("{\"k\":1}"));
            assertEquals("+OK", redis.command("CLIENT", "PAUSE", "10000", "ALL"));
            Await.until(Duration.ofSeconds(8), () -> api1.get("/readyz").statusCode() == 503);
            awaitReady(api1, api2);
            String after = api2.publish(body("\"after\""));
            assertEquals(after, socket.next().getString("id"), "the socket stayed connected");
        }
    }

    /**
     * A Redis that still answers but runs a script later than the command timeout (paused
     * for writes here, as a Redis starved of CPU would be) fails the removal under way and
     * every removal waiting behind it, which never reached Redis. Those ACKs are sent again,
     * not dropped: their messages leave the queue while the client stays connected.
     */
    @Test
    void acksRefusedBehindARemovalThatTimedOutAreSentAgain() throws IOException {
        try (WsClient socket = WsClient.connect(one.ws("/"))) {
            Await.until(() -> api2.get("/?presence").body().equals("{\"k\":1}"));
            String first = api2.publish(body("1"));
            String second = api2.publish(body("2"));
            assertEquals(List.of(first, second), List.of(socket.next().getString("id"), socket.next().getString("id")));
            double dropped = api1.metric("goctopus_acks_dropped_total");
            assertEquals("+OK", redis.command("CLIENT", "PAUSE", "2500", "WRITE"));
            socket.ack(first); // its removal waits for the pause, past the timeout
            socket.ack(second); // waits behind it, then is refused with it
            Await.until(() -> api2.get("/?key=k").body(), "[]"::equals); // a 503 while Redis is paused
            assertEquals(dropped, api1.metric("goctopus_acks_dropped_total"));
        }
    }

    @Test
    void everyAcceptedMessageSurvivesAKillOfRedisThatWritesEachOneToItsLog() {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            ids.add(api1.publish(body(Integer.toString(n))));
        }
        redis.kill();
        redis.restart();
        awaitReady(api1, api2);
        assertEquals(ids, queuedIds(api2));
        try (WsClient socket = WsClient.connect(two.ws("/"))) {
            for (int n = 0; n < ids.size(); n++) {
                JsonObject frame = socket.next();
                assertEquals(ids.get(n), frame.getString("id"));
                assertEquals(n, frame.getInt("payload"));
            }
        }
    }

    /**
     * Redis drops the instances' subscriptions (as on a network cut): the notifications
     * sent meanwhile are lost, and each instance catches up from the queues when it has
     * subscribed again, in order, without waiting for a periodic rescan.
     */
    @Test
    void anInstanceThatMissedNotificationsCatchesUpFromTheQueues() throws IOException {
        try (WsClient socket = WsClient.connect(one.ws("/"))) {
            Await.until(() -> api2.get("/?presence").body().equals("{\"k\":1}"));
            assertTrue(redis.command("CLIENT", "KILL", "TYPE", "pubsub").startsWith(":"));
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 30; n++) {
                ids.add(api2.publish(body(Integer.toString(n))));
            }
            for (String id : ids) {
                assertEquals(id, socket.next().getString("id"));
            }
            String marker = api1.publish(body("\"marker\""));
            assertEquals(marker, socket.next().getString("id"), "no message came twice");
        }
    }

    /**
     * A Redis emptied under a live connection (FLUSHALL) starts the order again, and the
     * first message of the new order may come from the very instance that saw the old one:
     * its epoch must differ from the one that instance offered before, or the message,
     * numbered 1 after 5, is taken for one already delivered.
     */
    @Test
    void aRedisEmptiedUnderALiveConnectionStillDeliversTheNextPublish() throws IOException {
        try (RedisServer flushed = RedisServer.start();
             TestServer server = TestServer.start(settings(flushed, "flushed:"));
             WsClient socket = WsClient.connect(server.ws("/"))) {
            Api api = server.api();
            deliverFive(api, socket);
            flushed.command("FLUSHALL");
            String fresh = api.publish(body("\"fresh\""));
            assertEquals(fresh, socket.next().getString("id"));
        }
    }

    /**
     * A Redis that restarts empty (no persistence) starts the order again: an instance
     * sees the new epoch and keeps delivering to the sockets it holds.
     */
    @Test
    void aRedisThatLostItsDataStartsANewOrderThatConnectedSocketsStillReceive() {
        try (RedisServer volatileRedis = RedisServer.start();
             TestServer server = TestServer.start(settings(volatileRedis, "volatile:"));
             WsClient socket = WsClient.connect(server.ws("/"))) {
            Api api = server.api();
            deliverFive(api, socket);
            volatileRedis.kill();
            volatileRedis.restart();
            awaitReady(api);
            String fresh = api.publish(body("\"fresh\""));
            assertEquals(fresh, socket.next().getString("id"));
            // Presence is rebuilt from the sockets each instance holds.
            Await.until(() -> api.get("/?presence").body().equals("{\"k\":1}"));
        }
    }

    /** Five messages published, delivered and ACKed: the instance has seen the order up to 5. */
    private static void deliverFive(Api api, WsClient socket) {
        Await.until(() -> api.get("/?presence").body().equals("{\"k\":1}"));
        for (int n = 0; n < 5; n++) {
            socket.ack(api.publish(body(Integer.toString(n))));
            assertEquals(n, socket.next().getInt("payload"));
        }
    }
}
