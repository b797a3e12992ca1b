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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RedisServer;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * A Sentinel-managed Redis (one master, one replica, three sentinels) under the service
 * with WS_REDIS_MIN_REPLICAS=1: the master is killed while a backend publishes, the
 * sentinels promote the replica, the service finds the new master by itself, and every
 * message that got a 202 (each was on the replica before its 202) is still queued.
 */
class SentinelFailoverTest {

    @Test
    void aFailoverLosesNoAcceptedMessage() throws Exception {
        List<RedisServer> servers = new ArrayList<>();
        try {
            RedisServer master = RedisServer.start();
            servers.add(master);
            RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
            servers.add(replica);
            Await.until(Duration.ofSeconds(20), () -> info(master, "connected_slaves:1"));
            StringBuilder url = new StringBuilder("redis-sentinel://");
            for (int i = 0; i < 3; i++) {
                RedisServer sentinel = RedisServer.sentinel(String.join("\n",
                        "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 2",
                        "sentinel down-after-milliseconds mymaster 1000",
                        "sentinel failover-timeout mymaster 10000",
                        "sentinel parallel-syncs mymaster 1", ""));
                servers.add(sentinel);
                url.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinel.port());
            }
            url.append("/0#mymaster");
            try (TestServer server = TestServer.start(Map.of("WS_STORAGE", "redis", "WS_REDIS_URL", url.toString(),
                    "WS_REDIS_PREFIX", "sentinel:", "WS_REDIS_MIN_REPLICAS", "1"))) {
                Api api = server.api();
                List<String> accepted = new ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    accepted.add(publishRetrying(api, n));
                }
                ExecutorService backend = Executors.newSingleThreadExecutor();
                try {
                    master.kill();
                    Future<List<String>> during = backend.submit(() -> {
                        List<String> ids = new ArrayList<>();
                        for (int n = 20; n < 40; n++) {
                            ids.add(publishRetrying(api, n));
                        }
                        return ids;
                    });
                    Await.until(Duration.ofSeconds(30), () -> roleIsMaster(replica));
                    // Only now does the old master come back (empty: it does not persist), and the
                    // sentinels make it the new master's replica, so that WS_REDIS_MIN_REPLICAS=1
                    // can be met again. Back before the failover, it would still be the master.
                    master.restart();
                    accepted.addAll(during.get(90, TimeUnit.SECONDS));
                } finally {
                    backend.shutdownNow();
                }
                List<String> queued = new ArrayList<>();
                for (JsonObject m : Api.json(api.get("/?key=k").body()).asJsonArray()
                        .getValuesAs(JsonObject.class)) {
                    queued.add(m.getString("id"));
                }
                assertEquals(accepted, queued);
                try (WsClient socket = WsClient.connect(server.ws("/"))) {
                    for (int n = 0; n < accepted.size(); n++) {
                        assertEquals(n, socket.next().getInt("payload"));
                    }
                }
            }
        } finally {
            servers.forEach(RedisServer::close);
        }
    }

    /**
     * What a backend does (SPEC §4): a 503 means "maybe stored", so it posts again with
     * the same message_id until it gets a 202, bounded here by a minute.
     */
    private static String publishRetrying(Api api, int n) {
        String messageId = UUID.randomUUID().toString();
        String body = "{\"key\":\"k\",\"message_id\":\"" + messageId + "\",\"value\":" + n + "}";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = api.post(body);
            if (r.statusCode() == 202) {
                return messageId;
            }
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(System.nanoTime() < deadline, "no 202 within a minute: " + r.body());
            Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
        }
    }

    private static boolean roleIsMaster(RedisServer redis) {
        return info(redis, "role:master");
    }

    private static boolean info(RedisServer redis, String line) {
        try {
            return redis.bulk("INFO", "replication").contains(line);
        } catch (IOException e) {
            return false;
        }
    }
}
