package org.goctopus.api;

import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.goctopus.engine.IdConflictException;
import org.goctopus.engine.QueueFullException;
import org.goctopus.engine.StoreUnavailableException;

/**
 * Answers a request from an engine's stage, on the request's own thread when the stage
 * completes soon: at once for the memory engine, within a round trip for Redis. A
 * suspended request costs more than the wait (Jersey's resume, then the container's
 * dispatch of the completion: a unicast publish on Redis went 15% faster so, bench/README.md).
 * A stage still under way after {@link #WAIT_MILLIS} (Redis slow to answer) is handed to
 * Jersey, which suspends the request and resumes it when the stage completes, so that a
 * slow Redis never holds the container's threads, which probes and upgrades need too.
 * Engine failures become their statuses here, in one place.
 */
final class Replies {

    /** A 503 tells the backend when to try again (SPEC §4). */
    private static final int RETRY_AFTER_SECONDS = 1;
    /** How long a request's thread waits for its stage before the request is suspended instead. */
    private static final long WAIT_MILLIS = 20;

    private Replies() {
    }

    /** A {@link Response}, or a {@code CompletionStage<Response>}: JAX-RS takes either. */
    static <T> Object of(CompletionStage<T> stage, Function<T, Response> answer) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return answer.apply(future.isDone() ? future.join() : future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (CompletionException | ExecutionException e) {
            throw refusal(e.getCause());
        } catch (TimeoutException e) {
            // suspended below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while the store answered", RETRY_AFTER_SECONDS);
        }
        return future.handle((value, error) -> error == null ? answer.apply(value)
                : ErrorMappers.response(refusal(error instanceof CompletionException ? error.getCause() : error)));
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
