package org.goctopus.support;

/**
 * One Redis for a whole test JVM, started on first use and killed when the JVM
 * exits: the websocket and API suites' Redis run gives each server its own
 * WS_REDIS_PREFIX on it, so test classes never see each other's keys.
 */
public final class SharedRedis {

    private static RedisServer redis;

    private SharedRedis() {
    }

    public static synchronized String url() {
        if (redis == null) {
            redis = RedisServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "shared-redis-stop"));
        }
        return redis.url();
    }
}
