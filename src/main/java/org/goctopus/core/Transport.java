package org.goctopus.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link Connection} needs from a websocket. Implemented over a Jakarta
 * WebSocket {@code Session} by the ws package; none of these may block the caller.
 */
public interface Transport {

    /**
     * Starts writing the messages' frames, in order. {@code done} is called exactly
     * once, with null once all are written, or with the error. The connection never
     * starts a second send before the first is done.
     */
    void send(List<Message> messages, Consumer<Throwable> done);

    /**
     * Sends a ping frame; {@code done} runs once it is written or failed. The
     * connection starts a ping only while no send is in flight, and no send before
     * {@code done}.
     */
    void ping(Runnable done);

    /** Closes the websocket with a close frame carrying {@code code}. */
    void close(CloseCode code);
}
