package org.goctopus.engine;

import java.time.Duration;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.goctopus.core.KeyPattern;
import org.goctopus.core.Message;

/**
 * Queues in this process's memory: lost when the service restarts, as the README
 * says. Not thread-safe by itself: see the {@link Engine} contract.
 */
public final class MemoryEngine implements Engine {

    /** Per key, messages in insertion order, which is acceptance order. */
    private final Map<String, LinkedHashMap<UUID, Message>> queues = new HashMap<>();
    /** Per queued message, the keys whose queue holds it. */
    private final Map<UUID, Set<String>> queuedIn = new HashMap<>();
    /** Concurrent only so that {@link #peek} may read it without the hub's lock. */
    private final Map<UUID, Message> byId = new ConcurrentHashMap<>();
    /** Soonest expiry first; an entry leaves as soon as its message is gone, so acked ones cost nothing. */
    private final TreeSet<Message> byExpiry = new TreeSet<>(
            Comparator.comparingLong(Message::expiresAtMillis).thenComparingLong(Message::seq));
    private long queuedBytes;
    /** Per key, the last messages posted, for the history API; empty when it is off. */
    private final Map<String, ArrayDeque<Message>> history = new HashMap<>();
    private final int historySize;
    private final long historyTtlMillis;

    /** @param historySize recent messages kept per key (0: no history) */
    public MemoryEngine(int historySize, Duration historyTtl) {
        this.historySize = historySize;
        this.historyTtlMillis = historyTtl.toMillis();
    }

    @Override
    public List<Message> append(Message message, int maxPending) {
        byId.put(message.id(), message);
        byExpiry.add(message);
        Set<String> in = new HashSet<>(message.keys());
        queuedIn.put(message.id(), in);
        List<Message> dropped = new ArrayList<>();
        for (String key : message.keys()) {
            remember(key, message);
            LinkedHashMap<UUID, Message> queue = queues.computeIfAbsent(key, k -> new LinkedHashMap<>());
            queue.put(message.id(), message);
            queuedBytes += message.size();
            while (queue.size() > maxPending) {
                Message oldest = queue.values().iterator().next();
                removeEntry(key, oldest);
                dropped.add(oldest);
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
    public List<Message> history(String key, long nowMillis) {
        ArrayDeque<Message> recent = history.get(key);
        if (recent == null) {
            return List.of();
        }
        return recent.stream().filter(m -> !isOld(m, nowMillis)).toList();
    }

    private boolean isOld(Message message, long nowMillis) {
        return message.date().toEpochMilli() + historyTtlMillis <= nowMillis;
    }

    @Override
    public Message find(UUID id) {
        return byId.get(id);
    }

    @Override
    public Message peek(UUID id) {
        return byId.get(id);
    }

    @Override
    public void replace(Message message, String payloadJson, long expiresAtMillis, String expireText) {
        int entries = queuedIn.get(message.id()).size();
        byExpiry.remove(message);
        queuedBytes -= (long) message.size() * entries;
        message.replace(payloadJson, expiresAtMillis, expireText);
        queuedBytes += (long) message.size() * entries;
        byExpiry.add(message);
    }

    @Override
    public int remove(UUID id, Predicate<String> keys) {
        Message message = byId.get(id);
        if (message == null) {
            return 0;
        }
        int removed = 0;
        for (String key : new ArrayList<>(queuedIn.get(id))) {
            if (keys.test(key)) {
                removeEntry(key, message);
                removed++;
            }
        }
        return removed;
    }

    @Override
    public int removeKey(String key) {
        LinkedHashMap<UUID, Message> queue = queues.get(key);
        if (queue == null) {
            return 0;
        }
        List<Message> all = new ArrayList<>(queue.values());
        all.forEach(m -> removeEntry(key, m));
        return all.size();
    }

    @Override
    public int removeAll() {
        int removed = 0;
        for (String key : new ArrayList<>(queues.keySet())) {
            removed += removeKey(key);
        }
        return removed;
    }

    @Override
    public List<Message> expire(long nowMillis) {
        List<Message> expired = new ArrayList<>();
        while (!byExpiry.isEmpty() && byExpiry.first().isExpired(nowMillis)) {
            Message message = byExpiry.first();
            for (String key : new ArrayList<>(queuedIn.get(message.id()))) {
                removeEntry(key, message);
            }
            expired.add(message);
        }
        history.values().removeIf(recent -> {
            while (!recent.isEmpty() && isOld(recent.peekFirst(), nowMillis)) {
                recent.removeFirst();
            }
            return recent.isEmpty();
        });
        return expired;
    }

    @Override
    public List<Message> queued(String key) {
        LinkedHashMap<UUID, Message> queue = queues.get(key);
        return queue == null ? List.of() : List.copyOf(queue.values());
    }

    @Override
    public List<Message> backlog(List<String> connectionKeys) {
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
    }

    @Override
    public List<String> keys() {
        return List.copyOf(queues.keySet());
    }

    @Override
    public long queuedBytes() {
        return queuedBytes;
    }

    private void removeEntry(String key, Message message) {
        LinkedHashMap<UUID, Message> queue = queues.get(key);
        if (queue == null || queue.remove(message.id()) == null) {
            return;
        }
        queuedBytes -= message.size();
        if (queue.isEmpty()) {
            queues.remove(key);
        }
        Set<String> in = queuedIn.get(message.id());
        in.remove(key);
        if (in.isEmpty()) {
            queuedIn.remove(message.id());
            byId.remove(message.id());
            byExpiry.remove(message);
            message.markGone();
        }
    }
}
