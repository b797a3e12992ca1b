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
             RedisLink link = started(redis)) {
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

    /**
     * A rewrite is never sent while a change is on its way: the change's count is in the
     * rewrite's snapshot, and Redis could apply the change after it, counting that socket
     * twice for good. It happened when Redis did not know the change's script yet (the
     * first connect of an instance on a fresh Redis): the change is then sent again, whole,
     * once Redis refused it, behind a rewrite sent meanwhile.
     */
    @Test
    @Timeout(60)
    void aRewriteNeverOvertakesAChangeSentAgainWithItsScript() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // Another instance ran the heartbeat and the rewrite: Redis knows those, not the change.
            redis.command("SCRIPT", "LOAD", RedisScript.PRESENCE_HEARTBEAT.text());
            redis.command("SCRIPT", "LOAD", RedisScript.PRESENCE_REWRITE.text());
            try (RedisLink link = started(redis)) {
                RedisPresence presence = new RedisPresence(link, "p:");
                // No socket yet: the first heartbeat finds no hash and rewrites it, empty.
                Await.until(() -> redis.calls("evalsha") >= 2);
                // The next heartbeat waits in a paused Redis, and a connect's change behind it.
                assertEquals("+OK", redis.command("CLIENT", "PAUSE", "20000", "WRITE"));
                Await.until(() -> redis.clients().stream().anyMatch(c -> c.contains(" flags=b ")));
                presence.joined(List.of("k"));
                Await.until(() -> redis.clients().stream().anyMatch(c -> c.contains(" flags=b ")
                        && !c.contains(" qbuf=0 ")));
                assertEquals("+OK", redis.command("CLIENT", "UNPAUSE"));
                // The heartbeat finds no hash (a rewrite is due), the change's script is unknown
                // (it goes again, whole): once it did, the hash counts the one socket once.
                Await.until(() -> redis.calls("eval") == 1);
                Await.until(() -> presence.counts().toCompletableFuture().join(), Map.of("k", 1)::equals);
                assertEquals(Map.of("k", 1), presence.counts().toCompletableFuture().join());
                presence.close();
            }
        }
    }

    private static RedisLink started(RedisServer redis) {
        RedisLink link = new RedisLink(RedisUrl.parse(redis.url()), false, new Metrics(), RedisEngine.OPERATIONS);
        link.start("presence-test", new RedisLink.Listener() {
            @Override
            public void subscribed() {
            }

            @Override
            public void notification(String text) {
            }
        });
        Await.until(Duration.ofSeconds(30), link::ready);
        return link;
    }
}
