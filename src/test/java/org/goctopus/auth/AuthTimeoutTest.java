package org.goctopus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.goctopus.config.InvalidSettingsException;
import org.goctopus.config.Settings;
import org.goctopus.core.DaemonThreads;
import org.goctopus.support.Api;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.Test;

/** WS_AUTH_TIMEOUT (SPEC §1, §2 step 3): an auth backend that never answers is a 503 within the bound. */
class AuthTimeoutTest {

    @Test
    void aHangingBackendGives503WithinTheTimeout() throws Exception {
        StubAuthServer hanging = new StubAuthServer().answer(Answer.hanging());
        try (hanging; TestServer server = TestServer.proxiedTo(hanging.url(), Map.of("WS_AUTH_TIMEOUT", "500ms"))) {
            try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("Cookie", "session=slow"))) {
                assertEquals(503, up.status(), up.head());
                assertFalse(up.head().toLowerCase().contains("sec-websocket-accept"), up.head());
                assertFalse(Api.json(up.body()).asJsonObject().getString("error").isBlank());
            }
            // The call reached the backend, which never answers: only the timeout ended it.
            assertEquals("session=slow", hanging.nextCall().getFirst("Cookie"));
        }
    }

    /**
     * The bound is on the whole call, not on each read: a backend that sends its answer a byte
     * every 100 ms never leaves a read waiting long, and must still be cut at WS_AUTH_TIMEOUT.
     */
    @Test
    void aBackendTricklingItsAnswerIsCutAtTheTimeout() throws Exception {
        try (TricklingBackend trickling = new TricklingBackend();
             TestServer server = TestServer.proxiedTo(trickling.url(), Map.of("WS_AUTH_TIMEOUT", "500ms"))) {
            try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("Cookie", "session=trickle"))) {
                // Waiting for the whole answer (a 200 without keys) would have given 401.
                assertEquals(503, up.status(), up.head());
                assertEquals(1, trickling.answered.getCount(), "the answer was complete before the refusal");
            }
            assertTrue(trickling.called.await(5, TimeUnit.SECONDS), "the auth backend was not called");
        }
    }

    /** Answers every connection with a 200 whose head arrives one byte per 100 ms (about 10 s). */
    private static final class TricklingBackend implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final CountDownLatch called = new CountDownLatch(1);
        /** Counted down once a whole answer went out (about 10 s after the call). */
        private final CountDownLatch answered = new CountDownLatch(1);

        TricklingBackend() throws IOException {
            daemon(this::serve);
        }

        private static void daemon(Runnable task) {
            DaemonThreads.named("trickling-backend").newThread(task).start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/auth";
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    daemon(() -> trickle(connection));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void trickle(Socket connection) {
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: "
                    + "x".repeat(20) + "\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
            try (connection) {
                connection.getInputStream().read(new byte[4096]); // the request
                called.countDown();
                OutputStream out = connection.getOutputStream();
                for (byte b : head) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
                answered.countDown();
            } catch (IOException | InterruptedException e) {
                // the caller gave up, as it should
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void theTimeoutIsAPositiveDuration() {
        // A zero or unparsable bound never reaches a server: start-up stops (SPEC §1).
        Map<String, String> base = Map.of("WS_AUTH_URL", "http://auth.example/check");
        for (String bad : new String[] {"0", "0s", "soon", "-1s"}) {
            Map<String, String> values = new HashMap<>(base);
            values.put("WS_AUTH_TIMEOUT", bad);
            InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                    () -> Settings.parse(values::get), bad);
            assertTrue(e.problems().stream().anyMatch(p -> p.contains("WS_AUTH_TIMEOUT")), e.problems()::toString);
        }
    }
}
