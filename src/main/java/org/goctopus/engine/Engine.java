package org.goctopus.engine;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;

/**
 * Where messages are stored and ordered: one FIFO queue per target key, shared by
 * every instance that uses the same store. The engine owns storage and order; the
 * hub owns this instance's sockets and the fan-out to them ({@link Deliveries}).
 *
 * <p>The delivery contract:
 * <ul>
 * <li><b>Order.</b> A publish that completes has a place ({@link Message#seq()}) in
 * one total order of acceptance, the same on every instance: if one publish
 * completed before another started, it is earlier. Each key's queue is in that
 * order.</li>
 * <li><b>Every message reaches every instance's sink.</b> Each accepted message is
 * handed to {@link Deliveries#published} once per instance, in {@code seq} order,
 * including the messages this instance missed while it was cut off from the store
 * (it catches up from the queues when it can), except those that already left
 * every queue by then.</li>
 * <li><b>A backlog is complete.</b> {@link #backlog} read after a socket was indexed
 * holds every message queued for its keys that {@link Deliveries#published} may
 * have reached the hub before the socket was indexed.</li>
 * <li><b>Leaving.</b> A message leaves a key's queue only by {@link #ack},
 * {@link #expire}, the {@code maxPending} overflow of {@link #publish}, or
 * {@link #delete}/{@link #deleteKey}/{@link #deleteAll}, and each departure is
 * reported once to {@link Deliveries#left} on every instance (best effort across
 * instances: a missed report only costs a frame that is then ACKed for nothing).</li>
 * <li><b>Failures.</b> A stage fails with {@link StoreUnavailableException} when the
 * store does not answer within its bound, {@link QueueFullException} past
 * WS_MAX_QUEUED_BYTES and {@link IdConflictException} for a {@code message_id}
 * queued for other keys; nothing else is changed then.</li>
 * </ul>
 * Every method returns at once; the memory engine completes its stages before
 * returning. A networked engine completes them on its client's I/O thread, which
 * must not block: a caller whose continuation may block (writing an HTTP answer to a
 * client that does not read) moves it to a thread of its own (api/Replies).
 */
public interface Engine extends AutoCloseable {

    /** Starts handing deliveries to {@code sink}; called once, before anything else. */
    void start(Deliveries sink);

    /**
     * Whether the store is reachable and safe to accept messages in (for Redis: connected,
     * subscribed, and not configured to evict keys).
     */
    boolean ready();

    /**
     * Stores a message in the queue of each target key. A re-post of a {@code message_id}
     * still queued for the same keys replaces its value and expiry in place (same place in
     * the order) and is not handed to the sink again. Past {@code maxPending} entries in a
     * key, that key's oldest leave it ({@link Departure#OVERFLOW}).
     */
    CompletionStage<Accepted> publish(Publication publication, int maxPending);

    /**
     * Every message queued for a connection with these keys (literal keys, or glob
     * patterns matched against queued keys), each once, oldest first.
     */
    CompletionStage<List<Message>> backlog(List<String> connectionKeys);

    /**
     * Removes the message from the queues of its target keys that {@code matching}
     * selects (those the acknowledging connection matches); completes with how many
     * entries went (0 when it was no longer queued there). A removal a store that still
     * answers did not take in time is tried again while the message is due (an ACK is
     * worth keeping: its loss costs the client the message again on its next connect);
     * against a store that does not answer, the stage fails and the ACK is dropped.
     */
    CompletionStage<Integer> ack(UUID id, Predicate<String> matching);

    /** Removes one message from one key's queue; completes with 1, or 0 if it was not there. */
    CompletionStage<Integer> delete(String key, UUID id);

    /** Empties one key's queue; completes with how many entries went. */
    CompletionStage<Integer> deleteKey(String key);

    /** Empties every queue this service owns in the store; completes with how many entries went. */
    CompletionStage<Integer> deleteAll();

    /** Removes every message whose expiry is due on the store's clock; completes with how many. */
    CompletionStage<Integer> expire();

    /** One key's queue, oldest first. */
    CompletionStage<List<Message>> queued(String key);

    /**
     * The most recent messages posted to a key, acknowledged or not, oldest first: at
     * most WS_HISTORY_SIZE, none older than WS_HISTORY_TTL (empty when history is off).
     */
    CompletionStage<List<Message>> history(String key);

    /** Keys holding queued messages. */
    CompletionStage<List<String>> keys();

    /**
     * The last known number of keys holding messages and the queued bytes (each value's
     * size once per key), for the metrics: exact for memory, refreshed every expiry sweep
     * for Redis.
     */
    Totals totals();

    record Totals(long keys, long queuedBytes) {
    }

    /** Stops delivering and releases the store's connections and threads. */
    @Override
    void close();
}
