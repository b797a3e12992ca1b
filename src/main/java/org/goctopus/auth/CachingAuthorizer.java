package org.goctopus.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the backend's definite answers (allowed, 401, 403) per
 * Cookie+Authorization for WS_AUTH_CACHE_TTL, so a reconnect storm does not
 * become an auth storm. Answers meaning "the backend is in trouble" (503) are
 * never cached, nor requests carrying neither header. At most
 * {@value #MAX_ENTRIES} entries, least recently used evicted first.
 */
public final class CachingAuthorizer implements Authorizer {

    static final int MAX_ENTRIES = 10_000;

    private final Authorizer backend;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Entry(Decision decision, long expiresNanos) {
    }

    public CachingAuthorizer(Authorizer backend, java.time.Duration ttl) {
        this.backend = backend;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public Decision authorize(UpgradeRequest request) {
        String key = key(request);
        if (key == null) {
            return backend.authorize(request);
        }
        long now = System.nanoTime();
        synchronized (cache) {
            Entry entry = cache.get(key);
            if (entry != null && now - entry.expiresNanos() < 0) {
                return entry.decision();
            }
        }
        Decision decision = backend.authorize(request);
        if (isDefinite(decision)) {
            synchronized (cache) {
                cache.put(key, new Entry(decision, now + ttlNanos));
            }
        }
        return decision;
    }

    private static boolean isDefinite(Decision decision) {
        return decision instanceof Decision.Allowed
                || decision instanceof Decision.Refused r && (r.status() == 401 || r.status() == 403);
    }

    private static String key(UpgradeRequest request) {
        String cookie = request.header("Cookie");
        String authorization = request.header("Authorization");
        if (cookie == null && authorization == null) {
            return null;
        }
        // Absent and present are told apart: "Cookie: null" alone is not "Authorization: null" alone.
        return (cookie == null ? "-" : "+" + cookie) + "\n" + (authorization == null ? "-" : "+" + authorization);
    }

    @Override
    public void close() {
        backend.close();
    }
}
