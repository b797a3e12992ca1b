package org.goctopus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.goctopus.deploy.ServerProcess;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.RedisServer;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * No log line, at any level, carries a secret: the API password (nor its Basic header), a
 * wrong password a client tried, the Redis password, a Cookie or an Authorization header of
 * an upgrade. One verbose run of the executable WAR, on a Redis with a password, goes
 * through every path that logs (allowed and refused upgrades, a backend that refuses, right
 * and wrong API credentials, publish, ACK, bad input, a DELETE, the stop), then its whole
 * output is searched. (The TLS key: LauncherIT's TLS run.)
 */
class SecretsInLogsIT {

    private static final String API_SECRET = "api-pass-7f3a91";
    private static final String WRONG_SECRET = "wrong-pass-c4e2d8";
    private static final String REDIS_SECRET = "redis-pass-9b17e0";
    private static final String COOKIE_SECRET = "cookie-9d2c51";
    private static final String BEARER_SECRET = "bearer-1a6f3e";

    @Test
    void aVerboseRunThroughEveryPathLogsNoSecret() throws Exception {
        try (RedisServer redis = RedisServer.start(); StubAuthServer auth = new StubAuthServer()) {
            redis.command("CONFIG", "SET", "requirepass", REDIS_SECRET);
            int port = ServerProcess.freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ServerProcess server = ServerProcess.start(List.of(java, "-jar", "target/goctopus.war"),
                    Path.of("").toAbsolutePath(), Map.of("WS_HOST", "127.0.0.1", "WS_PORT", Integer.toString(port),
                            "WS_VERBOSE", "true", "WS_LOGIN", "backend", "WS_PASSWORD", API_SECRET,
                            "WS_AUTH_URL", auth.url(), "WS_STORAGE", "redis",
                            "WS_REDIS_URL", "redis://:" + REDIS_SECRET + "@127.0.0.1:" + redis.port() + "/0"),
                    port, "", Duration.ofSeconds(60));
            try {
                Api api = new Api(server.http(""), "backend", API_SECRET);
                Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
                Map<String, String> credentials = Map.of("Cookie", "session=" + COOKIE_SECRET,
                        "Authorization", "Bearer " + BEARER_SECRET);
                try (WsClient socket = WsClient.connect(server.ws("/"), Map.of("X-Test-Keys", "k",
                        "Cookie", "session=" + COOKIE_SECRET, "Authorization", "Bearer " + BEARER_SECRET))) {
                    Await.until(() -> api.get("/?presence").body().equals("{\"k\":1}"));
                    String id = api.publish("{\"key\":\"k\",\"value\":1}");
                    assertEquals(id, socket.next().getString("id"));
                    socket.ack(id);
                    socket.sendText("not json");
                }
                auth.answer(Answer.status(401));
                try (RawUpgrade refused = RawUpgrade.open(port, "/", credentials)) {
                    assertEquals(401, refused.status());
                }
                auth.answer(Answer.garbage());
                try (RawUpgrade refused = RawUpgrade.open(port, "/", credentials)) {
                    assertEquals(503, refused.status());
                }
                assertEquals(403, api.as("backend", WRONG_SECRET).get("/").statusCode());
                assertEquals(400, api.post("{bad json").statusCode());
                assertEquals(400, api.send("DELETE", "/?id=not-a-uuid&key=k", HttpRequest.BodyPublishers.noBody(), null)
                        .statusCode());
                assertEquals(200, api.delete("/?key=k").statusCode());
            } finally {
                server.close(); // the stop logs too
            }
            String output = server.log();
            assertTrue(output.contains("FINE"), "not a verbose run:\n" + output);
            assertTrue(output.contains("upgrade refused"), "the refusals were not logged:\n" + output);
            for (String secret : List.of(API_SECRET, basic(API_SECRET), WRONG_SECRET, basic(WRONG_SECRET),
                    REDIS_SECRET, COOKIE_SECRET, BEARER_SECRET)) {
                assertFalse(output.contains(secret), () -> "the log carries " + secret + ":\n" + output);
            }
        }
    }

    private static String basic(String password) {
        return Base64.getEncoder().encodeToString(("backend:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
