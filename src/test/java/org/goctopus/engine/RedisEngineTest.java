package org.goctopus.engine;

import java.time.Duration;
import java.util.List;
import org.goctopus.config.RedisUrl;
import org.goctopus.metrics.Metrics;
import org.goctopus.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected Engine engine(int historySize) {
        try {
            redis.command("FLUSHALL");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RedisLink link = new RedisLink(RedisUrl.parse(redis.url()), false, new Metrics(), RedisEngine.OPERATIONS);
        return new RedisEngine(link, "test:", historySize, Duration.ofHours(1), MAX_BYTES, 0);
    }
}
