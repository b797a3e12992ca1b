package org.goctopus.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RedisServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The WAR with WS_STORAGE=redis on a standalone Tomcat, undeployed while Tomcat keeps
 * running (its context file removed, as an operator would): Tomcat reports no thread the
 * application left behind (Lettuce's Netty threads included) and Redis sees every one
 * of its connections closed.
 */
class TomcatRedisUndeployIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void undeployingLeavesNoThreadAndNoRedisConnection() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServerProcess tomcat = StandaloneTomcat.start(Path.of(System.getProperty("tomcat10.zip")), "",
                     Map.of("WS_STORAGE", "redis", "WS_REDIS_URL", redis.url(), "WS_LOGIN", "backend",
                             "WS_PASSWORD", "change-me", "WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "k"))) {
            Api api = new Api(tomcat.http(""), "backend", "change-me");
            Await.until(Duration.ofSeconds(30), () -> api.get("/readyz").statusCode() == 200);
            try (WsClient socket = WsClient.connect(tomcat.ws("/"))) {
                String id = api.publish("{\"key\":\"k\",\"value\":1}");
                assertEquals(id, socket.next().getString("id"));
            }
            Await.until(() -> clients(redis) > 1);

            Files.delete(tomcat.workDir().resolve("conf/Catalina/localhost/ROOT.xml"));
            // Tomcat's background check (every 10 s) undeploys it; the stock ROOT is not there.
            Await.until(Duration.ofSeconds(40), () -> status(tomcat, "/healthz") == 404);
            Await.until(Duration.ofSeconds(10), () -> tomcat.log().contains("Undeploying"));

            Await.until(Duration.ofSeconds(10), () -> clients(redis) == 1); // only this test's own
            String log = tomcat.log();
            assertFalse(log.contains("failed to stop it"), log);
            assertFalse(log.contains("memory leak"), log);
        }
    }

    /** connected_clients, this query's own connection included. */
    private static long clients(RedisServer redis) {
        try {
            String info = redis.bulk("INFO", "clients");
            return Long.parseLong(info.replaceAll("(?s).*connected_clients:(\\d+).*", "$1"));
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static int status(ServerProcess server, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
