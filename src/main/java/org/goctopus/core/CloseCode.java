package org.goctopus.core;

/**
 * Why the server closes a websocket, with the code on the wire. Every one of
 * them invites the client to reconnect: nothing it had not acknowledged is lost.
 */
public enum CloseCode {
    /** The service stops or the application is undeployed. */
    GOING_AWAY(1001, "going away"),
    /** No frame from the client for WS_READ_TIMEOUT: its peer is probably gone. */
    READ_TIMEOUT(1000, "read timeout"),
    /** An inbound frame larger than WS_MAX_MESSAGE_SIZE. */
    MESSAGE_TOO_BIG(1009, "message too big"),
    /** Outbound buffer full, or a write stalled past WS_WRITE_TIMEOUT: reconnect to get the rest. */
    TRY_AGAIN_LATER(1013, "too slow: reconnect"),
    /** A write failed (usually the peer is already gone): if it is not, it should reconnect. */
    WRITE_FAILED(1011, "write failed: reconnect");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
