package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.goctopus.deploy.Container;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.ServerExtension;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WS_COMPRESS (SPEC §1): with it, a client's permessage-deflate offer is accepted and
 * messages travel compressed; without it (the default), the offer is declined and
 * frames are plain, whatever the client offers. On a container without permessage-deflate
 * (Tyrus, under Payara) WS_COMPRESS changes nothing, and the start-up log says so.
 */
class CompressionTest {

    private static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");

    @RegisterExtension
    static final ServerExtension compressing = new ServerExtension(Map.of("WS_COMPRESS", "true"));
    @RegisterExtension
    static final ServerExtension plain = new ServerExtension();
    static TestServer on;
    static TestServer off;

    @BeforeAll
    static void servers() {
        on = compressing.server();
        off = plain.server();
    }

    @Test
    void withCompressThePermessageDeflateOfferIsAcceptedAndFramesAreCompressed() throws Exception {
        assumeTrue(Container.selected().hasPermessageDeflate(), "this container has no permessage-deflate");
        try (RawUpgrade up = RawUpgrade.open(on.port(), "/", OFFER)) {
            assertEquals(101, up.status(), up.head());
            String extensions = header(up.head(), "sec-websocket-extensions");
            assertNotNull(extensions, up.head());
            assertTrue(extensions.toLowerCase(Locale.ROOT).startsWith("permessage-deflate"), up.head());

            String value = "{\"text\":\"" + "compress me ".repeat(40) + "\"}";
            String id = on.api().publish("{\"key\":\"k\",\"value\":" + value + "}");
            Frame frame = Frame.read(up.socket().getInputStream());
            assertEquals(1, frame.opcode(), "a text frame");
            assertTrue(frame.rsv1(), "RSV1: the frame is compressed");
            assertTrue(frame.payload().length < value.length(), "compressed to " + frame.payload().length + " bytes");
            JsonObject message = Api.json(inflate(frame.payload())).asJsonObject();
            assertEquals(id, message.getString("id"));
            assertEquals(Api.json(value), message.get("payload"));

            sendText(up.socket().getOutputStream(), "{\"id\":\"" + id + "\"}");
            Await.until(() -> on.api().get("/?key=k").body().equals("[]"));
        }
    }

    @Test
    void withoutCompressTheOfferIsDeclinedAndFramesArePlain() throws Exception {
        offerIsDeclinedAndFramesArePlain(off);
    }

    /** Tyrus has no permessage-deflate: WS_COMPRESS then changes nothing, and start-up says so. */
    @Test
    void withCompressOnAContainerWithoutDeflateTheOfferIsDeclinedAndTheLogSaysWhy() throws Exception {
        assumeFalse(Container.selected().hasPermessageDeflate(), "this container has permessage-deflate");
        offerIsDeclinedAndFramesArePlain(on);
        assertTrue(on.log().contains("WS_COMPRESS=true, but this container has no permessage-deflate"), on::log);
    }

    private static void offerIsDeclinedAndFramesArePlain(TestServer server) throws IOException {
        try (RawUpgrade up = RawUpgrade.open(server.port(), "/", OFFER)) {
            assertEquals(101, up.status(), up.head());
            assertNull(header(up.head(), "sec-websocket-extensions"), up.head());

            String id = server.api().publish("{\"key\":\"k\",\"value\":{\"plain\":true}}");
            Frame frame = Frame.read(up.socket().getInputStream());
            assertEquals(1, frame.opcode(), "a text frame");
            assertFalse(frame.rsv1(), "RSV1 set without a negotiated extension");
            JsonObject message = Api.json(new String(frame.payload(), StandardCharsets.UTF_8)).asJsonObject();
            assertEquals(id, message.getString("id"));
        }
    }

    @Test
    void withCompressAClientThatOffersNothingStillGetsEveryMessage() {
        // The JDK's websocket client offers no extension.
        try (WsClient client = WsClient.connect(on.ws("/"))) {
            String first = on.api().publish("{\"key\":\"k\",\"value\":1}");
            String second = on.api().publish("{\"key\":\"k\",\"value\":\"" + "x".repeat(5000) + "\"}");
            JsonObject a = client.next();
            JsonObject b = client.next();
            assertEquals(first, a.getString("id"));
            assertEquals(second, b.getString("id"));
            assertEquals("x".repeat(5000), b.getString("payload"));
            client.ack(first);
            client.ack(second);
            Await.until(() -> on.api().get("/?key=k").body().equals("[]"));
        }
    }

    @Test
    void withCompressAnUpgradeWithoutAnOfferGetsNoExtension() throws IOException {
        try (RawUpgrade up = RawUpgrade.open(on.port(), "/", Map.of())) {
            assertEquals(101, up.status(), up.head());
            assertNull(header(up.head(), "sec-websocket-extensions"), up.head());
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private record Frame(boolean rsv1, int opcode, byte[] payload) {
        static Frame read(InputStream in) throws IOException {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new AssertionError("connection closed before a frame");
            }
            assertEquals(0, b1 & 0x80, "a server frame is not masked");
            assertTrue((b0 & 0x80) != 0, "a single, final frame");
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (in.read() & 0xff);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            assertEquals(length, payload.length, "frame cut short");
            return new Frame((b0 & 0x40) != 0, b0 & 0x0f, payload);
        }
    }

    /** RFC 7692: a message's deflate stream, without its final empty stored block. */
    private static String inflate(byte[] compressed) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = new byte[compressed.length + 4];
            System.arraycopy(compressed, 0, input, 0, compressed.length);
            input[compressed.length + 2] = (byte) 0xff;
            input[compressed.length + 3] = (byte) 0xff;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    /** A masked, uncompressed client text frame (a short one). */
    private static void sendText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(payload.length < 126);
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
