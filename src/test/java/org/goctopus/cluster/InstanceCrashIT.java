package org.goctopus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.goctopus.deploy.ServerProcess;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RedisServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the launcher in processes of their own on one Redis, one of them
 * killed with SIGKILL while a backend publishes to it and a browser reads from it:
 * every publish that got a 202 is delivered through the other instance, and presence
 * forgets the dead instance's sockets within the README's bound.
 */
class InstanceCrashIT {

    /** The README's bound: the presence TTL of an instance (its heartbeat every 2 s renews it). */
    static final Duration PRESENCE_BOUND = Duration.ofSeconds(6);

    private static ServerProcess instance(RedisServer redis) throws Exception {
        int port = ServerProcess.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerProcess server = ServerProcess.start(List.of(java, "-jar", "target/goctopus.war"),
                Path.of("").toAbsolutePath(), Map.of("WS_HOST", "127.0.0.1", "WS_PORT", Integer.toString(port),
                        "WS_STORAGE", "redis", "WS_REDIS_URL", redis.url(), "WS_REDIS_PREFIX", "crash:",
                        "WS_LOGIN", "backend", "WS_PASSWORD", "s3cret", "WS_AUTHORIZER", "dummy",
                        "WS_AUTH_URL", "k"), port, "", Duration.ofSeconds(60));
        Api api = api(server);
        Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
        return server;
    }

    private static Api api(ServerProcess server) {
        return new Api(server.http(""), "backend", "s3cret");
    }

    @Test
    void aKilledInstanceLosesNoAcceptedMessageAndLeavesPresenceWithinTheBound() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServerProcess doomed = instance(redis);
             ServerProcess survivor = instance(redis)) {
            Api toDoomed = api(doomed);
            Api toSurvivor = api(survivor);
            WsClient onDoomed = WsClient.connect(doomed.ws("/"));
            try (WsClient onSurvivor = WsClient.connect(survivor.ws("/"))) {
                Await.until(() -> toSurvivor.get("/?presence").body().equals("{\"k\":2}"));

                // A backend publishing to the doomed instance when it dies.
                List<String> accepted = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> backend = CompletableFuture.runAsync(() -> {
                    for (int n = 0; ; n++) {
                        HttpResponse<String> r;
                        try {
                            r = toDoomed.post("{\"key\":\"k\",\"value\":" + n + "}");
                        } catch (IllegalStateException gone) {
                            return; // the connection broke: the process is dead
                        }
                        if (r.statusCode() != 202) {
                            return;
                        }
                        accepted.add(Api.json(r.body()).asJsonObject().getString("id"));
                    }
                });
                for (int n = 0; n < 20; n++) {
                    onDoomed.next(); // the doomed instance delivers too, and nothing is ACKed
                }
                doomed.kill();
                long killed = System.nanoTime();
                backend.get(30, TimeUnit.SECONDS);
                assertFalse(accepted.isEmpty(), "the backend was publishing");

                Await.until(Duration.ofSeconds(15), () -> toSurvivor.get("/?presence").body().equals("{\"k\":1}"));
                Duration forgotten = Duration.ofNanos(System.nanoTime() - killed);
                assertTrue(forgotten.compareTo(PRESENCE_BOUND.plusSeconds(1)) < 0,
                        () -> "presence forgot the dead instance after " + forgotten);

                // Every 202 is still queued, in order; the POST in flight at the kill got no
                // answer and may be stored too ("maybe stored": a backend retries it).
                List<String> queued = new ArrayList<>();
                for (JsonObject m : Api.json(toSurvivor.get("/?key=k").body()).asJsonArray()
                        .getValuesAs(JsonObject.class)) {
                    queued.add(m.getString("id"));
                }
                assertEquals(accepted, queued.subList(0, Math.min(accepted.size(), queued.size())));
                assertTrue(queued.size() <= accepted.size() + 1, () -> queued.size() + " queued");
                for (String id : queued) {
                    assertEquals(id, onSurvivor.next().getString("id"));
                }
                // The browser of the dead instance reconnects to the survivor: all of it, same ids, in order.
                try (WsClient reconnected = WsClient.connect(survivor.ws("/"))) {
                    for (String id : queued) {
                        assertEquals(id, reconnected.next().getString("id"));
                        reconnected.ack(id);
                    }
                }
                Await.until(() -> toSurvivor.get("/").body().equals("[]"));
            } finally {
                onDoomed.close();
            }
        }
    }
}
