package org.goctopus.ws;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.goctopus.core.DaemonThreads;
import org.goctopus.core.Message;

/**
 * Writes a socket's queued frames together: with batching allowed the container
 * gathers them in its output buffer, and one flush sends them, so a burst costs
 * a few socket writes instead of one write and one completion hand-off per
 * frame. The JSR-356 flush blocks until the peer has taken the bytes (or the
 * container's blocking send timeout, set to WS_WRITE_TIMEOUT, passes), so each
 * burst runs on a thread of its own: a virtual thread on Java 21+, which a stalled
 * peer parks without holding a carrier; elsewhere (WS_WRITES=batched on Java 17)
 * a platform thread, which a stalled peer holds until the timeout.
 */
final class BatchingWriter implements FrameWriter {

    private final ThreadFactory threads = VirtualThreads.factory()
            .orElseGet(() -> DaemonThreads.named("goctopus-writer"));

    @Override
    public void write(Session session, List<Message> messages, Consumer<Throwable> done) {
        threads.newThread(() -> done.accept(writeAll(session, messages))).start();
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

    /** Yes: the blocking write ends, at the latest, at the container's blocking send timeout. */
    @Override
    public boolean closeWaitsForTheWrite() {
        return true;
    }

    @Override
    public String description() {
        return VirtualThreads.available() ? "batched, on virtual threads" : "batched, on a platform thread per burst";
    }
}
