package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.goctopus.config.RedisUrl;
import org.goctopus.metrics.Metrics;
import org.goctopus.support.Await;
import org.goctopus.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Presence on a real Redis when changes come faster than Redis answers them. */
class RedisPresenceTest {

    private static final int THREADS = 4;
    private static final int SOCKETS = 2_000;

    /**
     * Changes made while one is on its way are summed and sent together: whatever the
     * grouping, the counts in Redis end equal to the sockets held, a key whose count fell
     * to 0 included (it is absent, not 0).
     */
    @Test
    @Timeout(60)
    void aStormOfConnectsAndDisconnectsFromManyThreadsEndsWithTheExactCounts() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RedisLink link = new RedisLink(RedisUrl.parse(redis.url()), false, new Metrics(), RedisEngine.OPERATIONS)) {
            link.start("presence-test", new RedisLink.Listener() {
                @Override
                public void subscribed() {
                }

                @Override
                public void notification(String text) {
                }
            });
            Await.until(Duration.ofSeconds(30), link::ready);
            RedisPresence presence = new RedisPresence(link, "p:");
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> storms = new java.util.ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    storms.add(threads.submit(() -> {
                        for (int s = 0; s < SOCKETS; s++) {
                            List<String> keys = List.of("user" + (s % 10), "org", "t" + thread);
                            presence.joined(keys);
                            if (s % 2 == 1 || thread == 0) {
                                presence.left(keys); // thread 0 leaves every socket: its key goes
                            }
                        }
                    }));
                }
                for (Future<?> storm : storms) {
                    storm.get(30, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdown();
            }
            Map<String, Integer> expected = new TreeMap<>();
            int kept = (THREADS - 1) * SOCKETS / 2; // the even sockets of threads 1..3 stay
            expected.put("org", kept);
            for (int u = 0; u < 10; u += 2) {
                expected.put("user" + u, kept / 5); // only even sockets stay: users 0, 2, 4, 6, 8
            }
            for (int t = 1; t < THREADS; t++) {
                expected.put("t" + t, SOCKETS / 2);
            }
            Await.until(() -> expected.equals(presence.counts().toCompletableFuture().join()));
            presence.close();
        }
    }
}
