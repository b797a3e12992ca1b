package org.goctopus.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether Redis answers, judged by its replies to every command rather than by one
 * health-check ping: under a burst (thousands of sockets connecting to a cold
 * instance) the ping waits behind hundreds of scripts and can time out while Redis
 * replies to everything else; calling Redis gone then refused every upgrade with 503
 * and turned a slow start into an outage. Redis counts as answering while some reply
 * arrived within the window, and stops at once when a connection drops.
 */
final class RedisLiveness {

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private volatile long lastReply;
    private volatile boolean heard;

    /** @param window how long Redis may stay silent (no reply at all) and still count as answering */
    RedisLiveness(Duration window, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Redis replied to a command (any command, the health check's ping included). */
    void replied() {
        lastReply = nanoClock.getAsLong();
        heard = true;
    }

    /** A connection dropped: not answering until Redis replies again. */
    void lost() {
        heard = false;
    }

    boolean answering() {
        return heard && nanoClock.getAsLong() - lastReply <= windowNanos;
    }
}
