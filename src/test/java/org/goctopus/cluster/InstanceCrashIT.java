package org.goctopus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * killed with SIGKILL, or stopped with SIGTERM, while a backend publishes to it and a
 * browser reads from it: every publish that got a 202 is delivered through the other
 * instance, and presence forgets the dead instance's sockets within the README's bound.
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
                Await.until(() -> answer(toSurvivor.get("/?presence")), "200 {\"k\":2}"::equals);

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
    /**
     * SIGTERM while a backend publishes and browsers read: the instance stops taking work
     * before it closes its sockets (once a socket has its 1001, neither readiness nor a
     * publish is ever 200/202 there again), every request gets an answer or a refused
     * connection (none hangs), and every publish that got a 202 reaches the other
     * instance's socket, in order.
     */
    @Test
    void aStoppedInstanceAnswersEveryRequestAndLosesNoAcceptedMessage() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServerProcess stopping = instance(redis);
             ServerProcess survivor = instance(redis)) {
            Api toStopping = api(stopping);
            Api toSurvivor = api(survivor);
            try (WsClient onStopping = WsClient.connect(stopping.ws("/"));
                 WsClient onSurvivor = WsClient.connect(survivor.ws("/"))) {
                Await.until(() -> answer(toSurvivor.get("/?presence")), "200 {\"k\":2}"::equals);
                List<String> accepted = new CopyOnWriteArrayList<>();
                List<String> refusals = new CopyOnWriteArrayList<>(); // status and body
                CompletableFuture<Void> backend = CompletableFuture.runAsync(() -> {
                    for (int n = 0; ; n++) {
                        HttpResponse<String> r;
                        try {
                            r = toStopping.post("{\"key\":\"k\",\"value\":" + n + "}"); // bounded: Api's timeout
                        } catch (IllegalStateException refused) {
                            if (refused.getCause() instanceof HttpTimeoutException) {
                                throw refused; // a request left hanging
                            }
                            return; // the connection was refused or closed: the instance is gone
                        }
                        if (r.statusCode() == 202) {
                            accepted.add(Api.json(r.body()).asJsonObject().getString("id"));
                        } else {
                            refusals.add(r.statusCode() + " " + r.body());
                        }
                    }
                });
                for (int n = 0; n < 20; n++) {
                    onStopping.next();
                }
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close); // SIGTERM
                assertEquals(1001, onStopping.awaitClose(Duration.ofSeconds(30)));
                int ready = status(toStopping, "/readyz");
                int publish = status(toStopping, null);
                assertTrue(ready != 200, "readiness 200 after the sockets got 1001");
                assertTrue(publish != 202, "a publish accepted after the sockets got 1001");
                stopped.get(60, TimeUnit.SECONDS);
                backend.get(30, TimeUnit.SECONDS);
                assertFalse(accepted.isEmpty(), "the backend was publishing");
                assertTrue(refusals.stream().allMatch(refusal -> refusal.startsWith("503 ")),
                        () -> "refused with " + refusals + "; the stopped instance's output:\n" + stopping.log());
                for (String id : accepted) {
                    assertEquals(id, onSurvivor.next().getString("id"));
                }
                // The stop is logged to its end, though the JDK closes log handlers at exit.
                assertTrue(stopping.log().contains("org.goctopus.config.Lifecycle: stopped"), stopping::log);
            }
        }
    }

    /**
     * A publish still waiting on Redis when SIGTERM comes is answered, with a 503 (the
     * store never confirmed it). It used to be left to the container, which answered a 500
     * on the way out: the API's servlet was destroyed before the answer came, because a
     * container destroys its servlets before it tells the application's listeners.
     */
    @Test
    void aPublishWaitingOnRedisWhenTheInstanceStopsIsAnswered503() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServerProcess stopping = instance(redis)) {
            Api api = api(stopping);
            assertEquals("+OK", redis.command("CLIENT", "PAUSE", "10000", "WRITE"));
            String big = "\"" + "x".repeat(100_000) + "\"";
            CompletableFuture<HttpResponse<String>> publish = CompletableFuture.supplyAsync(
                    () -> api.post("{\"key\":\"k\",\"value\":" + big + "}"));
            Await.until(() -> holdsThePublish(redis));
            stopping.close(); // SIGTERM
            HttpResponse<String> answer = publish.get(30, TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode(), () -> answer.body() + "\nthe instance's output:\n" + stopping.log());
        }
    }

    /**
     * Redis holds the publish's script: a blocked client with its 100 KB, as the command it
     * is blocked on or, behind a blocked heartbeat on the same connection, in its query buffer.
     */
    private static boolean holdsThePublish(RedisServer redis) {
        return redis.clients().stream().anyMatch(client -> client.contains(" flags=b ")
                && field(client, "argv-mem") + field(client, "qbuf") > 100_000);
    }

    private static long field(String client, String name) {
        return Long.parseLong(client.replaceAll(".* " + name + "=(\\d+) .*", "$1"));
    }

    private static String answer(HttpResponse<String> response) {
        return response.statusCode() + " " + response.body();
    }

    /** The status of a GET (or, with no path, a publish), or -1 when the connection is refused. */
    private static int status(Api api, String path) {
        try {
            return path == null ? api.post("{\"key\":\"k\",\"value\":\"late\"}").statusCode()
                    : api.get(path).statusCode();
        } catch (IllegalStateException refused) {
            return -1;
        }
    }
}
