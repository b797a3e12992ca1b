package org.goctopus.engine;

/** The publish would take queued values past WS_MAX_QUEUED_BYTES; nothing was stored or dropped. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException() {
        super("queues are full (WS_MAX_QUEUED_BYTES): try again later", null, false, false);
    }
}
