package org.goctopus.ws;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.goctopus.core.CloseCode;
import org.goctopus.core.Message;
import org.goctopus.core.Transport;

/**
 * A Jakarta WebSocket session as a hub {@link Transport}. Frames go out through the
 * deployment's {@link FrameWriter}; pings and closes, which the API makes blocking,
 * run on the hub's workers so that a stalled peer never holds a request or sweeper
 * thread.
 */
final class SessionTransport implements Transport {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;
    private final FrameWriter writer;
    private final Executor workers;

    SessionTransport(Session session, FrameWriter writer, Executor workers) {
        this.session = session;
        this.writer = writer;
        this.workers = workers;
    }

    @Override
    public void send(List<Message> messages, Consumer<Throwable> done) {
        writer.write(session, messages, done);
    }

    @Override
    public void ping(Runnable done) {
        inBackground(() -> {
            try {
                session.getAsyncRemote().sendPing(EMPTY.duplicate());
            } catch (IOException | RuntimeException e) {
                // closing: the read timeout or the close handler cleans up
            } finally {
                done.run();
            }
        });
    }

    @Override
    public void close(CloseCode code) {
        inBackground(() -> {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), code.reason()));
            } catch (IOException | RuntimeException e) {
                // already closed
            }
        });
    }

    private void inBackground(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: do it here
        }
    }
}
