package org.goctopus.engine;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.goctopus.core.KeyPattern;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;

/**
 * Queues in this process's memory: lost when the service restarts, as the README
 * says. One lock orders every change, so the acceptance order is the order in
 * which publishes take it; each stage is complete when its method returns.
 */
public final class MemoryEngine implements Engine {

    private final ReentrantLock lock = new ReentrantLock();
    private Deliveries sink;
    private final long maxQueuedBytes;

    // Guarded by lock.
    private long lastSeq;
    /** Per key, messages in insertion order, which is acceptance order. */
    private final Map<String, LinkedHashMap<UUID, Message>> queues = new HashMap<>();
    /** Per queued message, the keys whose queue holds it. */
    private final Map<UUID, Set<String>> queuedIn = new HashMap<>();
    /** Soonest expiry first; an entry leaves as soon as its message is gone, so acked ones cost nothing. */
    private final TreeSet<Message> byExpiry = new TreeSet<>(
            Comparator.comparingLong(Message::expiresAtMillis).thenComparingLong(Message::seq));
    private long queuedBytes;
    /** Per key, the last messages posted, for the history API; empty when it is off. */
    private final Map<String, ArrayDeque<Message>> history = new HashMap<>();

    /** Concurrent only so that {@link #ack} can skip the lock for a message already gone. */
    private final Map<UUID, Message> byId = new ConcurrentHashMap<>();
    private final int historySize;
    private final long historyTtlMillis;

