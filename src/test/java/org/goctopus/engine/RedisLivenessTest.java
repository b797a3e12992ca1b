package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The readiness rule on a clock the test moves: the latencies of a connect storm on a
 * cold instance cannot be reproduced on demand, the rule they exposed can.
 */
class RedisLivenessTest {

    private long now = 1_000_000_000L;
    private final RedisLiveness liveness = new RedisLiveness(Duration.ofSeconds(3), () -> now);

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    void nothingHeardYetIsNotAnswering() {
        assertFalse(liveness.answering());
    }

    @Test
    void repliesToOtherCommandsKeepItAnsweringWhileTheHealthCheckWaitsBehindThem() {
        liveness.replied(); // the last ping that came back
        for (int i = 0; i < 10; i++) { // pings time out, scripts keep replying
            advance(Duration.ofMillis(900));
            liveness.replied();
            assertTrue(liveness.answering());
        }
    }

    @Test
    void silenceLongerThanTheWindowIsNotAnswering() {
        liveness.replied();
        advance(Duration.ofSeconds(3));
        assertTrue(liveness.answering());
        advance(Duration.ofMillis(1));
        assertFalse(liveness.answering());
    }

    @Test
    void aDroppedConnectionIsNotAnsweringAtOnceAndAReplyBringsItBack() {
        liveness.replied();
        liveness.lost();
        assertFalse(liveness.answering());
        advance(Duration.ofSeconds(1));
        liveness.replied();
        assertTrue(liveness.answering());
    }
}
