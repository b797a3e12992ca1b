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
    /** Guards {@link #writing} and {@link #closeAfterWrite}. */
    private final Object lock = new Object();
    private boolean writing;
    /** A close asked for while a write was under way, which must not interleave with it. */
    private CloseCode closeAfterWrite;

    SessionTransport(Session session, FrameWriter writer, Executor workers) {
        this.session = session;
        this.writer = writer;
        this.workers = workers;
    }

    @Override
    public void send(List<Message> messages, Consumer<Throwable> done) {
        synchronized (lock) {
            writing = true;
        }
        writer.write(session, messages, error -> {
            CloseCode pending;
            synchronized (lock) {
                writing = false;
                pending = closeAfterWrite;
            }
            done.accept(error);
            if (pending != null) {
                closeNow(pending);
            }
        });
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

    /**
     * Closes now, or once the write under way has ended (at the latest at the send timeout):
     * a close frame sent from another thread would land inside a batch's bytes, and Tomcat
     * gives a close other than 1000 only 50 ms to wait for a send under way before it cuts
     * the connection without one, so a slow client that reads again would see 1006, not
     * 1013.
     */
    @Override
    public void close(CloseCode code) {
        synchronized (lock) {
            if (writing) {
                closeAfterWrite = code;
                return;
            }
        }
        closeNow(code);
    }

    private void closeNow(CloseCode code) {
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
