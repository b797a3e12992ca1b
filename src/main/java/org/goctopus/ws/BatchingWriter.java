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
import java.util.logging.Logger;
import org.goctopus.core.DaemonThreads;
import org.goctopus.core.Message;
import org.goctopus.log.Log;

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
 *
 * <p>A container may not batch at all: Tyrus (Payara) ignores {@code setBatchingAllowed},
 * so each blocking send is flushed on its own, and a burst would hold a thread for as
 * long as its peer takes each frame, for nothing (under load, readers that kept up were
 * cut with 1013 there). Where {@code getBatchingAllowed} does not read back true, the
 * frames go one by one, asynchronously, as {@link PerFrameWriter} sends them.
 */
final class BatchingWriter implements FrameWriter {

    private static final Logger LOG = Logger.getLogger(BatchingWriter.class.getName());

    private final DaemonThreads.Owned platformThreads = DaemonThreads.owned("goctopus-writer");
    private final ExecutorService bursts = VirtualThreads.newPerTaskExecutor()
            .orElseGet(() -> Executors.newCachedThreadPool(platformThreads));
    private final PerFrameWriter oneByOne = new PerFrameWriter();
    /** Whether the container batches frames: null until the deployment's first write asks. */
    private volatile Boolean containerBatches;

    @Override
    public void write(Session session, List<Message> messages, Consumer<Throwable> done) {
        Boolean batches = containerBatches;
        if (batches == null) {
            try {
                batches = askContainer(session);
            } catch (IOException | RuntimeException e) {
                done.accept(e); // the session broke: the connection closes, the next one asks
                return;
            }
        }
        if (!batches) {
            oneByOne.write(session, messages, done);
            return;
        }
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

    /**
     * Asks once per deployment (a container's answer is the same for every socket), on a
     * socket that no other write is using: nothing is batched yet, so the last call
     * flushes nothing.
     */
    private boolean askContainer(Session session) throws IOException {
        RemoteEndpoint.Basic remote = session.getBasicRemote();
        remote.setBatchingAllowed(true);
        boolean batches = remote.getBatchingAllowed();
        remote.setBatchingAllowed(false);
        if (containerBatches == null && !batches) {
            Log.info(LOG, "websocket writes", "mode", oneByOne.description() + ": the container does not batch");
        }
        containerBatches = batches;
        return batches;
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
