package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.goctopus.deploy.Container;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that break the protocol, through real sockets: each gets its close code or
 * status, and a well-behaved socket connected all along still gets a message published
 * after the abuse, its queue untouched. Every socket has the key "k".
 */
class HostileClientsTest {

    static TestServer server;
    static Api api;
    private WsClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("WS_MAX_MESSAGE_SIZE", "1024"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connectABystander() {
        api.delete("/");
        bystander = WsClient.connect(server.ws("/"));
        Await.until(() -> api.get("/?presence").body().equals("{\"k\":1}"));
    }

    /** The bystander is still connected and still receives, once. */
    @AfterEach
    void theBystanderWasNotDisturbed() {
        try {
            String id = api.publish("{\"key\":\"k\",\"value\":\"after\"}");
            assertEquals(id, bystander.next().getString("id"));
            bystander.ack(id);
            Await.until(() -> api.get("/?key=k").body().equals("[]"));
        } finally {
            bystander.close();
        }
    }

    /** A client frame, masked or not (RFC 6455: a client must mask; a server refuses what is not). */
    private static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        int header = 2 + (payload.length > 125 ? 2 : 0) + (masked ? 4 : 0);
        byte[] out = new byte[header + payload.length];
        out[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int at = 2;
        if (payload.length > 125) {
            out[1] = (byte) ((masked ? 0x80 : 0) | 126);
            out[2] = (byte) (payload.length >> 8);
            out[3] = (byte) payload.length;
            at = 4;
        } else {
            out[1] = (byte) ((masked ? 0x80 : 0) | payload.length);
        }
        if (masked) {
            System.arraycopy(mask, 0, out, at, 4);
            at += 4;
        }
        for (int i = 0; i < payload.length; i++) {
            out[at + i] = (byte) (masked ? payload[i] ^ mask[i % 4] : payload[i]);
        }
        return out;
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() throws IOException {
        assumeTrue(Container.selected().refusesUnmaskedFrames(), "this container reads unmasked frames");
        try (RawUpgrade raw = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, raw.status());
            OutputStream out = raw.socket().getOutputStream();
            out.write(frame(0x1, true, "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), false));
            out.flush();
            assertEquals(1002, raw.readUntilClose());
        }
    }

    /** Where the container does not enforce the mask (Tyrus), the frame is read as any other: here, an ACK. */
    @Test
    void whereTheContainerReadsAnUnmaskedFrameItIsAnyOtherFrame() throws IOException {
        assumeFalse(Container.selected().refusesUnmaskedFrames(), "this container refuses unmasked frames");
        try (RawUpgrade raw = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, raw.status());
            Await.until(() -> api.get("/?presence").body().equals("{\"k\":2}"));
            String id = api.publish("{\"key\":\"k\",\"value\":\"unmasked ack\"}");
            assertEquals(id, bystander.next().getString("id"));
            OutputStream out = raw.socket().getOutputStream();
            out.write(frame(0x1, true, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), false));
            out.flush();
            Await.until(() -> api.get("/?key=k").body().equals("[]"));
        }
    }

    /** Continuation frames that never end: closed with 1009 once past WS_MAX_MESSAGE_SIZE, not buffered forever. */
    @Test
    void aMessageFragmentedWithoutEndIsClosedWith1009() throws IOException {
        try (RawUpgrade raw = RawUpgrade.open(server.port(), "/", Map.of())) {
            assertEquals(101, raw.status());
            OutputStream out = raw.socket().getOutputStream();
            byte[] part = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
            out.write(frame(0x1, false, part, true));
            for (int i = 0; i < 20; i++) { // 2,100 bytes: past the 1,024 allowed
                out.write(frame(0x0, false, part, true));
            }
            out.flush();
            assertEquals(1009, raw.readUntilClose());
        }
    }

    /** A handshake that trickles in a byte at a time holds no thread the others need. */
    @Test
    void aTricklingHandshakeDisturbsNoOne() throws Exception {
        try (Socket trickler = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = trickler.getOutputStream();
            byte[] start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (byte b : start) {
                out.write(b);
                out.flush();
                String id = api.publish("{\"key\":\"k\",\"value\":\"meanwhile\"}");
                assertEquals(id, bystander.next().getString("id"));
                bystander.ack(id);
            }
        }
    }

    /** 10,000 bodies that are not JSON: each a 400 with a JSON error; nothing stored, nothing sent. */
    @Test
    void tenThousandBadBodiesAreEach400() {
        for (int n = 0; n < 10_000; n++) {
            HttpResponse<String> answer = api.post(n % 2 == 0 ? "{\"key\":\"k\",\"value\":" : "\u0000" + n);
            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith("{\"error\":"), answer.body());
        }
        assertEquals("[]", api.get("/?key=k").body());
    }

    /** An auth backend that resets every connection: each upgrade 503, and the others stay. */
    @Test
    void anAuthBackendThatResetsGives503() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestServer proxied = TestServer.proxiedTo("http://127.0.0.1:" + backend.getLocalPort() + "/auth",
                     Map.of())) {
            Thread resetter = new Thread(() -> {
                while (!backend.isClosed()) {
                    try (Socket call = backend.accept()) {
                        call.setSoLinger(true, 0); // close with RST
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "resetting-backend");
            resetter.setDaemon(true);
            resetter.start();
            for (int i = 0; i < 3; i++) {
                try (RawUpgrade refused = RawUpgrade.open(proxied.port(), "/", Map.of("Cookie", "s=1"))) {
                    assertEquals(503, refused.status(), refused.head());
                }
            }
        }
    }
}
