package org.goctopus.ws;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
        new Frames(session, messages, done).sendNext();
    }

    @Override
    public void close() {
        // no threads of its own: completions come on the container's
    }

    @Override
    public String description() {
        return "per frame (asynchronous sends)";
    }

    /**
     * One write's frames, each sent from the previous one's completion. A container may run
     * the completion inline, inside {@code sendText}, when the bytes leave at once (Tyrus,
     * hence Payara, does): the next send then must not start on that stack, or a long
     * backlog recurses until the stack overflows. So {@link #sendNext} is a drain loop: a
     * call made while the loop runs only counts itself, and the loop goes round again.
     */
    private static final class Frames implements SendHandler {
        private final Session session;
        private final List<Message> messages;
        private final Consumer<Throwable> done;
        /** Calls of {@link #sendNext} not yet served by its loop (0: no loop running). */
        private final AtomicInteger requests = new AtomicInteger();
        /** The next frame to send; handed between threads through {@link #requests}. */
        private int next;

        Frames(Session session, List<Message> messages, Consumer<Throwable> done) {
            this.session = session;
            this.messages = messages;
            this.done = done;
        }

        void sendNext() {
            if (requests.getAndIncrement() != 0) {
                return;
            }
            int pending = 1;
            do {
                try {
                    session.getAsyncRemote().sendText(messages.get(next).frame(), this);
                } catch (RuntimeException e) {
                    done.accept(e); // the session closed under us
                    return;
                }
                pending = requests.addAndGet(-pending);
            } while (pending != 0);
        }

        @Override
        public void onResult(SendResult result) {
            if (result.getException() != null) {
                done.accept(result.getException());
            } else if (++next == messages.size()) {
                done.accept(null);
            } else {
                sendNext();
            }
        }
    }
}
