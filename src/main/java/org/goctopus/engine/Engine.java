package org.goctopus.engine;

import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.goctopus.core.Message;

/**
 * Where queued messages live: one FIFO queue per key, ordered by
 * {@link Message#seq()}. A message posted to several keys has one entry in each.
 *
 * <p>Contract: the hub calls every method under its own lock, in acceptance order,
 * so an implementation needs no locking of its own and must not block for long.
 * A message leaves a key's queue only through {@link #remove}, {@link #removeKey},
 * {@link #removeAll}, {@link #expire} or the per-key overflow of {@link #append};
 * when it has left every queue, the engine calls {@link Message#markGone()}.
 */
public interface Engine {

    /**
     * Appends a new message to the queue of each of its keys. Past {@code maxPending}
     * entries in a key, that key's oldest are dropped and returned.
     */
    List<Message> append(Message message, int maxPending);

    /** The queued message with this id, or null. */
    Message find(UUID id);

    /**
     * The same as {@link #find}, but safe to call without the hub's lock: the ACK of a
     * broadcast comes from every socket, and all but the first find nothing to remove.
     */
    Message peek(UUID id);

    /** A re-post of a queued id: new value and expiry, same queue position. */
    void replace(Message message, String payloadJson, long expiresAtMillis, String expireText);

    /** Removes the message from the queues of the keys selected; returns how many entries went. */
    int remove(UUID id, Predicate<String> keys);

    /** Empties one key's queue; returns how many entries went. */
    int removeKey(String key);

    /** Empties every queue; returns how many entries went. */
    int removeAll();

    /** Removes every message whose expiry is at or before {@code nowMillis}; returns them. */
    List<Message> expire(long nowMillis);

    /** The queue of one key, oldest first. */
    List<Message> queued(String key);

    /**
     * Every queued message for a connection with these keys (literal keys, or glob
     * patterns matched against queued keys), each once, oldest first.
     */
    List<Message> backlog(List<String> connectionKeys);

    /**
     * The most recent messages posted to a key, acknowledged or not, oldest first:
     * at most WS_HISTORY_SIZE, none older than WS_HISTORY_TTL (empty when history is off).
     */
    List<Message> history(String key, long nowMillis);

    /** Keys holding queued messages. */
    List<String> keys();

    /** Sum over entries of each value's size: a message in three keys counts three times. */
    long queuedBytes();
}
