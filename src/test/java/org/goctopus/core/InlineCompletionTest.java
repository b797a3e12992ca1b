package org.goctopus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.goctopus.config.Settings;
import org.goctopus.engine.MemoryEngine;
import org.goctopus.metrics.Metrics;
import org.goctopus.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection over a transport that completes each send inline (on the caller's stack,
 * as a container may when the bytes leave at once): a 10,000-message backlog goes out
 * whole, in order, batch after batch, on a stack that does not grow with the batches.
 */
class InlineCompletionTest {

    private final Settings settings = Settings.parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "k")::get);
    private final Hub hub = new Hub(settings, new MemoryEngine(0, Duration.ZERO, settings.maxQueuedBytes()),
            new LocalPresence(), new Metrics());

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void aLongBacklogGoesOutInOrderWithoutRecursion() {
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            published.add(Integer.toString(i));
            hub.publish(new Publication(List.of("k"), Integer.toString(i), Duration.ofMinutes(5), "5m", null));
        }
        List<String> frames = new ArrayList<>();
        int[] deepest = {0};
        InlineTransport transport = new InlineTransport(null, messages -> {
            deepest[0] = Math.max(deepest[0], Thread.currentThread().getStackTrace().length);
            messages.forEach(m -> frames.add(m.payloadJson()));
        });
        int base = Thread.currentThread().getStackTrace().length;
        hub.register(List.of("k"), transport);
        Await.until(() -> frames.size() == published.size());
        assertEquals(published, frames);
        assertTrue(deepest[0] < base + 60, () -> "the stack grew to " + deepest[0] + " from " + base);
    }
}
