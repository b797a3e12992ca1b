package org.goctopus.core;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a publish asks for, validated: its target keys (at least one, none empty),
 * the value's JSON text (compact, as the API writes it: no line feed outside a string,
 * and JSON escapes one inside, which the Redis engine's notifications rely on), its lifetime as a duration and as posted, and the optional
 * {@code message_id} of an idempotent retry (null: the store draws a fresh id).
 */
public record Publication(List<String> keys, String payloadJson, Duration expire, String expireText,
                          UUID messageId) {

    public Publication {
        keys = List.copyOf(keys);
    }
}
