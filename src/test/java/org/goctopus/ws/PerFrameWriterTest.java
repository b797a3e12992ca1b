package org.goctopus.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.goctopus.core.Message;
import org.junit.jupiter.api.Test;

/**
 * Per-frame writes on a container that runs each send's completion inline, inside
 * {@code sendText}, as Tyrus (Payara) does when the bytes leave at once: 10,000 frames
 * go out in order on a stack that does not grow with them.
 */
class PerFrameWriterTest {

    private static final int FRAMES = 10_000;

    private final List<String> written = new ArrayList<>();
    private int deepest;

    /** An async remote endpoint whose sends complete at once, on the caller's stack. */
    private Session inlineCompletingSession(SendResult result) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("sendText") || args.length != 2) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    deepest = Math.max(deepest, Thread.currentThread().getStackTrace().length);
                    written.add((String) args[0]);
                    ((SendHandler) args[1]).onResult(result);
                    return null;
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getAsyncRemote")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return remote;
                });
    }

    static List<Message> messages(int n) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(new Message(UUID.randomUUID(), i + 1, List.of("k"), Instant.now(), Integer.toString(i),
                    System.currentTimeMillis() + Duration.ofMinutes(5).toMillis(), "5m"));
        }
        return messages;
    }

    @Test
    void inlineCompletionsDoNotGrowTheStack() {
        List<Message> messages = messages(FRAMES);
        AtomicInteger doneCalls = new AtomicInteger();
        Throwable[] error = {new AssertionError("done not called")};
        int base = Thread.currentThread().getStackTrace().length;
        new PerFrameWriter().write(inlineCompletingSession(new SendResult()), messages, e -> {
            doneCalls.incrementAndGet();
            error[0] = e;
        });
        assertEquals(1, doneCalls.get());
        assertNull(error[0]);
        assertEquals(messages.stream().map(Message::frame).toList(), written);
        assertTrue(deepest < base + 30, () -> "the stack grew to " + deepest + " frames from " + base);
    }

    @Test
    void aFailedSendEndsTheWriteOnceWithItsError() {
        IllegalStateException broken = new IllegalStateException("broken pipe");
        AtomicInteger doneCalls = new AtomicInteger();
        Throwable[] error = {null};
        new PerFrameWriter().write(inlineCompletingSession(new SendResult(broken)), messages(3), e -> {
            doneCalls.incrementAndGet();
            error[0] = e;
        });
        assertEquals(1, doneCalls.get());
        assertEquals(broken, error[0]);
        assertEquals(1, written.size());
    }
}
