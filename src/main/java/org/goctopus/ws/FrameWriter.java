package org.goctopus.ws;

import jakarta.websocket.Session;
import java.util.List;
import java.util.function.Consumer;
import org.goctopus.config.Settings;
import org.goctopus.core.Message;

/**
 * How the frames a connection hands over in one go reach its socket, chosen once
 * per deployment by WS_WRITES. Either way the caller is never blocked, and the
 * connection starts no other write on the socket before {@code done}.
 */
sealed interface FrameWriter permits PerFrameWriter, BatchingWriter {

    /** Writes the messages' frames in order; {@code done} gets null once all are written, or the error. */
    void write(Session session, List<Message> messages, Consumer<Throwable> done);

    /**
     * Whether a close must wait for the write under way. A batch is written by a blocking
     * call on a thread of its own: a close frame sent meanwhile from another thread would
     * land inside the batch's bytes and corrupt the stream. Asynchronous sends need no
     * wait: the container queues the close frame behind them.
     */
    boolean closeWaitsForTheWrite();

    /** How writes are done, for the start-up log. */
    String description();

    static FrameWriter of(String writes) {
        boolean batched = switch (writes) {
            case Settings.WRITES_BATCHED -> true;
            case Settings.WRITES_PER_FRAME -> false;
            default -> VirtualThreads.available(); // auto
        };
        return batched ? new BatchingWriter() : new PerFrameWriter();
    }
}
