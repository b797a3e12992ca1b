package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;
import org.goctopus.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Engine} contract, one suite for every engine (as centrifuge runs one
 * broker suite against memory and Redis): a subclass only says how to build one.
 * The sink records what the engine hands back, as the hub would receive it.
 */
abstract class EngineContract {

    static final int MAX_PENDING = 5;
    static final long MAX_BYTES = 1000;

    /** A new engine with history of {@code historySize} per key and the caps above; started by the suite. */
    protected abstract Engine engine(int historySize);

    protected Engine engine;
    protected final Recorder sink = new Recorder();

    /** What the hub would see: every delivery and departure, and whether calls ever overlapped. */
    static final class Recorder implements Deliveries {
        final BlockingQueue<Message> published = new LinkedBlockingQueue<>();
        final BlockingQueue<String> left = new LinkedBlockingQueue<>();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        final AtomicLong rewoundTo = new AtomicLong(-1);
        private final AtomicLong inside = new AtomicLong();
        volatile boolean overlapped;

        @Override
        public Runnable published(Message message) {
            enter();
            published.add(message);
            inside.decrementAndGet();
            return () -> { };
        }

        @Override
        public void left(UUID id, List<String> keys, Departure why, boolean gone) {
            enter();
            left.add(id + " " + keys + " " + why + (gone ? " gone" : ""));
            inside.decrementAndGet();
        }

        private void enter() {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
        }

        @Override
        public Set<String> subscribedKeys() {
            return subscribed;
        }

        @Override
        public void rewind(long seq) {
            rewoundTo.set(seq);
        }

