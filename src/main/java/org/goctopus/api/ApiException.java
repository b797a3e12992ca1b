package org.goctopus.api;

/** A refusal with its status, answered as {@code {"error": message}} (and Retry-After when it says when). */
public final class ApiException extends RuntimeException {

    private final int status;
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    /** @param retryAfterSeconds the Retry-After header's value; 0 for none */
    public ApiException(int status, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
