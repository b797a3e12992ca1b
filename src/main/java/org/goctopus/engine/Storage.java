package org.goctopus.engine;

import java.time.Duration;
import org.goctopus.config.RedisUrl;
import org.goctopus.core.LocalPresence;
import org.goctopus.core.Presence;
import org.goctopus.metrics.Metrics;

/**
 * The store of a deployment (WS_STORAGE): its engine, and the presence that goes with
 * it. Closed presence first, then the engine, which the Redis presence shares its
 * connections with.
 */
public record Storage(Engine engine, Presence presence) implements AutoCloseable {

    public static Storage memory(int historySize, Duration historyTtl, long maxQueuedBytes) {
        return new Storage(new MemoryEngine(historySize, historyTtl, maxQueuedBytes), new LocalPresence());
    }

    /** Connects in the background: the service starts, not ready, while Redis is down. */
    public static Storage redis(RedisUrl url, String prefix, int minReplicas, int historySize, Duration historyTtl,
                                long maxQueuedBytes, Metrics metrics) {
        RedisLink link = new RedisLink(url, minReplicas > 0, metrics, RedisEngine.OPERATIONS);
        return new Storage(new RedisEngine(link, prefix, historySize, historyTtl, maxQueuedBytes, minReplicas),
                new RedisPresence(link, prefix));
    }

    @Override
    public void close() {
        presence.close();
        engine.close();
    }
}