        Message nextPublished() {
            try {
                Message m = published.poll(10, TimeUnit.SECONDS);
                if (m == null) {
                    throw new AssertionError("nothing published within 10 s");
                }
                return m;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        String nextLeft() {
            try {
                String l = left.poll(10, TimeUnit.SECONDS);
                if (l == null) {
                    throw new AssertionError("no departure within 10 s");
                }
                return l;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void startEngine() {
        engine = engine(3);
        engine.start(sink);
        Await.until(Duration.ofSeconds(20), engine::ready);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static <T> T done(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    static Publication post(String value, String... keys) {
        return new Publication(List.of(keys), value, Duration.ofMinutes(5), "5m", null);
    }

    Message publish(String value, String... keys) {
        return done(engine.publish(post(value, keys), MAX_PENDING)).message();
    }

    @Test
    void publishesGetIncreasingPlacesAndReachTheSinkInThatOrderOnce() {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(publish(Integer.toString(i), "k" + (i % 3)));
        }
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i).seq() > sent.get(i - 1).seq(), "seq must increase");
        }
        for (Message m : sent) {
            Message delivered = sink.nextPublished();
            assertEquals(m.id(), delivered.id());
            assertEquals(m.seq(), delivered.seq());
            assertEquals(m.payloadJson(), delivered.payloadJson());
        }
        assertTrue(sink.published.isEmpty());
        assertTrue(!sink.overlapped, "sink calls overlapped");
    }

    @Test
    void aBacklogHoldsEveryQueuedMessageOfTheConnectionsKeysOnceOldestFirst() {
        Message a = publish("1", "alice");
        Message both = publish("2", "alice", "org.sales");
        publish("3", "bob");
        Message sales = publish("4", "org.sales");
        List<Message> backlog = done(engine.backlog(List.of("alice", "org.*")));
        assertEquals(List.of(a.id(), both.id(), sales.id()), backlog.stream().map(Message::id).toList());
        assertEquals(List.of("alice", "org.sales"), backlog.get(1).keys());
        assertEquals("2", backlog.get(1).payloadJson());
    }

    @Test
    void anAckRemovesTheMessageFromTheKeysTheConnectionMatchesOnly() {
        Message m = publish("{\"x\":1}", "alice", "acme");
        assertEquals(1, done(engine.ack(m.id(), "alice"::equals)));
        assertEquals(m.id() + " [alice] ACKNOWLEDGED", sink.nextLeft());
        assertEquals(List.of(), done(engine.queued("alice")));
        assertEquals(List.of(m.id()), done(engine.queued("acme")).stream().map(Message::id).toList());
        assertEquals(0, done(engine.ack(m.id(), "alice"::equals)), "a second ACK removes nothing");
        assertEquals(1, done(engine.ack(m.id(), key -> true)));
        assertEquals(m.id() + " [acme] ACKNOWLEDGED gone", sink.nextLeft());
        assertEquals(List.of(), done(engine.queued("acme")));
    }

    @Test
    void pastMaxPendingTheKeysOldestLeavesAsOverflow() {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < MAX_PENDING; i++) {
            sent.add(publish(Integer.toString(i), "k"));
        }
        Accepted sixth = done(engine.publish(post("5", "k"), MAX_PENDING));
        assertEquals(1, sixth.dropped());
        assertEquals(sent.get(0).id() + " [k] OVERFLOW gone", sink.nextLeft());
        List<Message> queue = done(engine.queued("k"));
        assertEquals(MAX_PENDING, queue.size());
        assertEquals(sent.get(1).id(), queue.get(0).id());
        assertEquals(sixth.message().id(), queue.get(MAX_PENDING - 1).id());
    }

    @Test
    void pastMaxQueuedBytesAPublishIsRefusedAndNothingQueuedIsDropped() {
        String big = "\"" + "x".repeat(400) + "\"";
        publish(big, "a");
        publish(big, "b");
        CompletionException refused = assertThrows(CompletionException.class,
                () -> done(engine.publish(post(big, "c"), MAX_PENDING)));
        assertInstanceOf(QueueFullException.class, refused.getCause());
        assertEquals(1, done(engine.queued("a")).size());
        assertEquals(1, done(engine.queued("b")).size());
        assertEquals(List.of(), done(engine.queued("c")));
    }

    @Test
    void aRepostOfAQueuedIdReplacesItInPlaceAndIsNotPublishedAgain() {
        UUID id = UUID.randomUUID();
        Message first = done(engine.publish(new Publication(List.of("k"), "1", Duration.ofMinutes(5), "5m", id),
                MAX_PENDING)).message();
        Message later = publish("2", "k");
        Accepted again = done(engine.publish(new Publication(List.of("k"), "3", Duration.ofHours(1), "1h", id),
                MAX_PENDING));
        assertTrue(again.replaced());
        assertEquals(first.seq(), again.message().seq());
        List<Message> queue = done(engine.queued("k"));
        assertEquals(List.of(id, later.id()), queue.stream().map(Message::id).toList());
        assertEquals("3", queue.get(0).payloadJson());
        assertEquals("1h", queue.get(0).expireText());
        sink.nextPublished();
        sink.nextPublished();
        CompletionException conflict = assertThrows(CompletionException.class, () -> done(engine.publish(
                new Publication(List.of("other"), "4", Duration.ofMinutes(5), "5m", id), MAX_PENDING)));
        assertInstanceOf(IdConflictException.class, conflict.getCause());
        assertTrue(sink.published.isEmpty(), "a re-post is not published again");
    }

    @Test
    void expiryRemovesDueMessagesOnceAndLeavesTheOthers() {
        Message soon = done(engine.publish(new Publication(List.of("k", "j"), "1", Duration.ofMillis(1), "1ms", null),
                MAX_PENDING)).message();
        Message later = publish("2", "k");
        AtomicInteger expired = new AtomicInteger();
        Await.until(() -> expired.addAndGet(done(engine.expire())) > 0);
        assertEquals(1, expired.get());
        assertEquals(soon.id() + " [k, j] EXPIRED gone", sink.nextLeft());
        assertEquals(0, done(engine.expire()));
        assertEquals(List.of(later.id()), done(engine.queued("k")).stream().map(Message::id).toList());
        assertEquals(List.of("k"), done(engine.keys()));
    }

    @Test
    void deletesCountTheEntriesTheyRemove() {
        Message m = publish("1", "a", "b");
        publish("2", "a");
        publish("3", "c");
        assertEquals(0, done(engine.delete("c", m.id())));
        assertEquals(1, done(engine.delete("a", m.id())));
        assertEquals(1, done(engine.deleteKey("a")));
        assertEquals(0, done(engine.deleteKey("a")));
        assertEquals(2, done(engine.deleteAll()));
        assertEquals(List.of(), done(engine.keys()));
        done(engine.expire()); // the Redis engine's totals are refreshed by the sweep
        assertEquals(new Engine.Totals(0, 0), engine.totals());
    }

    @Test
    void historyKeepsTheLastMessagesAcknowledgedOrNotOldestFirst() {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(publish(Integer.toString(i), "k"));
        }
        done(engine.ack(sent.get(3).id(), key -> true));
        List<Message> history = done(engine.history("k"));
        assertEquals(List.of(sent.get(1).id(), sent.get(2).id(), sent.get(3).id()),
                history.stream().map(Message::id).toList());
        assertEquals("1", history.get(0).payloadJson());
        assertEquals(List.of(), done(engine.history("nobody")));
    }

    @Test
    void totalsCountEachValueOncePerKey() {
        publish("\"abcd\"", "a", "b"); // 6 bytes, twice
        done(engine.expire());
        assertEquals(new Engine.Totals(2, 12), engine.totals());
    }
}
