package org.goctopus.ws;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.goctopus.core.DaemonThreads;
import org.goctopus.core.Message;

/**
 * Writes a socket's queued frames together: with batching allowed the container
 * gathers them in its output buffer, and one flush sends them, so a burst costs
 * a few socket writes instead of one write and one completion hand-off per
 * frame. The JSR-356 flush blocks until the peer has taken the bytes (or the
 * container's blocking send timeout passes), so each burst runs on a thread of
 * its own: a virtual thread on Java 21+, which a stalled peer parks without
 * holding a carrier; elsewhere (WS_WRITES=batched on Java 17) a pooled platform
 * thread, which a stalled peer holds until the timeout. Pooled, because starting
 * a platform thread per burst cost some 250 µs: a broadcast to a thousand
 * sockets then took a quarter of a second before the next could start.
 */
final class BatchingWriter implements FrameWriter {

    private final DaemonThreads.Owned platformThreads = DaemonThreads.owned("goctopus-writer");
    private final ExecutorService bursts = VirtualThreads.newPerTaskExecutor()
            .orElseGet(() -> Executors.newCachedThreadPool(platformThreads));

    @Override
    public void write(Session session, List<Message> messages, Consumer<Throwable> done) {
        Runnable burst = () -> done.accept(writeAll(session, messages));
        try {
            bursts.execute(burst);
        } catch (RejectedExecutionException e) {
            burst.run(); // the deployment stops: its last frames are written here
        }
    }

    private static Throwable writeAll(Session session, List<Message> messages) {
        try {
            RemoteEndpoint.Basic remote = session.getBasicRemote();
            remote.setBatchingAllowed(true);
            for (Message message : messages) {
                remote.sendText(message.frame());
            }
            remote.setBatchingAllowed(false); // flushes the batch
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    @Override
    public String description() {
        return VirtualThreads.available() ? "batched, on virtual threads" : "batched, on pooled platform threads";
    }

    /** Idle threads end now; one still writing to a stalled peer is waited for a bounded time. */
    @Override
    public void close() {
        bursts.shutdown();
        platformThreads.awaitEnd(Duration.ofSeconds(5));
    }
}
