package org.goctopus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.goctopus.support.Api;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend that sends requests and never reads their answers (HTTP/1.1 pipelining from a
 * stuck worker): the server's write of that client's answers blocks, and nobody else may
 * wait on it. On the Redis engine the answers of requests suspended on the store were
 * written on the Redis client's one I/O thread: that write blocked every Redis command of
 * the instance, and other backends' publishes got 503 until the write timed out.
 */
class ClientThatStopsReadingTest {

    /** Answers far larger than the kernel's buffers: the server's write blocks within a few. */
    private static final int VALUE_CHARS = 512 * 1024;
    private static final int PIPELINED = 200;

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBackendThatNeverReadsItsAnswersHoldsUpNoOtherPublishOrDelivery() throws Exception {
        api.publish("{\"key\":\"big\",\"value\":\"" + "x".repeat(VALUE_CHARS) + "\"}");
        try (Socket stuck = new Socket(); WsClient reader = WsClient.connect(server.ws("/"))) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            pipelineReadsOfBig(stuck);
            // The first answers fill the buffers at once; from then on the server's write of
            // the next one is blocked for as long as this test runs.
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int rounds = 0;
            while (System.nanoTime() < end || rounds < 10) {
                String id = api.publish("{\"key\":\"k\",\"value\":" + rounds + "}");
                assertEquals(id, reader.next(Duration.ofSeconds(5)).getString("id"));
                reader.ack(id);
                rounds++;
            }
        }
        assertEquals(200, api.delete("/").statusCode());
    }

    /** Sends the GETs of key "big" on the socket from a thread of their own, never reading. */
    private static void pipelineReadsOfBig(Socket socket) {
        String credentials = Base64.getEncoder().encodeToString(
                (TestServer.LOGIN + ":" + TestServer.PASSWORD).getBytes(StandardCharsets.UTF_8));
        byte[] get = ("GET /?key=big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + credentials
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Thread requests = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int n = 0; n < PIPELINED; n++) {
                    out.write(get);
                }
                out.flush();
            } catch (IOException e) {
                // closed by the test's end
            }
        }, "pipelined-gets");
        requests.setDaemon(true);
        requests.start();
    }
}
