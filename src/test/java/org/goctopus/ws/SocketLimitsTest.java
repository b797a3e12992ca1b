package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.DataInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.goctopus.core.CloseCode;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TcpProxy;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inbound frame size, keepalive and read timeout, and the close on stop. Every socket has key "k". */
class SocketLimitsTest {

    static TestServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("WS_MAX_MESSAGE_SIZE", "1024", "WS_PING_INTERVAL", "200ms",
                "WS_READ_TIMEOUT", "600ms"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void empty() {
        api.delete("/");
        Await.until(() -> presence().equals("{}"));
    }

    private static String presence() {
        return Api.json(api.get("/?presence").body()).toString();
    }

    private static void receivesANewMessage(WsClient client) {
        String id = api.publish("{\"key\":\"k\",\"value\":\"still here\",\"expire\":\"1m\"}");
        assertEquals(id, client.next().getString("id"));
        client.ack(id);
    }

    @Test
    void aFrameOverTheLimitClosesWith1009AndOtherSocketsAreUnaffected() {
        try (WsClient big = WsClient.connect(server.ws("/")); WsClient other = WsClient.connect(server.ws("/"))) {
            big.sendText("x".repeat(2000));
            assertEquals(1009, big.awaitClose(Duration.ofSeconds(10)));
            Await.until(() -> presence().equals("{\"k\":1}"));
            assertFalse(other.socket().isInputClosed());
            receivesANewMessage(other);
        }
    }

    @Test
    void theLimitCountsBytesNotCharacters() {
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            client.sendText("é".repeat(600)); // 600 characters, 1200 bytes
            assertEquals(1009, client.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            client.sendText("y".repeat(1024));
            receivesANewMessage(client);
            assertFalse(client.socket().isInputClosed());
        }
    }

    @Test
    void aClientThatAnswersPingsOutlivesTheReadTimeout() {
        try (WsClient client = WsClient.connect(server.ws("/"))) {
            // Nothing but pings and pongs for well over WS_READ_TIMEOUT (600ms).
            client.assertNothingWithin(Duration.ofMillis(1600));
            assertFalse(client.socket().isInputClosed(), "closed although it answered the pings");
            assertEquals("{\"k\":1}", presence());
            receivesANewMessage(client);
        }
    }

    @Test
    void aPeerThatNeverAnswersIsClosedAfterTheReadTimeout() throws IOException {
        try (RawUpgrade raw = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, raw.status(), raw.head());
            Await.until(() -> presence().equals("{\"k\":1}"));
            // It never reads nor answers a ping: past WS_READ_TIMEOUT (600ms) the server drops it...
            Await.until(Duration.ofSeconds(5), () -> presence().equals("{}"));
            // ...and says so with a close frame, after the pings it sent. (Tomcat then waits up to its
            // session close timeout, 30 s, for the peer's own close before ending the TCP connection.)
            raw.socket().setSoTimeout(5_000);
            DataInputStream in = new DataInputStream(raw.socket().getInputStream());
            int pings = 0;
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int length = in.readUnsignedByte(); // server frames are unmasked; control frames < 126 bytes
                byte[] payload = in.readNBytes(length);
                if (opcode == 0x9) {
                    pings++;
                } else {
                    assertEquals(0x8, opcode, "only pings, then a close");
                    assertTrue(length >= 2, "the close frame carries a code");
                    assertEquals(CloseCode.READ_TIMEOUT.code(), ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
                    break;
                }
            }
            assertTrue(pings >= 1, "the server pinged before giving up");
        }
    }

    /**
     * A client whose network vanishes (no FIN, no RST: a relay that stops forwarding) is
     * dropped by the read timeout; what was published meanwhile waits for its return, and
     * the socket beside it never notices.
     */
    @Test
    void aClientThatVanishesWithoutAFinIsDroppedAndItsMessagesWaitForItsReturn() {
        try (TcpProxy network = TcpProxy.to(server.port());
             WsClient vanishing = WsClient.connect(URI.create("ws://127.0.0.1:" + network.port() + "/"));
             WsClient bystander = WsClient.connect(server.ws("/"))) {
            Await.until(() -> presence().equals("{\"k\":2}"));
            network.freeze();
            String id = api.publish("{\"key\":\"k\",\"value\":\"while away\",\"expire\":\"1m\"}");
            assertEquals(id, bystander.next().getString("id"));
            // Past WS_READ_TIMEOUT (600ms) without a pong, the vanished one is dropped.
            Await.until(Duration.ofSeconds(5), () -> presence().equals("{\"k\":1}"));
            try (WsClient back = WsClient.connect(server.ws("/"))) {
                assertEquals(id, back.next().getString("id"));
                back.ack(id);
            }
            // The bystander answered every ping meanwhile, and still receives.
            receivesANewMessage(bystander);
        }
    }

    @Test
    void stoppingTheServerClosesSocketsWith1001() {
        TestServer dedicated = TestServer.start();
        boolean stopped = false;
        try (WsClient client = WsClient.connect(dedicated.ws("/"))) {
            Await.until(() -> dedicated.api().get("/?presence").body().contains("\"k\""));
            stopped = true;
            dedicated.close();
            assertEquals(1001, client.awaitClose(Duration.ofSeconds(10)));
        } finally {
            if (!stopped) {
                dedicated.close();
            }
        }
    }
}
