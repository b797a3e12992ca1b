package org.goctopus.engine;

/**
 * The store did not answer (Redis unreachable, or slower than its timeout). For a
 * publish this means "maybe stored": the reply may have been lost after the store
 * kept the message, so a backend retries with the same {@code message_id}.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
