package org.goctopus.engine;

import org.goctopus.core.Message;

/**
 * The outcome of a stored publish: the message (its id, keys and place in the
 * order), whether it was a re-post of a queued {@code message_id} that replaced it
 * in place, and how many older entries the WS_MAX_PENDING cap pushed out of their
 * keys' queues.
 */
public record Accepted(Message message, boolean replaced, int dropped) {
}
