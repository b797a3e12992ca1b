package org.goctopus.deploy;

import java.util.Map;
import org.goctopus.support.SharedRedis;

/**
 * Payara Micro 6 on the Redis engine: Lettuce and Netty under Payara's class loaders, from
 * the first command to the 1001 on SIGTERM, when Payara has already stopped the
 * application's class loader (see {@code config/StopPathClasses}). The whole websocket and
 * API suites run there on Redis too (the build's suites-payara).
 */
class PayaraMicroRedisSmokeIT extends PayaraMicroSmokeIT {
    @Override
    protected Map<String, String> storage() {
        return Map.of("WS_STORAGE", "redis", "WS_REDIS_URL", SharedRedis.url(), "WS_REDIS_PREFIX", "payara:");
    }
}
