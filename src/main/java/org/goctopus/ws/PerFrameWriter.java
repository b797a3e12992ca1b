package org.goctopus.ws;

import jakarta.websocket.Session;
import java.util.List;
import java.util.function.Consumer;
import org.goctopus.core.Message;

/**
 * One asynchronous send per frame, the next started from the previous one's
 * completion: the portable way on any JVM, at the cost of one socket write and
 * one completion hand-off per frame.
 */
final class PerFrameWriter implements FrameWriter {

    @Override
    public void write(Session session, List<Message> messages, Consumer<Throwable> done) {
        writeFrom(session, messages, 0, done);
    }

    private static void writeFrom(Session session, List<Message> messages, int index, Consumer<Throwable> done) {
        try {
            session.getAsyncRemote().sendText(messages.get(index).frame(), result -> {
                if (result.getException() != null || index + 1 == messages.size()) {
                    done.accept(result.getException());
                } else {
                    writeFrom(session, messages, index + 1, done);
                }
            });
        } catch (RuntimeException e) {
            done.accept(e); // the session closed under us
        }
    }

    @Override
    public String description() {
        return "per frame (asynchronous sends)";
    }
}
