package org.goctopus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.deploy.ServerProcess;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RedisServer;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4 with three instances of the service on one real Redis, each its own JVM
 * ({@code java -jar target/goctopus.war}) on its own port: each behaviour of the API and the
 * websocket holds across them, whichever instance a backend posts to and whichever
 * instance a browser is connected to. (An instance killed in flight: {@link InstanceCrashIT}.)
 */
class SeveralInstancesIT {

    static final int MAX_PENDING = 100;
    static final String LOGIN = "backend";
    static final String PASSWORD = "s3cret";

    static RedisServer redis;
    static StubAuthServer auth;
    static final List<ServerProcess> instances = new ArrayList<>();
    static Api a;
    static Api b;
    static Api c;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start();
        auth = new StubAuthServer();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < 3; i++) {
            int port = ServerProcess.freePort();
            instances.add(ServerProcess.start(List.of(java, "-jar", "target/goctopus.war"), Path.of("").toAbsolutePath(),
                    Map.of("WS_HOST", "127.0.0.1", "WS_PORT", Integer.toString(port),
                            "WS_AUTHORIZER", "proxy", "WS_AUTH_URL", auth.url(),
                            "WS_LOGIN", LOGIN, "WS_PASSWORD", PASSWORD,
                            "WS_STORAGE", "redis", "WS_REDIS_URL", redis.url(), "WS_REDIS_PREFIX", "cluster:",
                            "WS_MAX_PENDING", Integer.toString(MAX_PENDING)), port, "", Duration.ofSeconds(60)));
        }
        a = new Api(instances.get(0).http(""), LOGIN, PASSWORD);
        b = new Api(instances.get(1).http(""), LOGIN, PASSWORD);
        c = new Api(instances.get(2).http(""), LOGIN, PASSWORD);
        for (Api api : List.of(a, b, c)) {
            Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServerProcess::close);
        auth.close();
        redis.close();
    }

    @BeforeEach
    void empty() {
        a.delete("/");
    }

    @AfterEach
    void defaultAnswer() {
        auth.answer(null);
    }

    private static WsClient socket(int instance, String key) {
        return WsClient.connect(instances.get(instance).ws("/"), Map.of("X-Test-Keys", key));
    }

    private static String body(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + "}";
    }

    private static JsonArray queued(Api api, String key) {
        return Api.json(api.get("/?key=" + key).body()).asJsonArray();
    }

    @Test
    void aPublishToAnyInstanceReachesTheKeysSocketsOnEveryInstance() {
        try (WsClient onA = socket(0, "k"); WsClient onB = socket(1, "k"); WsClient onC = socket(2, "k")) {
            Await.until(() -> c.get("/?presence").body().equals("{\"k\":3}"));
            String id = b.publish(body("k", "{\"hello\":\"world\"}"));
            for (WsClient socket : List.of(onA, onB, onC)) {
                JsonObject frame = socket.next();
                assertEquals(id, frame.getString("id"));
                assertEquals("world", frame.getJsonObject("payload").getString("hello"));
            }
        }
    }

    @Test
    void presenceCountsTheSocketsOfEveryInstance() {
        try (WsClient one = socket(0, "p"); WsClient two = socket(1, "p"); WsClient three = socket(1, "q")) {
            for (Api api : List.of(a, b, c)) {
                Await.until(() -> api.get("/?presence").body().equals("{\"p\":2,\"q\":1}"));
            }
            two.close();
            Await.until(() -> c.get("/?presence").body().equals("{\"p\":1,\"q\":1}"));
        }
        Await.until(() -> a.get("/?presence").body().equals("{}"));
    }

    @Test
    void anAckOnOneInstanceRemovesTheMessageEverywhere() {
        try (WsClient onA = socket(0, "k"); WsClient onC = socket(2, "k")) {
            Await.until(() -> b.get("/?presence").body().equals("{\"k\":2}"));
            String id = b.publish(body("k", "1"));
            assertEquals(id, onA.next().getString("id"));
            assertEquals(id, onC.next().getString("id"));
            onA.ack(id);
            Await.until(() -> queued(c, "k").isEmpty());
            assertEquals("[]", b.get("/").body());
        }
        // A socket connecting anywhere now gets only what was published after the ACK.
        try (WsClient later = socket(1, "k")) {
            String marker = c.publish(body("k", "\"after\""));
            assertEquals(marker, later.next().getString("id"));
        }
    }

    @Test
    void aBacklogPostedToOneInstanceArrivesWholeAndInOrderThroughAnother() {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < MAX_PENDING; n++) {
            ids.add(a.publish(body("offline", Integer.toString(n))));
        }
        assertEquals(MAX_PENDING, queued(b, "offline").size());
        try (WsClient socket = socket(2, "offline")) {
            for (int n = 0; n < MAX_PENDING; n++) {
                JsonObject frame = socket.next();
                assertEquals(ids.get(n), frame.getString("id"));
                assertEquals(n, frame.getInt("payload"));
                socket.ack(frame.getString("id"));
            }
            Await.until(() -> queued(a, "offline").isEmpty());
        }
    }

    /**
     * Two backends post at once, each to its own instance, each its own sequence: every
     * socket, on every instance, sees one same order, and each publisher's order in it.
     */
    @Test
    void everySocketSeesOneOrderThatKeepsEachPublishersOwn() throws Exception {
        int each = 40;
        List<WsClient> sockets = List.of(socket(0, "o"), socket(1, "o"), socket(2, "o"));
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            Await.until(() -> a.get("/?presence").body().equals("{\"o\":3}"));
            List<Future<?>> done = new ArrayList<>();
            for (String publisher : List.of("a", "b")) {
                Api api = publisher.equals("a") ? a : b;
                done.add(publishers.submit(() -> {
                    for (int n = 0; n < each; n++) {
                        api.publish(body("o", "{\"p\":\"" + publisher + "\",\"n\":" + n + "}"));
                    }
                }));
            }
            for (Future<?> publisher : done) {
                publisher.get(60, TimeUnit.SECONDS);
            }
            List<String> first = null;
            for (WsClient socket : sockets) {
                List<String> seen = new ArrayList<>();
                int nextA = 0;
                int nextB = 0;
                for (JsonObject frame : socket.next(2 * each)) {
                    JsonObject payload = frame.getJsonObject("payload");
                    int n = payload.getInt("n");
                    if (payload.getString("p").equals("a")) {
                        assertEquals(nextA++, n, "publisher a's order");
                    } else {
                        assertEquals(nextB++, n, "publisher b's order");
                    }
                    seen.add(frame.getString("id"));
                }
                if (first == null) {
                    first = seen;
                } else {
                    assertEquals(first, seen, "every socket sees the same order");
                }
            }
        } finally {
            publishers.shutdownNow();
            sockets.forEach(WsClient::close);
        }
    }

    @Test
    void aSocketHoldingSeveralTargetKeysGetsTheMessageOnce() {
        auth.answer(Answer.allow("{\"user\":{\"email\":\"ann@example.com\",\"organization_name\":\"acme\"}}"));
        try (WsClient socket = WsClient.connect(instances.get(0).ws("/"))) {
            Await.until(() -> b.get("/?presence").body().equals("{\"acme\":1,\"ann@example.com\":1}"));
            String both = b.publish("{\"keys\":[\"ann@example.com\",\"acme\"],\"value\":1}");
            String next = c.publish(body("acme", "2"));
            assertEquals(both, socket.next().getString("id"));
            assertEquals(next, socket.next().getString("id"), "the first message came once");
        }
    }

    @Test
    void aRepostedMessageIdOnAnotherInstanceReplacesTheMessageAndIsNotSentAgain() {
        String messageId = UUID.randomUUID().toString();
        try (WsClient socket = socket(2, "r")) {
            Await.until(() -> a.get("/?presence").body().equals("{\"r\":1}"));
            String post = "{\"key\":\"r\",\"message_id\":\"" + messageId + "\",\"value\":";
            assertEquals(messageId, a.publish(post + "\"first\"}"));
            assertEquals("first", socket.next().getString("payload"));
            assertEquals(messageId, b.publish(post + "\"retry\"}"));
            JsonArray queue = queued(c, "r");
            assertEquals(1, queue.size());
            assertEquals("retry", queue.getJsonObject(0).getString("payload"));
            String marker = c.publish(body("r", "\"marker\""));
            assertEquals(marker, socket.next().getString("id"), "the re-post was not sent again");
        }
    }

    @Test
    void theQueueCapHoldsAcrossInstancesAndDropsTheOldest() {
        for (int n = 0; n < MAX_PENDING; n++) {
            (n % 2 == 0 ? a : b).publish(body("cap", Integer.toString(n)));
        }
        for (int n = MAX_PENDING; n < MAX_PENDING + 10; n++) {
            c.publish(body("cap", Integer.toString(n)));
        }
        JsonArray queue = queued(a, "cap");
        assertEquals(MAX_PENDING, queue.size());
        assertEquals(10, queue.getJsonObject(0).getInt("payload"));
        assertEquals(MAX_PENDING + 9, queue.getJsonObject(MAX_PENDING - 1).getInt("payload"));
    }

    @Test
    void deleteAndExpiryOnOneInstanceAreSeenByAllAndExpiryIsCountedOnce() {
        String id = a.publish(body("d", "1"));
        b.publish(body("d", "2"));
        assertEquals("{\"deleted\":1}", c.delete("/?key=d&id=" + id).body());
        assertEquals(1, queued(a, "d").size());
        assertEquals("{\"deleted\":1}", b.delete("/?key=d").body());
        assertEquals("[]", c.get("/").body());

        double expiredBefore = expiredCount();
        a.publish("{\"key\":\"e\",\"value\":1,\"expire\":\"300ms\"}");
        // Every instance sweeps; the one whose script removed the message counts it.
        Await.until(() -> queued(c, "e").isEmpty() && expiredCount() == expiredBefore + 1);
    }

    /** goctopus_messages_expired_total summed over the three instances. */
    private static double expiredCount() {
        double sum = 0;
        for (Api api : List.of(a, b, c)) {
            for (String line : api.get("/metrics").body().split("\n")) {
                if (line.startsWith("goctopus_messages_expired_total ")) {
                    sum += Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    @Test
    void deleteAllRemovesOnlyTheKeysUnderThePrefix() throws IOException {
        assertEquals("+OK", redis.command("SET", "other-app:data", "kept"));
        a.publish(body("x", "1"));
        assertEquals("{\"deleted\":1}", b.delete("/").body());
        assertEquals(1, redis.integer("EXISTS", "other-app:data"));
        assertEquals("*0", redis.command("KEYS", "cluster:q:*"), "no queue left under the prefix");
        assertEquals("*0", redis.command("KEYS", "cluster:m:*"), "no message left under the prefix");
    }

    /** SPEC §4: eviction would drop accepted messages, so no instance is ready while Redis may evict. */
    @Test
    void noInstanceIsReadyWhileRedisWouldEvictKeys() throws IOException {
        assertEquals("+OK", redis.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
        try {
            for (Api api : List.of(a, b, c)) {
                Await.until(() -> api.get("/readyz").statusCode() == 503);
            }
        } finally {
            assertEquals("+OK", redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction"));
        }
        for (Api api : List.of(a, b, c)) {
            Await.until(() -> api.get("/readyz").statusCode() == 200);
        }
    }
}
