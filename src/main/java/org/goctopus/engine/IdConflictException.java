package org.goctopus.engine;

import java.util.UUID;

/** A message_id still queued was re-posted to other keys: a retry must repeat the same keys. */
public final class IdConflictException extends RuntimeException {
    public IdConflictException(UUID id) {
        super("message_id " + id + " is queued for other keys", null, false, false);
    }
}
