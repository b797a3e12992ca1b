package org.goctopus.engine;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.goctopus.core.LocalPresence;
import org.goctopus.core.Presence;
import org.goctopus.log.Log;

/**
 * Presence over every instance sharing a Redis. Each instance counts its own sockets
 * ({@link LocalPresence}) and mirrors every change into a hash of its own, which a
 * heartbeat keeps alive; a crashed instance's hash expires after {@link #TTL}, so
 * its sockets leave the sum within that bound. An instance whose hash expired or
 * whose changes did not reach Redis writes it whole again.
 */
public final class RedisPresence implements Presence {

    /** A crashed instance's sockets leave presence within this (README, ARCHITECTURE.md). */
    public static final Duration TTL = Duration.ofSeconds(6);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(RedisPresence.class.getName());

    private final RedisLink link;
    private final RedisKeys names;
    private final String instance = UUID.randomUUID().toString();
    private final String hash;
    private final String ttl = Long.toString(TTL.toMillis());
    /** Guarded by this, with each write's command, so that what Redis has and this agree. */
    private final LocalPresence local = new LocalPresence();
    /** Guarded by this: the hash is to be written whole (at start, after a failure, found expired). */
    private boolean stale = true;
    /** Guarded by this: per key, the sum of the changes not sent yet. */
    private final Map<String, Integer> pending = new HashMap<>();
    /**
     * Guarded by this: a change or a rewrite is sent and not answered yet. One at a time:
     * Redis may run a command after one sent later (a script it does not know is sent again,
     * whole, once refused), and a change run after a rewrite that already counted it would
     * count its sockets twice, for good. And while Redis is slow, a storm of connects sends
     * one command at a time, not one each.
     */
    private boolean writing;

    public RedisPresence(RedisLink link, String prefix) {
        this.link = link;
        this.names = new RedisKeys(prefix);
        this.hash = names.presence(instance);
        link.events().scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void joined(List<String> keys) {
        local.joined(keys);
        change(1, keys);
    }

    @Override
    public synchronized void left(List<String> keys) {
        local.left(keys);
        change(-1, keys);
    }

    /** Under the lock, after {@code local} changed: stale, the rewrite to come carries the change. */
    private void change(int delta, List<String> keys) {
        if (!stale) {
            for (String key : keys) {
                pending.merge(key, delta, Integer::sum);
            }
        }
        next();
    }

    /** Under the lock: sends what is due, unless a write is under way (its answer calls this again). */
    private void next() {
        if (writing) {
            return;
        }
        if (stale) {
            rewrite();
        } else {
            sendChanges();
        }
    }

    private void sendChanges() {
        List<String> args = new ArrayList<>(1 + 2 * pending.size());
        args.add(ttl);
        pending.forEach((key, delta) -> {
            if (delta != 0) {
                args.add(key);
                args.add(Integer.toString(delta));
            }
        });
        pending.clear();
        if (args.size() == 1) {
            return;
        }
        writing = true;
        link.eval(RedisScript.PRESENCE_CHANGE, ScriptOutputType.INTEGER, new String[] {hash},
                args.toArray(String[]::new)).whenComplete((ok, error) -> written(error));
    }

    private void rewrite() {
        Map<String, Integer> counts = local.snapshot();
        pending.clear(); // in the snapshot
        List<String> args = new ArrayList<>(2 + 2 * counts.size());
        args.add(ttl);
        args.add(instance);
        counts.forEach((key, count) -> {
            args.add(key);
            args.add(Integer.toString(count));
        });
        stale = false;
        writing = true;
        link.eval(RedisScript.PRESENCE_REWRITE, ScriptOutputType.INTEGER, new String[] {hash, names.instances()},
                args.toArray(String[]::new)).whenComplete((ok, error) -> written(error));
    }

    /**
     * A failure makes the hash stale, rewritten by the next change or heartbeat, not at once
     * (Redis may be down); after a success, what waited is sent.
     */
    private synchronized void written(Throwable error) {
        writing = false;
        if (error != null) {
            stale = true;
        } else {
            next();
        }
    }

    private void heartbeat() {
        link.<Long>eval(RedisScript.PRESENCE_HEARTBEAT, ScriptOutputType.INTEGER,
                new String[] {hash, names.instances()}, instance, ttl).whenComplete(this::beat);
    }

    /** A hash found expired (or never written) is written whole; so is one left stale by a failure. */
    private synchronized void beat(Long existed, Throwable error) {
        if (error != null) {
            stale = true;
            return;
        }
        if (existed == 0) {
            stale = true;
        }
        if (stale) {
            next();
        }
    }

    @Override
    public CompletionStage<Map<String, Integer>> counts() {
        return link.<List<Object>>eval(RedisScript.PRESENCE_COUNTS, ScriptOutputType.MULTI,
                new String[] {names.instances()}, names.prefix()).thenApply(reply -> {
                    Map<String, Integer> counts = new TreeMap<>();
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        counts.put((String) reply.get(i), ((Long) reply.get(i + 1)).intValue());
                    }
                    return counts;
                });
    }

    /** Leaves the sum at once on a graceful stop, rather than after the hash's time to live. */
    @Override
    public void close() {
        try {
            link.command("presence-rewrite", c -> c.del(hash)).toCompletableFuture()
                    .get(RedisLink.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Log.debug(LOG, "presence left to expire", "error", e);
        }
    }
}
