package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
