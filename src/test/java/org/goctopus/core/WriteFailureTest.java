package org.goctopus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.goctopus.config.Settings;
import org.goctopus.engine.MemoryEngine;
import org.goctopus.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write that fails closes the socket, and the close code says why: a container's own
 * send timeout (which races the sweeper's WS_WRITE_TIMEOUT) is a slow peer, 1013, counted
 * in goctopus_slow_clients_closed_total; any other failure is 1011. The message stays
 * queued either way.
 */
class WriteFailureTest {

    private final Settings settings = Settings.parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "k")::get);
    private final Metrics metrics = new Metrics();
    private final Hub hub = new Hub(settings, new MemoryEngine(0, Duration.ZERO, settings.maxQueuedBytes()),
            new LocalPresence(), metrics);

    @AfterEach
    void close() {
        hub.close();
    }

    private CloseCode closeCodeAfter(Throwable error) throws Exception {
        hub.publish(new Publication(List.of("k"), "1", Duration.ofMinutes(5), "5m", null));
        InlineTransport transport = new InlineTransport(error, messages -> { });
        hub.register(List.of("k"), transport);
        return transport.closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aContainersSendTimeoutIsASlowPeer() throws Exception {
        assertEquals(CloseCode.TRY_AGAIN_LATER, closeCodeAfter(new IOException(new SocketTimeoutException("send"))));
        assertTrue(metrics.scrape().contains("goctopus_slow_clients_closed_total 1.0"), metrics.scrape());
        assertEquals(1, hub.queued("k").toCompletableFuture().get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void anyOtherFailureIsAFailedWrite() throws Exception {
        assertEquals(CloseCode.WRITE_FAILED, closeCodeAfter(new IOException("broken pipe")));
        assertTrue(metrics.scrape().contains("goctopus_slow_clients_closed_total 0.0"), metrics.scrape());
        assertEquals(1, hub.queued("k").toCompletableFuture().get(10, TimeUnit.SECONDS).size());
    }
}
