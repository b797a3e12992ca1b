package org.goctopus.ws;

import jakarta.websocket.Session;
import java.util.List;
import java.util.function.Consumer;
import org.goctopus.config.Settings;
import org.goctopus.core.Message;

/**
 * How the frames a connection hands over in one go reach its socket, chosen once
 * per deployment by WS_WRITES. Either way the caller is never blocked, the
 * connection starts no other write on the socket before {@code done}, and
 * {@code done} comes at the latest at the container's send timeout, which the
 * endpoint sets past WS_WRITE_TIMEOUT.
 */
sealed interface FrameWriter extends AutoCloseable permits PerFrameWriter, BatchingWriter {

    /** Writes the messages' frames in order; {@code done} gets null once all are written, or the error. */
    void write(Session session, List<Message> messages, Consumer<Throwable> done);

    /** How writes are done, for the start-up log. */
    String description();

    /** The deployment stops: threads of the writer's own end. */
    @Override
    void close();

    static FrameWriter of(String writes) {
        boolean batched = switch (writes) {
            case Settings.WRITES_BATCHED -> true;
            case Settings.WRITES_PER_FRAME -> false;
            default -> VirtualThreads.available(); // auto
        };
        return batched ? new BatchingWriter() : new PerFrameWriter();
    }
}
