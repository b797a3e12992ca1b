package org.goctopus.core;

import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live websocket as the hub sees it: its keys, and its outbound path.
 *
 * <p>Outbound, it keeps one write in flight (Tomcat refuses a second async send on
 * a session): the frames queued when the write starts, up to {@link #MAX_BATCH} of
 * them or about {@link #MAX_BATCH_CHARS}, which the transport may send together.
 * Behind it are two sources: the backlog read from the engine when it registered,
 * sent first and pulled as the socket drains, so a backlog of any length never fills
 * a buffer; then live messages, in a buffer bounded by WS_MAX_PENDING, past which
 * the socket is too slow and is closed with 1013.
 *
 * <p>It is indexed before its backlog is read, so live messages may arrive while the
 * read is under way: they are held and merged with the backlog by sequence number
 * ({@link #loaded}). From then on it takes only messages numbered above the highest
 * it has, so it never gets one twice, whichever of its keys a message matches.
 */
public final class Connection {

    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Bound one write, so that a due ping or a close waits for a few frames, not a backlog,
     * and WS_WRITE_TIMEOUT (which times a whole write) allows about one large message's time.
     */
    private static final int MAX_BATCH = 32;
    private static final int MAX_BATCH_CHARS = 64 * 1024;

    private final long id = IDS.incrementAndGet();
    private final List<String> keys;
    private final Transport transport;
    private final Hub hub;

    /**
     * Highest sequence number handed to this socket. Written by {@link #offer} and
     * {@link #rewind}, which the engine's deliveries call one at a time, and once by
     * {@link #loaded} before {@link #loading} is cleared.
     */
    private long lastSeq;
    /** Until the backlog is read: live messages wait in {@link #held}. Guarded by this. */
    private volatile boolean loading = true;
    private List<Message> held = new ArrayList<>();
    /** Read and emptied only by the sender holding {@link #sending}. */
    private volatile Queue<Message> backlog = new ArrayDeque<>();
    private final Queue<Message> live = new ConcurrentLinkedQueue<>();
    private final AtomicInteger liveCount = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Calls of {@link #pump} not yet served by its loop (0: no loop running). */
    private final AtomicInteger pumpRequests = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A ping fell due while a frame was in flight: the sender sends it before the next frame. */
    private final AtomicBoolean pingDue = new AtomicBoolean();
    private volatile long sendStartedNanos;
    private volatile long lastInboundNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();

    Connection(List<String> keys, Transport transport, Hub hub) {
        this.keys = List.copyOf(keys);
        this.transport = transport;
        this.hub = hub;
    }

    public long id() {
        return id;
    }

    public List<String> keys() {
        return keys;
    }

    /** Whether a message posted to {@code targetKey} is for this socket. */
    public boolean matches(String targetKey) {
        for (String key : keys) {
            if (KeyPattern.matches(key, targetKey)) {
                return true;
            }
        }
        return false;
    }

    /** Any inbound frame (an ACK, a pong, anything) proves the peer is alive. */
    public void touched() {
        lastInboundNanos = System.nanoTime();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * The backlog read from the engine: merged with the live messages held meanwhile
     * (a message in both is kept once), oldest first. Then the socket takes live
     * messages directly, and the caller starts sending.
     */
    void loaded(List<Message> snapshot) {
        synchronized (this) {
            Map<UUID, Message> merged = new HashMap<>();
            snapshot.forEach(m -> merged.put(m.id(), m));
            held.forEach(m -> merged.putIfAbsent(m.id(), m));
            List<Message> ordered = new ArrayList<>(merged.values());
            ordered.sort(Comparator.comparingLong(Message::seq));
            backlog = new ArrayDeque<>(ordered);
            if (!ordered.isEmpty()) {
                lastSeq = Math.max(lastSeq, ordered.get(ordered.size() - 1).seq());
            }
            held = null;
            loading = false;
        }
    }

    /**
     * Called by the hub, for each message in acceptance order. Returns false when the
     * live buffer is full: the hub then closes this socket with 1013.
     */
    boolean offer(Message message, int liveLimit) {
        if (loading) {
            synchronized (this) {
                if (loading) {
                    held.add(message);
                    return held.size() <= liveLimit;
                }
            }
        }
        if (message.seq() <= lastSeq) {
            return true; // already handed over: a socket never gets a message twice
        }
        lastSeq = message.seq();
        if (liveCount.incrementAndGet() > liveLimit) {
            return false;
        }
        live.add(message);
        return true;
    }

    /** The store's order went back to {@code seq}: messages numbered above it are new again. */
    void rewind(long seq) {
        lastSeq = Math.min(lastSeq, seq);
    }

    /**
     * Starts sending if nothing is in flight. Never called under a lock.
     *
     * <p>A drain loop, not a recursion: a transport may complete a send inline (Tyrus does
     * when the bytes leave at once), so {@code send → done → sent → pump} can come back here
     * on the same stack. Such a call only counts itself in {@link #pumpRequests} and returns;
     * the loop already running, further up the stack, goes round once more. A long backlog
     * thus takes constant stack on any container, whatever thread completions come on.
     */
    void pump() {
        if (pumpRequests.getAndIncrement() != 0) {
            return;
        }
        int requests = 1;
        do {
            startNextBatch();
            requests = pumpRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    private void startNextBatch() {
        while (!closed.get() && sending.compareAndSet(false, true)) {
            List<Message> batch = nextBatch();
            if (!batch.isEmpty()) {
                sendStartedNanos = System.nanoTime();
                transport.send(batch, error -> sent(batch, error));
                return;
            }
            sending.set(false);
            // A publisher may have added a message after next() and before the flag dropped.
            if (live.isEmpty()) {
                return;
            }
        }
    }

    private List<Message> nextBatch() {
        List<Message> batch = new ArrayList<>(4);
        int chars = 0;
        Message next;
        while (batch.size() < MAX_BATCH && chars < MAX_BATCH_CHARS && (next = next()) != null) {
            batch.add(next);
            chars += next.frame().length();
        }
        return batch;
    }

    private Message next() {
        long now = System.currentTimeMillis();
        Queue<Message> pending = backlog;
        Message m;
        while ((m = pending.poll()) != null) {
            if (!m.isGone() && !m.isExpired(now)) {
                return m;
            }
        }
        while ((m = live.poll()) != null) {
            liveCount.decrementAndGet();
            if (!m.isExpired(now)) {
                return m;
            }
        }
        return null;
    }

    private void sent(List<Message> batch, Throwable error) {
        sendStartedNanos = 0;
        if (error != null) {
            // Broken, closing, or failed for another reason: never leave a socket open that no
            // longer receives. Its messages stay queued for the next connect. A container's own
            // send timeout (set to WS_WRITE_TIMEOUT too) races the sweeper's: either way the
            // peer was too slow, and is closed and counted as such.
            close(timedOut(error) ? CloseCode.TRY_AGAIN_LATER : CloseCode.WRITE_FAILED);
            return;
        }
        for (Message message : batch) {
            hub.delivered(message);
        }
        if (pingDue.compareAndSet(true, false)) {
            ping(); // still holding the sending flag: no frame competes with the ping
            return;
        }
        sending.set(false);
        pump();
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Called holding the sending flag; releases it once the ping is written. */
    private void ping() {
        sendStartedNanos = System.nanoTime();
        transport.ping(() -> {
            sendStartedNanos = 0;
            sending.set(false);
            pump();
        });
    }

    /** Called by the hub's sweeper: write stalls, read timeout, pings. */
    void checkHealth(long nowNanos, long writeTimeoutNanos, long readTimeoutNanos, long pingIntervalNanos) {
        long started = sendStartedNanos;
        if (started != 0 && nowNanos - started > writeTimeoutNanos) {
            close(CloseCode.TRY_AGAIN_LATER);
        } else if (nowNanos - lastInboundNanos > readTimeoutNanos) {
            close(CloseCode.READ_TIMEOUT);
        } else {
            if (nowNanos - lastPingNanos >= pingIntervalNanos) {
                lastPingNanos = nowNanos;
                // While frames flow (a long backlog) the ping goes between two of them: a peer
                // that answers pings is not silent because the server is busy sending to it.
                pingDue.set(true);
            }
            if (pingDue.get() && sending.compareAndSet(false, true)) {
                if (pingDue.compareAndSet(true, false)) {
                    ping();
                } else {
                    sending.set(false);
                    pump();
                }
            }
        }
    }

    /** Unregisters and closes with {@code code}; later calls do nothing. */
    public void close(CloseCode code) {
        if (closed.compareAndSet(false, true)) {
            hub.unregister(this, code);
            transport.close(code);
        }
    }

    /** The peer closed, or the socket failed: unregister without sending anything. */
    public void closedByPeer() {
        if (closed.compareAndSet(false, true)) {
            hub.unregister(this, null);
        }
    }

    @Override
    public String toString() {
        return "connection " + id;
    }
}
