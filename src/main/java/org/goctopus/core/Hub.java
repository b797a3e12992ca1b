package org.goctopus.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.goctopus.config.Settings;
import org.goctopus.engine.Accepted;
import org.goctopus.engine.Deliveries;
import org.goctopus.engine.Departure;
import org.goctopus.engine.Engine;
import org.goctopus.engine.StoreUnavailableException;
import org.goctopus.log.Log;
import org.goctopus.metrics.Metrics;

/**
 * The registry: the one application-wide instance that owns this instance's live
 * sockets by key, and fans out to them what its {@link Engine} delivers. Storage
 * and order are the engine's: the hub asks it to store, read and remove, and
 * receives every accepted message back through {@link Deliveries}, whichever
 * instance accepted it.
 *
 * <p>Guarantees: a socket is indexed before its backlog is read, so each message is
 * either in that backlog or offered live, or both, never neither; the
 * {@link Connection} keeps one copy. Offers happen in acceptance order (the engine
 * calls {@link #published} one message at a time) and only enqueue; sockets' writes
 * start after, outside any lock.
 */
public final class Hub implements Deliveries, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());
    private static final Runnable NOTHING = () -> { };

    private final Settings settings;
    private final Engine engine;
    private final Presence presence;
    private final Metrics metrics;

    /** Sockets by literal key; a key's set is replaced or dropped only inside compute. */
    private final Map<String, Set<Connection>> byKey = new ConcurrentHashMap<>();
    /** Sockets with at least one glob key: matched against every message's keys. */
    private final Set<Connection> byPattern = ConcurrentHashMap.newKeySet();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final TrafficWatches watches = new TrafficWatches();
    private volatile boolean stopping;

    private final DaemonThreads.Owned sweeperThreads = DaemonThreads.owned("goctopus-sweeper");
    private final DaemonThreads.Owned workerThreads = DaemonThreads.owned("goctopus-worker");
    private final ScheduledExecutorService sweeper;
    private final ExecutorService workers;
    private final AtomicBoolean expiring = new AtomicBoolean();

    public Hub(Settings settings, Engine engine, Presence presence, Metrics metrics) {
        this.settings = settings;
        this.engine = engine;
        this.presence = presence;
        this.metrics = metrics;
        this.workers = Executors.newFixedThreadPool(settings.workers(), workerThreads);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(sweeperThreads);
        engine.start(this);
        long tick = sweepTick(settings).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
        metrics.gauges(open::size, () -> engine.totals().keys(), () -> engine.totals().queuedBytes());
    }

    /** Threads for work that may block: closing and pinging sockets. */
    public ExecutorService workers() {
        return workers;
    }

    /** Whether new sockets and publishes are taken: the store is ready and the service is not stopping. */
    public boolean ready() {
        return !stopping && engine.ready();
    }

    // ---- register

    /** Registers a new socket, then reads its backlog and starts sending it. */
    public Connection register(List<String> keys, Transport transport) {
        Connection connection = new Connection(keys, transport, this);
        open.add(connection); // before the check: close() either sees it or is seen
        index(connection);
        presence.joined(connection.keys());
        if (stopping) {
            connection.close(CloseCode.GOING_AWAY); // opened while the service stops
            return connection;
        }
        Log.debug(LOG, "registered", "conn", connection.id(), "keys", keys);
        engine.backlog(connection.keys()).whenComplete((backlog, error) -> {
            if (error != null) {
                Log.warn(LOG, null, "backlog unavailable, closing", "conn", connection.id(), "error", error);
                connection.close(CloseCode.TRY_AGAIN_LATER);
            } else {
                connection.loaded(backlog);
                connection.pump();
            }
        });
        return connection;
    }

    private void index(Connection connection) {
        for (String key : connection.keys()) {
            if (KeyPattern.isPattern(key)) {
                byPattern.add(connection);
            } else {
                byKey.compute(key, (k, set) -> {
                    // Most keys (a user id, an e-mail) have one or two sockets: a small table to start.
                    Set<Connection> sockets = set == null ? ConcurrentHashMap.newKeySet(2) : set;
                    sockets.add(connection);
                    return sockets;
                });
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
        for (String key : connection.keys()) {
            byKey.computeIfPresent(key, (k, set) -> set.remove(connection) && set.isEmpty() ? null : set);
        }
        byPattern.remove(connection);
        presence.left(connection.keys());
        open.remove(connection);
    }

    // ---- publish

    /**
     * Stores the message. The stage completes once the engine has stored it; its fan-out
     * to this instance's sockets comes back through {@link #published}.
     */
    public CompletionStage<Accepted> publish(Publication publication) {
        if (stopping) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the service is stopping", null));
        }
        return engine.publish(publication, settings.maxPending()).thenApply(accepted -> {
            Message message = accepted.message();
            if (!accepted.replaced()) {
                metrics.received();
            }
            if (accepted.dropped() > 0) {
                metrics.dropped(accepted.dropped());
                Log.info(LOG, "dropped past WS_MAX_PENDING", "keys", message.keys(), "count", accepted.dropped());
            }
            if (LOG.isLoggable(Level.FINE)) { // the payload is cut from the frame only when it is logged
                Log.debug(LOG, accepted.replaced() ? "replaced" : "published", "msg", message.id(),
                        "keys", message.keys(), "payload", message.payloadJson());
            }
            return accepted;
        });
    }

    @Override
    public Runnable published(Message message) {
        watches.published(message);
        List<Connection> kick = null;
        List<Connection> overflowed = null;
        int limit = settings.maxPending();
        for (String key : message.keys()) {
            Set<Connection> sockets = byKey.get(key);
            if (sockets != null) {
                for (Connection c : sockets) {
                    if (c.offer(message, limit)) {
                        kick = add(kick, c);
                    } else {
                        overflowed = add(overflowed, c);
                    }
                }
            }
        }
        for (Connection c : byPattern) {
            if (matchesAny(c, message.keys())) {
                if (c.offer(message, limit)) {
                    kick = add(kick, c);
                } else {
                    overflowed = add(overflowed, c);
                }
            }
        }
        if (kick == null && overflowed == null) {
            return NOTHING;
        }
        List<Connection> toSend = kick == null ? List.of() : kick;
        List<Connection> tooSlow = overflowed == null ? List.of() : overflowed;
        if (LOG.isLoggable(Level.FINE)) {
            Log.debug(LOG, "fan-out", "msg", message.id(), "sockets", toSend.size(), "slow", tooSlow.size());
        }
        return () -> {
            toSend.forEach(Connection::pump);
            tooSlow.forEach(c -> c.close(CloseCode.TRY_AGAIN_LATER));
        };
    }

    private static boolean matchesAny(Connection connection, List<String> targetKeys) {
        for (String key : targetKeys) {
            if (connection.matches(key)) {
                return true;
            }
        }
        return false;
    }

    private static List<Connection> add(List<Connection> list, Connection c) {
        List<Connection> l = list == null ? new ArrayList<>() : list;
        l.add(c);
        return l;
    }

    @Override
    public void left(UUID id, List<String> keys, Departure why, boolean gone) {
        watches.left(id, keys, why);
        if (LOG.isLoggable(Level.FINE)) {
            Log.debug(LOG, "left", "msg", id, "keys", keys, "why", why, "gone", gone);
        }
    }

    /** The console's watches of keys' traffic. */
    public TrafficWatches watches() {
        return watches;
    }

    @Override
    public Set<String> subscribedKeys() {
        Set<String> keys = new HashSet<>(byKey.keySet());
        for (Connection c : byPattern) {
            keys.addAll(c.keys());
        }
        return keys;
    }

    @Override
    public void rewind(long seq) {
        Log.info(LOG, "the store's order went back: rewinding sockets", "seq", seq);
        for (Connection c : open) {
            c.rewind(seq);
        }
    }

    void delivered(Message message) {
        metrics.delivered(message.acceptedNanos());
    }

    // ---- ack

    /**
     * Removes the message from the queues of every target key this socket matches. An
     * ACK the store does not take is dropped: the message comes again (at-least-once).
     */
    public void ack(Connection connection, UUID id) {
        engine.ack(id, connection::matches).whenComplete((removed, error) -> {
            if (error != null) {
                metrics.ackDropped();
                Log.debug(LOG, "ack dropped", "conn", connection.id(), "msg", id, "error", error);
            } else if (removed > 0) {
                metrics.acknowledged();
                Log.debug(LOG, "acked", "conn", connection.id(), "msg", id);
            }
        });
    }

    // ---- read and delete

    /** A key's queued messages, oldest first. */
    public CompletionStage<List<Message>> queued(String key) {
        return engine.queued(key);
    }

    /** The recent messages of a key for the history API, oldest first. */
    public CompletionStage<List<Message>> history(String key) {
        return engine.history(key);
    }

    public CompletionStage<List<String>> keys() {
        return engine.keys();
    }

    /** Live sockets per connection key, as the connections registered them, over every instance. */
    public CompletionStage<Map<String, Integer>> presence() {
        return presence.counts();
    }

    public CompletionStage<Integer> delete(String key, UUID id) {
        return engine.delete(key, id);
    }

    public CompletionStage<Integer> deleteKey(String key) {
        return engine.deleteKey(key);
    }

    public CompletionStage<Integer> deleteAll() {
        return engine.deleteAll();
    }

    // ---- expire, and socket health

    /** Expires messages and checks every socket's health; runs on the sweeper thread. */
    void sweep() {
        try {
            if (expiring.compareAndSet(false, true)) { // a slow store: one expiry under way at a time
                engine.expire().whenComplete((expired, error) -> {
                    expiring.set(false);
                    if (error != null) {
                        Log.debug(LOG, "expiry sweep failed", "error", error);
                    } else if (expired > 0) {
                        metrics.expired(expired);
                        Log.debug(LOG, "expired", "count", expired);
                    }
                });
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

    /**
     * Stops taking sockets and publishes: readiness and every publish from now on are 503.
     * The sockets open stay open, and deliveries go on, until {@link #close()}.
     */
    public void stopTaking() {
        stopping = true;
    }

    /**
     * Stops taking sockets and publishes (readiness goes 503 first), closes every socket
     * with 1001 and stops the background threads. The engine is its owner's to close.
     */
    @Override
    public void close() {
        stopTaking();
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
        // Every thread gone before the container's undeploy goes on: its leak check looks
        // right after, and reports a thread still on its way out as left running.
        sweeperThreads.awaitEnd(Duration.ofSeconds(5));
        workerThreads.awaitEnd(Duration.ofSeconds(5));
    }
}
