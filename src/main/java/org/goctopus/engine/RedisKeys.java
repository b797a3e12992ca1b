package org.goctopus.engine;

/**
 * The names of everything the engine keeps in Redis, all under WS_REDIS_PREFIX
 * (ARCHITECTURE.md, "Keys in Redis"). A key's own structures carry the key as their
 * hash tag, so that they can share a slot once Redis Cluster is supported. The Lua
 * scripts build the names of queues and message hashes they reach on their own
 * with the same rules ({@code prefix .. 'm:' .. id}, {@code prefix .. 'q:{' .. key .. '}'}).
 */
record RedisKeys(String prefix) {

    String seq() {
        return prefix + "seq";
    }

    String epoch() {
        return prefix + "epoch";
    }

    String message(String id) {
        return prefix + "m:" + id;
    }

    String queue(String key) {
        return prefix + "q:{" + key + "}";
    }

    String history(String key) {
        return prefix + "h:{" + key + "}";
    }

    String expiry() {
        return prefix + "x";
    }

    String keys() {
        return prefix + "k";
    }

    String bytes() {
        return prefix + "bytes";
    }

    String presence(String instance) {
        return prefix + "p:" + instance;
    }

    String instances() {
        return prefix + "i";
    }

    String channel() {
        return prefix + "events";
    }
}
