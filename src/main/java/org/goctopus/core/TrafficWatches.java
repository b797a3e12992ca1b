package org.goctopus.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.goctopus.engine.Departure;

/**
 * The traffic of watched keys, for the console: each message accepted for the key and
 * each departure from its queue, from every instance (the engine reports both to every
 * hub). Polled rather than pushed, so that the engine's thread only appends under a short
 * lock and never writes to a network: a watch keeps its key's last {@value #EVENTS}
 * events, numbered, and a poll reads those after a number. A watch nobody polled for
 * {@value #IDLE_SECONDS} s is dropped; at most {@value #MAX_WATCHES} at once, and a
 * payload over {@value #PAYLOAD_SHOWN} bytes is kept as its size only, so all of them
 * together stay under some 10 MB.
 */
public final class TrafficWatches {

    static final int EVENTS = 200;
    static final int MAX_WATCHES = 64;
    static final int PAYLOAD_SHOWN = 512;
    static final long IDLE_SECONDS = 30;

    /**
     * One event: {@code what} is "published" or a departure's name in lower case; the
     * payload (JSON) only for "published", null when it was too large to keep.
     */
    public record Event(long n, String what, UUID id, String payloadJson, int payloadBytes, Instant at) {
    }

    /** The events after a number; {@code missed}: older ones after it were dropped already. */
    public record Page(long last, boolean missed, List<Event> events) {
    }

    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    void published(Message message) {
        if (watches.isEmpty()) {
            return; // the usual case: nobody watches
        }
        for (String key : message.keys()) {
            Watch watch = watches.get(key);
            if (watch != null) {
                String payload = message.payloadJson();
                int bytes = Message.sizeOf(payload);
                watch.add("published", message.id(), bytes <= PAYLOAD_SHOWN ? payload : null, bytes);
            }
        }
    }

    void left(UUID id, List<String> keys, Departure why) {
        if (watches.isEmpty()) {
            return;
        }
        for (String key : keys) {
            Watch watch = watches.get(key);
            if (watch != null) {
                watch.add(why.name().toLowerCase(java.util.Locale.ROOT), id, null, 0);
            }
        }
    }

    /**
     * The key's events numbered after {@code after}, its watch started by the first poll
     * (which sees only what follows); null when {@value #MAX_WATCHES} other keys are watched.
     */
    public Page poll(String key, long after) {
        long now = System.nanoTime();
        watches.values().removeIf(w -> now - w.polledNanos > IDLE_SECONDS * 1_000_000_000L);
        Watch watch = watches.get(key);
        if (watch == null) {
            if (watches.size() >= MAX_WATCHES) {
                return null;
            }
            watch = watches.computeIfAbsent(key, k -> new Watch());
        }
        watch.polledNanos = now;
        return watch.after(after);
    }

    private static final class Watch {
        private final ArrayDeque<Event> events = new ArrayDeque<>();
        private long last;
        private volatile long polledNanos = System.nanoTime();

        synchronized void add(String what, UUID id, String payloadJson, int payloadBytes) {
            if (events.size() == EVENTS) {
                events.removeFirst();
            }
            events.addLast(new Event(++last, what, id, payloadJson, payloadBytes, Instant.now()));
        }

        synchronized Page after(long after) {
            List<Event> page = new ArrayList<>();
            for (Event e : events) {
                if (e.n() > after) {
                    page.add(e);
                }
            }
            boolean missed = !events.isEmpty() && events.peekFirst().n() > after + 1 && after < last;
            return new Page(last, missed, page);
        }
    }
}
