package org.goctopus.limit;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token bucket per client address (WS_RATE_LIMIT per second, WS_RATE_BURST
 * deep), one bucket shared by API requests and upgrades. A bucket idle long
 * enough to be full again is indistinguishable from a new one, so it is evicted:
 * memory stays bounded under a spray of addresses.
 */
public final class RateLimiter {

    private static final int SWEEP_EVERY = 1024;

    private final double perSecond;
    private final double burst;
    private final long refillNanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * @param perSecond tokens per second; 0 turns limiting off
     * @param burst     bucket depth; 0 means one second's worth, at least 1
     */
    public RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst > 0 ? burst : Math.max(1, Math.ceil(perSecond));
        this.refillNanos = perSecond > 0 ? (long) (this.burst / perSecond * 1e9) : 0;
    }

    /** The outcome of one request: allowed, or refused with the seconds until a token is back. */
    public record Verdict(boolean allowed, long retryAfterSeconds) {
    }

    private static final Verdict ALLOWED = new Verdict(true, 0);

    public Verdict acquire(String address) {
        if (perSecond == 0) {
            return ALLOWED;
        }
        long now = System.nanoTime();
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            evictFull(now);
        }
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.refill(now, perSecond, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return ALLOWED;
            }
            return new Verdict(false, Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond)));
        }
    }

    /** Buckets tracked now; for tests of the eviction. */
    public int size() {
        return buckets.size();
    }

    /** Drops every bucket idle long enough to have refilled completely. */
    public void evictFull(long nowNanos) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                if (nowNanos - b.updatedNanos >= refillNanos) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        void refill(long now, double perSecond, double burst) {
            tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * perSecond);
            updatedNanos = now;
        }
    }
}
