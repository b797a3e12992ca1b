package org.goctopus.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A socket whose every write completes at once, on the caller's stack, as a fast client's
 * may: each send is shown to {@code written}, then completes with {@code outcome} (null:
 * written). The close code the connection asks for completes {@link #closed}.
 */
final class InlineTransport implements Transport {
    private final Throwable outcome;
    private final Consumer<List<Message>> written;
    final CompletableFuture<CloseCode> closed = new CompletableFuture<>();

    InlineTransport(Throwable outcome, Consumer<List<Message>> written) {
        this.outcome = outcome;
        this.written = written;
    }

    /** Every write succeeds and is forgotten. */
    InlineTransport() {
        this(null, messages -> { });
    }

    @Override
    public void send(List<Message> messages, Consumer<Throwable> done) {
        written.accept(messages);
        done.accept(outcome);
    }

    @Override
    public void ping(Runnable done) {
        done.run();
    }

    @Override
    public void close(CloseCode code) {
        closed.complete(code);
    }
}
