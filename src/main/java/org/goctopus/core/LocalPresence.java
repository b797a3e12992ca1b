package org.goctopus.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** This instance's sockets per key: the presence of a single instance, and each instance's share of a shared one. */
public final class LocalPresence implements Presence {

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    @Override
    public void joined(List<String> keys) {
        keys.forEach(key -> counts.merge(key, 1, Integer::sum));
    }

    @Override
    public void left(List<String> keys) {
        // A count that reaches 0 is removed: no key with nobody lingers.
        keys.forEach(key -> counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1));
    }

    /** A consistent copy, sorted by key. */
    public Map<String, Integer> snapshot() {
        return new TreeMap<>(counts);
    }

    @Override
    public CompletionStage<Map<String, Integer>> counts() {
        return CompletableFuture.completedFuture(snapshot());
    }

    @Override
    public void close() {
    }
}
