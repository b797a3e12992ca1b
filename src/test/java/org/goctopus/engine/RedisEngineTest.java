package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.goctopus.config.RedisUrl;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;
import org.goctopus.metrics.Metrics;
import org.goctopus.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine contract on a real Redis, one server for the class, emptied before each test. */
class RedisEngineTest extends EngineContract {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /**
     * A failover can demote a master that took a write (answered 503: "maybe stored") and
     * wipe it; the backend's retry stores the same id again at another place, and that
     * place is where the instance, which had seen the first copy, now reads it.
     */
    @Test
    void aMessageIdStoredAgainAfterRedisLostItIsReadAtItsNewPlace() throws IOException {
        Publication retried = new Publication(List.of("k"), "\"lost\"", Duration.ofMinutes(5), "5m", UUID.randomUUID());
        done(engine.publish(retried, MAX_PENDING));
        assertEquals(retried.messageId(), sink.nextPublished().id());
        assertEquals("+OK", redis.command("FLUSHALL"));
        Message first = publish("1", "k");
        Message second = publish("2", "k");
        done(engine.publish(retried, MAX_PENDING));
        List<Message> backlog = done(engine.backlog(List.of("k")));
        assertEquals(List.of(first.id(), second.id(), retried.messageId()), backlog.stream().map(Message::id).toList());
        assertEquals(second.seq() + 1, backlog.get(2).seq());
    }

    /**
     * Every socket of a broadcast ACKs it. The first ACK removes it; the others must be answered
     * from what this instance knows, not each by a round trip to Redis (they were: a lookup of the
     * message's keys per socket, 1,000 commands for a broadcast to 1,000 sockets, bench/README.md).
     */
    @Test
    void theAcksThatFollowTheOneThatRemovedAMessageAreAnsweredWithoutAskingRedis() {
        Message m = publish("1", "org");
        sink.nextPublished();
        assertEquals(1, done(engine.ack(m.id(), key -> true)));
        assertEquals(m.id() + " [org] ACKNOWLEDGED gone", sink.nextLeft());
        for (int socket = 0; socket < 1000; socket++) {
            CompletableFuture<Integer> late = engine.ack(m.id(), key -> true).toCompletableFuture();
            assertTrue(late.isDone(), "answered at once, without a command to Redis");
            assertEquals(0, late.join());
        }
    }

    /**
     * A connect storm: the backlog reads of the sockets that connect while one is under way go
     * to Redis together. Sent one command per socket, they waited for seconds on a freshly
     * started instance and timed out (2 s), closing hundreds of 10,000 sockets with 1013
     * (bench/README.md, "Redis mode"): the reads of 300 sockets are a few commands, and each
     * socket still gets its own backlog, oldest first.
     */
    @Test
    void theBacklogsOfSocketsConnectingTogetherAreReadInFewCommands() throws IOException {
        Message shared = publish("all", "org");
        List<Message> own = new ArrayList<>();
        for (int socket = 0; socket < 300; socket++) {
            own.add(publish("own", "u" + socket));
        }
        long before = scriptRuns();
        List<CompletableFuture<List<Message>>> backlogs = new ArrayList<>();
        for (int socket = 0; socket < 300; socket++) {
            backlogs.add(engine.backlog(List.of("u" + socket, "org")).toCompletableFuture());
        }
        for (int socket = 0; socket < 300; socket++) {
            assertEquals(List.of(shared.id(), own.get(socket).id()),
                    done(backlogs.get(socket)).stream().map(Message::id).toList());
        }
        long runs = scriptRuns() - before;
        assertTrue(runs <= 10, runs + " script runs for the backlogs of 300 sockets");
    }

    /** The scripts Redis has run, whatever their caller (INFO commandstats). */
    private static long scriptRuns() {
        return redis.calls("evalsha") + redis.calls("eval");
    }

    @Override
    protected Engine engine(int historySize) {
        try {
            redis.command("FLUSHALL");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisLink link = new RedisLink(RedisUrl.parse(redis.url()), false, new Metrics(), RedisEngine.OPERATIONS);
        return new RedisEngine(link, "test:", historySize, Duration.ofHours(1), MAX_BYTES, 0);
    }
}