    /**
     * @param historySize    recent messages kept per key (0: no history)
     * @param maxQueuedBytes WS_MAX_QUEUED_BYTES
     */
    public MemoryEngine(int historySize, Duration historyTtl, long maxQueuedBytes) {
        this.historySize = historySize;
        this.historyTtlMillis = historyTtl.toMillis();
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void start(Deliveries sink) {
        this.sink = sink;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public CompletionStage<Accepted> publish(Publication p, int maxPending) {
        Runnable writes;
        Accepted accepted;
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            long expiresAt = now + p.expire().toMillis();
            Message existing = p.messageId() == null ? null : byId.get(p.messageId());
            if (existing != null) {
                return completedFuture(replace(existing, p, expiresAt));
            }
            if (queuedBytes + (long) Message.sizeOf(p.payloadJson()) * p.keys().size() > maxQueuedBytes) {
                throw new QueueFullException();
            }
            Message message = new Message(p.messageId() == null ? UUID.randomUUID() : p.messageId(), ++lastSeq,
                    p.keys(), Instant.ofEpochMilli(now), p.payloadJson(), expiresAt, p.expireText());
            int dropped = append(message, maxPending);
            accepted = new Accepted(message, false, dropped);
            writes = sink.published(message);
        } catch (IdConflictException | QueueFullException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
        writes.run();
        return completedFuture(accepted);
    }

    /** A re-post of a queued id: new value and expiry, same queue position. */
    private Accepted replace(Message existing, Publication p, long expiresAt) {
        if (!new HashSet<>(existing.keys()).equals(new HashSet<>(p.keys()))) {
            throw new IdConflictException(p.messageId());
        }
        int entries = queuedIn.get(existing.id()).size();
        long growth = (long) (Message.sizeOf(p.payloadJson()) - existing.size()) * entries;
        if (queuedBytes + growth > maxQueuedBytes) {
            throw new QueueFullException();
        }
        byExpiry.remove(existing);
        existing.replace(p.payloadJson(), expiresAt, p.expireText(), Instant.now());
        queuedBytes += growth;
        byExpiry.add(existing);
        return new Accepted(existing, true, 0);
    }

    private int append(Message message, int maxPending) {
        byId.put(message.id(), message);
        byExpiry.add(message);
        queuedIn.put(message.id(), new HashSet<>(message.keys()));
        int dropped = 0;
        for (String key : message.keys()) {
            remember(key, message);
            LinkedHashMap<UUID, Message> queue = queues.computeIfAbsent(key, k -> new LinkedHashMap<>());
            queue.put(message.id(), message);
            queuedBytes += message.size();
            while (queue.size() > maxPending) {
                Message oldest = queue.values().iterator().next();
                removeEntries(oldest, List.of(key), Departure.OVERFLOW);
                dropped++;
            }
        }
        return dropped;
    }

    private void remember(String key, Message message) {
        if (historySize == 0) {
            return;
        }
        ArrayDeque<Message> recent = history.computeIfAbsent(key, k -> new ArrayDeque<>());
        recent.addLast(message);
        if (recent.size() > historySize) {
            recent.removeFirst();
        }
    }

    @Override
    public CompletionStage<List<Message>> history(String key) {
        return locked(() -> {
            ArrayDeque<Message> recent = history.get(key);
            long now = System.currentTimeMillis();
            return recent == null ? List.of() : recent.stream().filter(m -> !isOld(m, now)).toList();
        });
    }

    private boolean isOld(Message message, long nowMillis) {
        return message.date().toEpochMilli() + historyTtlMillis <= nowMillis;
    }

    @Override
    public CompletionStage<Integer> ack(UUID id, Predicate<String> matching) {
        if (!byId.containsKey(id)) {
            // Acknowledged already (a broadcast is acked by every socket), expired or deleted.
            return completedFuture(0);
        }
        return locked(() -> remove(id, matching, Departure.ACKNOWLEDGED));
    }

    @Override
    public CompletionStage<Integer> delete(String key, UUID id) {
        return locked(() -> remove(id, key::equals, Departure.DELETED));
    }

    private int remove(UUID id, Predicate<String> keys, Departure why) {
        Message message = byId.get(id);
        if (message == null) {
            return 0;
        }
        Set<String> in = queuedIn.get(id);
        List<String> selected = message.keys().stream().filter(in::contains).filter(keys).toList();
        removeEntries(message, selected, why);
        return selected.size();
    }

    @Override
    public CompletionStage<Integer> deleteKey(String key) {
        return locked(() -> removeKey(key));
    }

    private int removeKey(String key) {
        LinkedHashMap<UUID, Message> queue = queues.get(key);
        if (queue == null) {
            return 0;
        }
        List<Message> all = new ArrayList<>(queue.values());
        all.forEach(m -> removeEntries(m, List.of(key), Departure.DELETED));
        return all.size();
    }

    @Override
    public CompletionStage<Integer> deleteAll() {
        return locked(() -> {
            int removed = 0;
            for (String key : new ArrayList<>(queues.keySet())) {
                removed += removeKey(key);
            }
            return removed;
        });
    }

    @Override
    public CompletionStage<Integer> expire() {
        return locked(() -> {
            long now = System.currentTimeMillis();
            int expired = 0;
            while (!byExpiry.isEmpty() && byExpiry.first().isExpired(now)) {
                Message message = byExpiry.first();
                Set<String> in = queuedIn.get(message.id());
                removeEntries(message, message.keys().stream().filter(in::contains).toList(), Departure.EXPIRED);
                expired++;
            }
            history.values().removeIf(recent -> {
                while (!recent.isEmpty() && isOld(recent.peekFirst(), now)) {
                    recent.removeFirst();
                }
                return recent.isEmpty();
            });
            return expired;
        });
    }

    @Override
    public CompletionStage<List<Message>> queued(String key) {
        return locked(() -> {
            LinkedHashMap<UUID, Message> queue = queues.get(key);
            return queue == null ? List.of() : List.copyOf(queue.values());
        });
    }

    @Override
    public CompletionStage<List<Message>> backlog(List<String> connectionKeys) {
        return locked(() -> {
            TreeMap<Long, Message> bySeq = new TreeMap<>();
            for (String key : connectionKeys) {
                if (KeyPattern.isPattern(key)) {
                    // Only a glob needs every queued key; a literal key is one lookup, so a
                    // connect costs the same with a thousand offline keys queued or a million.
                    queues.forEach((queued, queue) -> {
                        if (KeyPattern.matches(key, queued)) {
                            queue.values().forEach(m -> bySeq.put(m.seq(), m));
                        }
                    });
                } else {
                    LinkedHashMap<UUID, Message> queue = queues.get(key);
                    if (queue != null) {
                        queue.values().forEach(m -> bySeq.put(m.seq(), m));
                    }
                }
            }
            return List.copyOf(bySeq.values());
        });
    }

    @Override
    public CompletionStage<List<String>> keys() {
        return locked(() -> List.copyOf(queues.keySet()));
    }

    @Override
    public Totals totals() {
        lock.lock();
        try {
            return new Totals(queues.size(), queuedBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the message out of these keys' queues (all of them must hold it) and reports it. */
    private void removeEntries(Message message, List<String> keys, Departure why) {
        if (keys.isEmpty()) {
            return;
        }
        Set<String> in = queuedIn.get(message.id());
        for (String key : keys) {
            LinkedHashMap<UUID, Message> queue = queues.get(key);
            queue.remove(message.id());
            queuedBytes -= message.size();
            if (queue.isEmpty()) {
                queues.remove(key);
            }
            in.remove(key);
        }
        boolean gone = in.isEmpty();
        if (gone) {
            queuedIn.remove(message.id());
            byId.remove(message.id());
            byExpiry.remove(message);
            message.markGone();
        }
        sink.left(message.id(), keys, why, gone);
    }

    private <T> CompletionStage<T> locked(Supplier<T> action) {
        lock.lock();
        try {
            return completedFuture(action.get());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
    }
}
