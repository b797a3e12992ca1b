package org.goctopus.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A customer's auth backend on 127.0.0.1: answers each call as told (allow with a
 * JSON body, a status, garbage, or hang until closed) and records the headers it
 * was sent. By default it allows with the keys in the {@code X-Test-Keys} request
 * header, or else in a {@code keys} cookie (a browser sets no header on a WebSocket), so
 * one stub serves many identities.
 */
public final class StubAuthServer implements AutoCloseable {

    /** What the stub answers. */
    public record Answer(int status, String body, boolean hangs) {
        public static Answer allow(String json) {
            return new Answer(200, json, false);
        }

        public static Answer status(int status) {
            return new Answer(status, "{\"error\":\"no\"}", false);
        }

        public static Answer garbage() {
            return new Answer(200, "<html>not json</html>", false);
        }

        public static Answer hanging() {
            return new Answer(200, "{}", true);
        }
    }

    private final HttpServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private final BlockingQueue<Headers> calls = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    public StubAuthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/auth";
    }

    public StubAuthServer answer(Answer a) {
        answer.set(a);
        return this;
    }

    /** The headers of the next call it received, waiting at most 10 s. */
    public Headers nextCall() throws InterruptedException {
        Headers h = calls.poll(10, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("the auth server was not called");
        }
        return h;
    }

    public int callsSoFar() {
        return calls.size();
    }

    /** Forgets the calls received so far, so that the next test sees only its own. */
    public void forgetCalls() {
        calls.clear();
    }

    /** How many TCP connections the calls so far came on (one client port each). */
    public int connectionsSoFar() {
        return clientPorts.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        calls.add(exchange.getRequestHeaders());
        Answer a = answer.get();
        if (a == null) {
            String keys = exchange.getRequestHeaders().getFirst("X-Test-Keys");
            if (keys == null) {
                keys = cookie(exchange.getRequestHeaders().getFirst("Cookie"), "keys");
            }
            a = keys == null ? Answer.status(401) : Answer.allow("{\"user\":{\"email\":\"" + keys + "\"}}");
        }
        if (a.hangs()) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String cookie(String header, String name) {
        if (header != null) {
            for (String pair : header.split(";")) {
                String[] nameValue = pair.trim().split("=", 2);
                if (nameValue.length == 2 && nameValue[0].equals(name)) {
                    return nameValue[1];
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
