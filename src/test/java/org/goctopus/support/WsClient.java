package org.goctopus.support;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A websocket client over a real socket (the JDK's), collecting every frame it receives. */
public final class WsClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason = "";
    private final WebSocket socket;

    private WsClient(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new Listener()).orTimeout(20, TimeUnit.SECONDS).join();
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, Map.of());
    }

    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers);
    }

    /** The next frame, parsed; fails after {@code timeout}. */
    public JsonObject next(Duration timeout) {
        try {
            String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + timeout);
            }
            return Api.json(frame).asJsonObject();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonObject next() {
        return next(Duration.ofSeconds(10));
    }

    /** The next {@code n} frames. */
    public List<JsonObject> next(int n) {
        List<JsonObject> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(next());
        }
        return list;
    }

    /** Waits {@code quiet} and asserts nothing arrived: used only to prove an absence. */
    public void assertNothingWithin(Duration quiet) {
        try {
            String frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (frame != null) {
                throw new AssertionError("unexpected frame " + frame);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public void ack(String id) {
        sendText("{\"id\":\"" + id + "\"}");
    }

    /** Sends a frame; when the server has closed the socket, fails naming its close code and reason. */
    public void sendText(String text) {
        try {
            socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            Integer code = closeCode.getNow(null);
            if (code != null) {
                throw new AssertionError("the server closed the socket: " + code + " " + closeReason, e);
            }
            throw e;
        }
    }

    public WebSocket socket() {
        return socket;
    }

    /** The close code the server sent; fails after {@code timeout}. */
    public int awaitClose(Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
