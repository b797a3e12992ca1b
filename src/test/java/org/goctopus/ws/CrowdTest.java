package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crowds that must disturb nobody: thousands of upgrades at once, each with its auth call,
 * and a thousand readers that stop reading beside a hundred that keep up. The socket
 * identities come from the auth stub ({@code X-Test-Keys}).
 */
class CrowdTest {

    private static StubAuthServer auth;
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws IOException {
        auth = new StubAuthServer();
        // The default WS_WRITE_TIMEOUT (10 s): with 1 s, a reader that keeps up was cut with
        // 1013 in a CI run, its write held up while the machine's two cores were busy.
        server = TestServer.proxiedTo(auth.url(), Map.of());
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        auth.close();
    }

    private static Map<String, String> as(String key) {
        return Map.of("X-Test-Keys", key);
    }

    private static int present(String key) {
        JsonObject presence = Api.json(api.get("/?presence").body()).asJsonObject();
        return presence.containsKey(key) ? presence.getInt(key) : 0;
    }

    /** A bystander's publish → receive → ACK, bounded: what a flood must not hold up. */
    private static void roundTrip(WsClient bystander, String key) {
        String id = api.publish("{\"key\":\"" + key + "\",\"value\":\"still served\"}");
        assertEquals(id, bystander.next(Duration.ofSeconds(10)).getString("id"));
        bystander.ack(id);
    }

    /**
     * 5,000 upgrades from 32 clients at once: each is answered (101, or a refusal with a
     * status and a JSON error), every accepted one is registered, and a bystander is served
     * all along; once they leave, nothing of them stays.
     */
    @Test
    void fiveThousandUpgradesAtOnceAreEachAnsweredAndABystanderIsServedThroughout() throws Exception {
        int upgrades = 5_000;
        List<RawUpgrade> accepted = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try (WsClient bystander = WsClient.connect(server.ws("/"), as("flood-bystander"))) {
            List<Future<RawUpgrade>> answers = new ArrayList<>();
            for (int n = 0; n < upgrades; n++) {
                answers.add(clients.submit(() -> RawUpgrade.open(server.port(), "/", as("flood"))));
            }
            int rounds = 0;
            while (!answers.get(answers.size() - 1).isDone() || rounds == 0) {
                roundTrip(bystander, "flood-bystander");
                rounds++;
            }
            int refused = 0;
            for (Future<RawUpgrade> answer : answers) {
                RawUpgrade up = answer.get(60, TimeUnit.SECONDS);
                if (up.status() == 101) {
                    accepted.add(up);
                } else {
                    refused++;
                    assertTrue(up.status() == 503 || up.status() == 429, up.head());
                    assertTrue(up.body().contains("\"error\""), up.head());
                    up.close();
                }
            }
            assertTrue(accepted.size() >= upgrades * 9 / 10, accepted.size() + " accepted, " + refused + " refused");
            int registered = accepted.size();
            Await.until(Duration.ofSeconds(30), () -> present("flood") == registered);
            for (RawUpgrade up : accepted) {
                up.close();
            }
            Await.until(Duration.ofSeconds(60), () -> present("flood") == 0);
            roundTrip(bystander, "flood-bystander");
            // A socket leaves presence just before the open-socket gauge: awaited, not read once.
            Await.until(Duration.ofSeconds(10), () -> api.get("/metrics").body().contains("goctopus_connections 1.0"));
        } finally {
            clients.shutdownNow();
            for (RawUpgrade up : accepted) {
                up.close();
            }
        }
    }

    /**
     * 1,000 readers that stop reading beside 100 that read and ACK: the 100 get every message
     * of the burst once, in order, and the queue empties. (A burst this size fits in the
     * kernel's buffers of the 1,000: the close of a stalled socket is SlowClientTest's.)
     */
    @Test
    void aThousandReadersThatStopReadingLeaveAHundredOthersEveryMessageInOrder() throws Exception {
        int slow = 1_000;
        int fast = 100;
        int burst = 100;
        List<RawUpgrade> stalled = new ArrayList<>();
        List<WsClient> readers = new ArrayList<>();
        try {
            ExecutorService clients = Executors.newFixedThreadPool(32);
            try {
                List<Future<RawUpgrade>> opening = new ArrayList<>();
                for (int n = 0; n < slow; n++) {
                    opening.add(clients.submit(() -> RawUpgrade.open(server.port(), "/", as("crowd"))));
                }
                for (Future<RawUpgrade> up : opening) {
                    stalled.add(up.get(60, TimeUnit.SECONDS));
                }
            } finally {
                clients.shutdownNow();
            }
            for (int n = 0; n < fast; n++) {
                readers.add(WsClient.connect(server.ws("/"), as("crowd")));
            }
            Await.until(Duration.ofSeconds(30), () -> present("crowd") == slow + fast);
            String pad = "x".repeat(4_000);
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < burst; n++) {
                ids.add(api.publish("{\"key\":\"crowd\",\"value\":{\"n\":" + n + ",\"pad\":\"" + pad + "\"}}"));
            }
            for (WsClient reader : readers) {
                for (String id : ids) {
                    JsonObject frame = reader.next(Duration.ofSeconds(30));
                    assertEquals(id, frame.getString("id"));
                    reader.ack(id);
                }
            }
            String end = api.publish("{\"key\":\"crowd\",\"value\":\"end\"}");
            for (WsClient reader : readers) {
                assertEquals(end, reader.next(Duration.ofSeconds(30)).getString("id"), "nothing twice before it");
                reader.ack(end);
            }
            Await.until(() -> api.get("/?key=crowd").body().equals("[]"));
        } finally {
            for (RawUpgrade up : stalled) {
                up.close();
            }
            for (WsClient reader : readers) {
                reader.close();
            }
        }
        Await.until(Duration.ofSeconds(60), () -> present("crowd") == 0);
    }
}
