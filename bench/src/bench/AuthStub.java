package bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The auth endpoint both servers call on each upgrade: 200
 * {"user":{"email":KEY,"organization_name":ORG}} for {@code Cookie: key=KEY[; org=ORG]}
 * (ORG defaults to "org"), else 401. Runs in its own process so its CPU is measured apart.
 */
final class AuthStub {
    private AuthStub() {
    }

    static void main(int port) throws IOException {
        // Without it the JDK server's small keep-alive responses meet delayed ACKs: ~40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", AuthStub::handle);
        server.start();
        System.err.println("auth stub listening on http://127.0.0.1:" + port + "/");
    }

    /**
     * Calls the stub over keep-alive connections from 16 threads before any server is measured:
     * the stub is a JVM too, and it shares the cores with the server. Its CPU per call fell from
     * 93 to 26 µs over its first 200,000 calls; warmed only by the first server's runs, it made
     * that server pay for compiling it (in one full run, 72 µs of stub CPU per upgrade of
     * goctopus's S4 against 40 µs per upgrade of Nchan's, which came second).
     */
    static void warm(int port, int calls) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[16];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try (Http http = new Http(address)) {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        http.exchange(("GET /auth HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: key=warm-" + i
                                + "; org=warm\r\n\r\n").getBytes(StandardCharsets.US_ASCII), false);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "stub-warm-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String key = null;
            String org = "org";
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            if (cookie != null) {
                for (String part : cookie.split(";")) {
                    String p = part.trim();
                    if (p.startsWith("key=")) {
                        key = p.substring(4);
                    } else if (p.startsWith("org=")) {
                        org = p.substring(4);
                    }
                }
            }
            byte[] body;
            int status;
            if (key == null || key.isEmpty()) {
                status = 401;
                body = "{\"error\":\"no key cookie\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = ("{\"user\":{\"email\":\"" + key + "\",\"organization_name\":\"" + org + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
