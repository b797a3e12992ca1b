package org.goctopus.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One black-box smoke suite for every place the WAR runs: embedded Tomcat,
 * standalone Tomcat 10.1 and 11, Payara Micro 6. A subclass only says how to
 * deploy. The auth backend is a stub that allows an upgrade carrying an
 * {@code X-Test-Keys} header and refuses the rest with 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SmokeSuite {

    /** The README's recipes' credentials: the deployment tests run those recipes as written. */
    static final String LOGIN = "backend";
    static final String PASSWORD = "change-me";
    private static final AtomicInteger KEYS = new AtomicInteger();

    private StubAuthServer auth;
    private Deployment app;
    private Api api;

    /** Deploys the WAR with these settings (as environment variables or context parameters). */
    protected abstract Deployment deploy(Map<String, String> settings) throws Exception;

    /**
     * WS_WRITES for this deployment. On the build's Java 17 the default sends frame by frame;
     * some containers run batched writes instead, so that both paths meet each container's API.
     */
    protected String writes() {
        return "auto";
    }

    /**
     * Whether the container gathers the frames sent while batching is allowed: Tomcat does;
     * Tyrus (Payara) ignores it, and batched writes then go one by one.
     */
    protected boolean batchesFrames() {
        return true;
    }

    /** The storage settings: the memory engine unless a subclass names a Redis. */
    protected Map<String, String> storage() {
        return Map.of();
    }

    @BeforeAll
    void deployApplication() throws Exception {
        auth = new StubAuthServer();
        Map<String, String> settings = new HashMap<>(storage());
        settings.putAll(Map.of("WS_AUTHORIZER", "proxy", "WS_AUTH_URL", auth.url(),
                "WS_LOGIN", LOGIN, "WS_PASSWORD", PASSWORD, "WS_WRITES", writes(), "WS_CONSOLE", "true"));
        app = deploy(settings);
        api = new Api(app.http(""), LOGIN, PASSWORD);
        // Healthy once started; ready once its store is (a Redis connects after the start).
        Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
    }

    /**
     * Whether the container reports, on undeploy, the threads and references an application
     * left behind: Tomcat's class loader does ("appears to have started a thread", "memory
     * leak"); Payara has no such check, so there the suite cannot look.
     */
    protected boolean reportsLeaks() {
        return true;
    }

    /** Stopping the server closes every socket with 1001 and leaves no thread or leak behind. */
    @AfterAll
    void stopClosesSocketsWith1001AndLeaksNothing() {
        if (app == null) { // the deployment was skipped (an assumption failed) or failed
            auth.close();
            return;
        }
        try {
            String key = key();
            try (WsClient client = WsClient.connect(app.ws("/"), Map.of("X-Test-Keys", key))) {
                Await.until(Duration.ofSeconds(20), () -> api.get("/?presence").body().contains(key));
                app.close();
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(30)));
            }
            if (reportsLeaks()) {
                String log = app.log();
                assertFalse(log.contains("appears to have started a thread"), log);
                assertFalse(log.contains("memory leak"), log);
            }
        } finally {
            app.close();
            auth.close();
        }
    }

    private static String key() {
        return "smoke-" + KEYS.incrementAndGet() + "@example.com";
    }

    /** The deployment, for a subclass's own tests. */
    protected Deployment app() {
        return app;
    }

    /**
     * The public files (SPEC §3) on this container, beside the API's catch-all mapping: the
     * client's three forms, the console with its policy, and the why endpoint, all without
     * credentials.
     */
    @Test
    void theClientAndTheConsoleAreServedWithoutCredentials() {
        Api anonymous = new Api(app.http(""), null, null);
        for (String file : List.of("/goctopus.js", "/goctopus.mjs", "/goctopus.d.ts")) {
            var reply = anonymous.get(file);
            assertEquals(200, reply.statusCode(), file);
            assertTrue(reply.body().contains("Goctopus"), file);
        }
        var console = anonymous.get("/console/");
        assertEquals(200, console.statusCode());
        assertTrue(console.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
        assertEquals("{\"refused\":false}", anonymous.get("/why").body());
    }

    @Test
    void upgradeWithoutAuthorizationIsRefusedOnTheWire() throws Exception {
        try (RawUpgrade refused = RawUpgrade.open(app.port(), app.contextPath() + "/", Map.of())) {
            assertEquals(401, refused.status(), refused.head());
            assertFalse(refused.head().contains(" 101 "), refused.head());
            assertTrue(refused.body().contains("\"error\""));
        }
    }

    @Test
    void authorizedSocketReceivesAPublishAndItsAckEmptiesTheQueue() {
        String key = key();
        try (WsClient client = WsClient.connect(app.ws("/"), Map.of("X-Test-Keys", key))) {
            String id = api.publish("{\"key\":\"" + key + "\",\"value\":{\"hello\":\"w\u00f6rld\"}}");
            JsonObject frame = client.next(Duration.ofSeconds(20));
            assertEquals(id, frame.getString("id"));
            assertEquals("w\u00f6rld", frame.getJsonObject("payload").getString("hello"));
            client.ack(id);
            Await.until(Duration.ofSeconds(20), () -> api.get("/?key=" + key).body().equals("[]"));
        }
    }

    /**
     * Batched writes where the container does not batch: the first write finds out, the
     * frames go one by one, asynchronously, and the log says so once.
     */
    @Test
    void batchedWritesGoOneByOneWhereTheContainerDoesNotBatch() {
        // WS_WRITES=batched, or auto on Java 21+: the start-up log says which
        assumeTrue(app.log().contains("websocket writes mode=batched"), "frame-by-frame writes ask nothing");
        String key = key();
        try (WsClient client = WsClient.connect(app.ws("/"), Map.of("X-Test-Keys", key))) {
            String id = api.publish("{\"key\":\"" + key + "\",\"value\":1}");
            assertEquals(id, client.next(Duration.ofSeconds(20)).getString("id"));
            client.ack(id);
        }
        String log = app.log();
        assertEquals(!batchesFrames(), log.contains("the container does not batch"), log);
    }

    /**
     * A long backlog (3,000 messages, ACKed as they arrive) comes whole and in order, and the
     * ACKs empty the queue: where a container completes sends inline (Tyrus), the chain of
     * writes must not recurse, and the ACKs that cross the backlog must find their socket.
     */
    @Test
    void longOfflineBacklogArrivesOnConnectInOrderAndItsAcksEmptyTheQueue() {
        String key = key();
        int backlog = 3_000;
        for (int n = 0; n < backlog; n++) {
            api.publish("{\"key\":\"" + key + "\",\"value\":" + n + "}");
        }
        try (WsClient client = WsClient.connect(app.ws("/ws"), Map.of("X-Test-Keys", key))) {
            for (int n = 0; n < backlog; n++) {
                JsonObject frame = client.next(Duration.ofSeconds(20));
                assertEquals(n, frame.getInt("payload"));
                client.ack(frame.getString("id"));
            }
            Await.until(Duration.ofSeconds(30), () -> api.get("/?key=" + key).body().equals("[]"));
        }
        assertFalse(app.log().contains("socket failed"), app::log);
    }

    /**
     * Four backends publishing to one key at once: the socket gets every message once, and
     * each backend's messages in the order that backend posted them.
     */
    @Test
    void concurrentPublishersKeepEachOnesOrder() throws Exception {
        String key = key();
        int publishers = 4;
        int each = 200;
        try (WsClient client = WsClient.connect(app.ws("/"), Map.of("X-Test-Keys", key))) {
            Await.until(Duration.ofSeconds(20), () -> api.get("/?presence").body().contains(key));
            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int publisher = p;
                    done.add(pool.submit(() -> {
                        for (int n = 0; n < each; n++) {
                            api.publish("{\"key\":\"" + key + "\",\"value\":{\"p\":" + publisher + ",\"n\":" + n + "}}");
                        }
                    }));
                }
                int[] next = new int[publishers];
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < publishers * each; i++) {
                    JsonObject frame = client.next(Duration.ofSeconds(20));
                    assertTrue(ids.add(frame.getString("id")), "twice: " + frame);
                    JsonObject value = frame.getJsonObject("payload");
                    assertEquals(next[value.getInt("p")]++, value.getInt("n"), "out of order: " + frame);
                    client.ack(frame.getString("id"));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * A client that stops reading beside one that reads: the reader gets every message, in
     * order, while the stalled one stays connected with its writes blocked (2 MB for it,
     * far past the socket buffers).
     */
    @Test
    void aStalledReaderDoesNotHoldBackAFastOne() throws Exception {
        String key = key();
        try (RawUpgrade stalled = RawUpgrade.open(app.port(), app.contextPath() + "/", Map.of("X-Test-Keys", key));
             WsClient fast = WsClient.connect(app.ws("/"), Map.of("X-Test-Keys", key))) {
            assertEquals(101, stalled.status(), stalled.head());
            Await.until(Duration.ofSeconds(20), () -> api.get("/?presence").body().contains("\"" + key + "\":2"));
            String pad = "x".repeat(20_000);
            for (int n = 0; n < 100; n++) {
                String id = api.publish("{\"key\":\"" + key + "\",\"value\":{\"n\":" + n + ",\"pad\":\"" + pad + "\"}}");
                JsonObject frame = fast.next(Duration.ofSeconds(20));
                assertEquals(id, frame.getString("id"));
                fast.ack(id);
            }
        }
    }

    @Test
    void backendApiNeedsBasicAuth() {
        assertEquals(401, api.as(null, null).get("/").statusCode());
        assertEquals(403, api.as(LOGIN, "wrong").get("/").statusCode());
        assertEquals(200, api.get("/").statusCode());
    }

    @Test
    void healthAndMetricsAnswerWithoutAuth() {
        Api anonymous = api.as(null, null);
        assertEquals(200, anonymous.get("/healthz").statusCode());
        var metrics = anonymous.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("goctopus_messages_received_total"), metrics.body());
    }
}
