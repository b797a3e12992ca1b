package org.goctopus.api;

import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.goctopus.core.DaemonThreads;
import org.goctopus.engine.IdConflictException;
import org.goctopus.engine.QueueFullException;
import org.goctopus.engine.StoreUnavailableException;

/**
 * Answers a request from an engine's stage. A stage already complete (the memory
 * engine's) is answered on the request's own thread, as a plain method would; one
 * still under way (Redis) is returned to Jersey, which suspends the request and
 * resumes it when the stage completes. Engine failures become their statuses here,
 * in one place.
 *
 * <p>A resumed request writes its answer on the thread that resumes it, and that write
 * blocks while the client does not read (a backend that pipelines requests and never
 * reads the answers). A stage completes on the store's I/O thread, which must never
 * block: every Redis command of the instance waits behind it. So the answers of
 * suspended requests are written on threads of their own, one per answer being
 * written, kept for a minute once idle.
 *
 * <p>The answers under way are counted, so that the API can write them all before its
 * servlet is destroyed ({@link AnswersBeforeShutdown}).
 */
public final class Replies implements AutoCloseable {

    /** A 503 tells the backend when to try again (SPEC §4). */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final DaemonThreads.Owned writerThreads = DaemonThreads.owned("goctopus-reply");
    private final ExecutorService writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), writerThreads);
    /** Guarded by this: suspended requests not answered yet. */
    private int underWay;

    /** A {@link Response}, or a {@code CompletionStage<Response>}: JAX-RS takes either. */
    <T> Object of(CompletionStage<T> stage, Function<T, Response> answer) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            try {
                return answer.apply(future.join());
            } catch (CompletionException e) {
                throw refusal(e.getCause());
            }
        }
        CompletableFuture<Response> reply = new CompletableFuture<>();
        began();
        future.whenComplete((value, error) -> write(() -> {
            try {
                reply.complete(error == null ? answer.apply(value) : ErrorMappers.response(
                        refusal(error instanceof CompletionException ? error.getCause() : error)));
            } catch (RuntimeException bug) {
                reply.completeExceptionally(bug);
            } finally {
                ended(); // after complete(), which ran Jersey's resumption: the answer is written
            }
        }));
        return reply;
    }

    private synchronized void began() {
        underWay++;
    }

    private synchronized void ended() {
        if (--underWay == 0) {
            notifyAll();
        }
    }

    /** Waits, at most {@code bound}, until every suspended request has been answered; false if some were not. */
    synchronized boolean awaitAnswered(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (underWay > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** On a writer thread; once closed (the application stopping), on the completing thread. */
    private void write(Runnable answer) {
        try {
            writers.execute(answer);
        } catch (RejectedExecutionException e) {
            answer.run();
        }
    }

    /** Stops taking answers; those being written get two seconds, then their threads are interrupted. */
    @Override
    public void close() {
        writers.shutdown();
        try {
            if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        writerThreads.awaitEnd(Duration.ofSeconds(2)); // gone before a container's leak check looks
    }

    /** An engine's failure as the API's refusal; anything else is a bug, rethrown as such. */
    private static ApiException refusal(Throwable error) {
        if (error instanceof QueueFullException e) {
            return new ApiException(503, e.getMessage(), RETRY_AFTER_SECONDS);
        }
        if (error instanceof StoreUnavailableException e) {
            return new ApiException(503, e.getMessage(), RETRY_AFTER_SECONDS);
        }
        if (error instanceof IdConflictException e) {
            return new ApiException(409, e.getMessage());
        }
        if (error instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException(error);
    }
}
