package org.goctopus.engine;

/** Why a message left a key's queue: the only ways it ever does (SPEC §5, "nothing lost"). */
public enum Departure {
    /** A connection matching the key acknowledged it. */
    ACKNOWLEDGED,
    /** Its lifetime ran out, on the store's clock. */
    EXPIRED,
    /** The key held more than WS_MAX_PENDING messages: the oldest left (counted as dropped). */
    OVERFLOW,
    /** {@code DELETE /} removed it. */
    DELETED
}
