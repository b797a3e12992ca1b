package org.goctopus.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.goctopus.config.Settings;
import org.goctopus.engine.Engine;
import org.goctopus.log.Log;
import org.goctopus.metrics.Metrics;

/**
 * The registry: the one application-wide instance that owns live sockets by key
 * and, through its {@link Engine}, the queue of each key.
 *
 * <p>Guarantees: every state change (publish, register, ACK, delete, expiry) runs
 * under one lock, so acceptance order is one total order; each publish hands its
 * message to every matching socket under that lock (a non-blocking enqueue), and
 * the sockets' writes start after the lock is released: nothing ever writes to a
 * socket while holding it. A socket registered before a publish gets that message
 * live; one registered after finds it in its backlog; never both.
 */
public final class Hub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private final Settings settings;
    private final Engine engine;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final Map<String, Set<Connection>> byKey = new HashMap<>();
    private final Set<Connection> byPattern = new HashSet<>();
    private long lastSeq;
    private boolean stopping;

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private final ExecutorService workers;

    public Hub(Settings settings, Engine engine, Metrics metrics) {
        this.settings = settings;
        this.engine = engine;
        this.metrics = metrics;
        this.workers = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.named("goctopus-worker"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("goctopus-sweeper"));
        long tick = sweepTick(settings).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
        metrics.gauges(open::size, () -> locked(() -> engine.keys().size()),
                () -> locked(engine::queuedBytes));
    }

    /** Threads for work that may block: closing and pinging sockets. */
    public ExecutorService workers() {
        return workers;
    }

    // ---- register

    /** Registers a new socket and starts sending its backlog. */
    public Connection register(List<String> keys, Transport transport) {
        Connection connection = new Connection(keys, transport, this);
        boolean refused;
        lock.lock();
        try {
            refused = stopping;
            if (!refused) {
                index(connection);
                open.add(connection); // under the lock: close() either sees it or refuses it
                connection.start(engine.backlog(connection.keys()), lastSeq);
            }
        } finally {
            lock.unlock();
        }
        if (refused) {
            connection.close(CloseCode.GOING_AWAY); // opened while the service stops
            return connection;
        }
        Log.debug(LOG, "registered", "conn", connection.id(), "keys", keys);
        connection.pump();
        return connection;
    }

    private void index(Connection connection) {
        for (String key : connection.keys()) {
            if (KeyPattern.isPattern(key)) {
                byPattern.add(connection);
            } else {
                // Most keys (a user id, an e-mail) have one or two sockets: a small table to start.
                byKey.computeIfAbsent(key, k -> new HashSet<>(2)).add(connection);
            }
        }
    }

    void unregister(Connection connection, CloseCode code) {
        if (code == CloseCode.TRY_AGAIN_LATER) {
            // Counted before the socket leaves presence: no reader sees it gone and not yet counted.
            metrics.slowClientClosed();
            Log.info(LOG, "closed", "conn", connection.id(), "code", code.code(), "reason", code.reason());
        } else {
            Log.debug(LOG, "closed", "conn", connection.id(), "code", code == null ? "by peer" : code.code());
        }
        lock.lock();
        try {
            for (String key : connection.keys()) {
                Set<Connection> set = byKey.get(key);
                if (set != null && set.remove(connection) && set.isEmpty()) {
                    byKey.remove(key);
                }
            }
            byPattern.remove(connection);
        } finally {
            lock.unlock();
        }
        open.remove(connection);
    }

    // ---- publish

    /** What a publish asks for. {@code messageId} may be null: a fresh id is drawn. */
    public record Publication(List<String> keys, String payloadJson, Duration expire, String expireText,
                              UUID messageId) {
    }

    /**
     * Stores the message and hands it to every matching socket. Returns once it is
     * queued: the writes go on without the caller.
     *
     * @throws QueueFullException past WS_MAX_QUEUED_BYTES; nothing queued was dropped
     * @throws IdConflictException if {@code messageId} is queued for other keys
     */
    public Message publish(Publication p) {
        long expiresAt = System.currentTimeMillis() + p.expire().toMillis();
        List<Connection> kick = new ArrayList<>();
        List<Connection> overflowed = new ArrayList<>();
        Message message;
        lock.lock();
        try {
            Message existing = p.messageId() == null ? null : engine.find(p.messageId());
            if (existing != null) {
                if (!new HashSet<>(existing.keys()).equals(new HashSet<>(p.keys()))) {
                    throw new IdConflictException(p.messageId());
                }
                long growth = (long) (Message.sizeOf(p.payloadJson()) - existing.size()) * existing.keys().size();
                if (engine.queuedBytes() + growth > settings.maxQueuedBytes()) {
                    throw new QueueFullException();
                }
                engine.replace(existing, p.payloadJson(), expiresAt, p.expireText());
                return existing;
            }
            if (engine.queuedBytes() + (long) Message.sizeOf(p.payloadJson()) * p.keys().size()
                    > settings.maxQueuedBytes()) {
                throw new QueueFullException();
            }
            message = new Message(p.messageId() == null ? UUID.randomUUID() : p.messageId(), ++lastSeq,
                    p.keys(), Instant.now(), p.payloadJson(), expiresAt, p.expireText());
            List<Message> dropped = engine.append(message, settings.maxPending());
            if (!dropped.isEmpty()) {
                metrics.dropped(dropped.size());
                Log.info(LOG, "dropped past WS_MAX_PENDING", "keys", p.keys(), "count", dropped.size());
            }
            metrics.received();
            for (Connection c : matching(p.keys())) {
                (c.offer(message, settings.maxPending()) ? kick : overflowed).add(c);
            }
        } finally {
            lock.unlock();
        }
        if (LOG.isLoggable(Level.FINE)) { // the payload is cut from the frame only when it is logged
            Log.debug(LOG, "published", "msg", message.id(), "keys", message.keys(), "sockets", kick.size(),
                    "payload", message.payloadJson());
        }
        for (Connection c : kick) {
            c.pump();
        }
        for (Connection c : overflowed) {
            c.close(CloseCode.TRY_AGAIN_LATER);
        }
        return message;
    }

    /** Sockets matching any of the keys, each once. */
    private Set<Connection> matching(List<String> keys) {
        Set<Connection> found = new HashSet<>();
        for (String key : keys) {
            Set<Connection> exact = byKey.get(key);
            if (exact != null) {
                found.addAll(exact);
            }
            for (Connection c : byPattern) {
                if (c.matches(key)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    void delivered(Message message) {
        metrics.delivered(message.acceptedNanos());
    }

    // ---- ack

    /** Removes the message from the queues of every target key this socket matches. */
    public void ack(Connection connection, UUID id) {
        if (engine.peek(id) == null) {
            return; // acknowledged already (a broadcast is acked by every socket), expired or deleted
        }
        int removed = locked(() -> engine.remove(id, connection::matches));
        if (removed > 0) {
            metrics.acknowledged();
            Log.debug(LOG, "acked", "conn", connection.id(), "msg", id);
        }
    }

    // ---- read and delete

    /** A key's queued messages, oldest first, or every key holding some. */
    public List<Message> queued(String key) {
        return locked(() -> engine.queued(key));
    }

    /** The recent messages of a key for the history API, oldest first. */
    public List<Message> history(String key) {
        return locked(() -> engine.history(key, System.currentTimeMillis()));
    }

    public List<String> keys() {
        return locked(engine::keys); // the engine answers with a copy
    }

    /** Live sockets per connection key, as the connections registered them. */
    public Map<String, Integer> presence() {
        return locked(() -> {
            Map<String, Integer> counts = new TreeMap<>();
            byKey.forEach((key, set) -> counts.put(key, set.size()));
            for (Connection c : byPattern) {
                for (String key : c.keys()) {
                    if (KeyPattern.isPattern(key)) {
                        counts.merge(key, 1, Integer::sum);
                    }
                }
            }
            return counts;
        });
    }

    public int delete(String key, UUID id) {
        return locked(() -> engine.remove(id, key::equals));
    }

    public int deleteKey(String key) {
        return locked(() -> engine.removeKey(key));
    }

    public int deleteAll() {
        return locked(engine::removeAll);
    }

    // ---- expire, and socket health

    /** Expires messages and checks every socket's health; runs on the sweeper thread. */
    void sweep() {
        try {
            int expired = locked(() -> engine.expire(System.currentTimeMillis()).size());
            if (expired > 0) {
                metrics.expired(expired);
                Log.debug(LOG, "expired", "count", expired);
            }
            long now = System.nanoTime();
            for (Connection c : open) {
                c.checkHealth(now, settings.writeTimeout().toNanos(), settings.readTimeout().toNanos(),
                        settings.pingInterval().toNanos());
            }
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the schedule.
            Log.error(LOG, e, "sweep failed");
        }
    }

    /** Often enough to honour the shortest timeout within a quarter of it, at most once a second. */
    static Duration sweepTick(Settings s) {
        Duration shortest = s.pingInterval();
        for (Duration d : List.of(s.readTimeout(), s.writeTimeout())) {
            if (d.compareTo(shortest) < 0) {
                shortest = d;
            }
        }
        long millis = Math.max(10, Math.min(1000, shortest.toMillis() / 4));
        return Duration.ofMillis(millis);
    }

    /** Closes every socket with 1001 and stops the background threads. */
    @Override
    public void close() {
        locked(() -> stopping = true);
        sweeper.shutdownNow();
        for (Connection c : List.copyOf(open)) {
            c.close(CloseCode.GOING_AWAY);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.writeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
