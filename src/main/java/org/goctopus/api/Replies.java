package org.goctopus.api;

import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.goctopus.engine.IdConflictException;
import org.goctopus.engine.QueueFullException;
import org.goctopus.engine.StoreUnavailableException;

/**
 * Answers a request from an engine's stage. A stage already complete (the memory
 * engine's) is answered on the request's own thread, as a plain method would; one
 * still under way (Redis) is returned to Jersey, which suspends the request and
 * resumes it when the stage completes. Engine failures become their statuses here,
 * in one place.
 */
final class Replies {

    /** A 503 tells the backend when to try again (SPEC §4). */
    private static final int RETRY_AFTER_SECONDS = 1;

    private Replies() {
    }

    /** A {@link Response}, or a {@code CompletionStage<Response>}: JAX-RS takes either. */
    static <T> Object of(CompletionStage<T> stage, Function<T, Response> answer) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            try {
                return answer.apply(future.join());
            } catch (CompletionException e) {
                throw refusal(e.getCause());
            }
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
