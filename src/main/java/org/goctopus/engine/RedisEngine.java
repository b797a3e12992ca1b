package org.goctopus.engine;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.goctopus.core.KeyPattern;
import org.goctopus.core.Message;
import org.goctopus.core.Publication;
import org.goctopus.json.JsonText;
import org.goctopus.log.Log;

/**
 * Queues in Redis, shared by every instance that uses the same Redis and
 * WS_REDIS_PREFIX; the decisions are in ARCHITECTURE.md ("The engine boundary, and
 * more than one node"). Each operation is one Lua script, so Redis applies it whole
 * and in one order; each new message's notification is published by the script that
 * stored it, and every instance hands the notifications to its sink in that order
 * from the link's events thread, catching up from the queues when it missed some.
 *
 * <p>This instance keeps the messages it has handed out ({@link #cache}): one object
 * per message, so that a departure marks every socket's copy gone, an ACK knows the
 * message's target keys without asking Redis, and a re-post's new value reaches the
 * copies still waiting in backlogs.
 */
public final class RedisEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(RedisEngine.class.getName());
    /** Entries per script call when emptying a queue or expiring: Redis is never blocked long. */
    private static final int PAGE = 1000;
    /**
     * Most publishes, removals or reads in one script run, and most characters of values in one:
     * a batch holds Redis for well under a millisecond (a larger value goes alone).
     */
    private static final int BATCH = 64;
    private static final int BATCH_CHARS = 256 * 1024;
    /** Most keys read in one batch of reads (a catch-up with more goes alone). */
    private static final int BATCH_KEYS = 1024;
    /** Notifications held while catching up; past it they are read again from the queues instead. */
    private static final int HELD_MAX = 100_000;
    /** How long a cached message outlives its expiry on this host's clock (Redis's clock decides). */
    private static final long CACHE_GRACE_MILLIS = 10_000;
    /** How long after Redis failed to take an ACK's removal it is sent again. */
    private static final long ACK_RETRY_MILLIS = 1000;
    /** How long a message that left every queue is remembered as gone (see {@link #recentlyGone}). */
    private static final long GONE_KEPT_MILLIS = 10_000;
    static final List<String> OPERATIONS = List.of("publish", "wait", "remove", "delete-key", "expire", "read",
            "history", "keys", "ack-keys", "presence-change", "presence-heartbeat", "presence-rewrite",
            "presence-counts");

    private final RedisLink link;
    private final RedisKeys names;
    private final int historySize;
    private final long historyTtlMillis;
    private final long maxQueuedBytes;
    private final int minReplicas;
    private Deliveries sink;

    private final GroupCommit<Posting, Accepted> publishes;
    private final GroupCommit<Removal, Integer> removals;
    private final GroupCommit<Read, State> reads;
    private final Map<UUID, Message> cache = new ConcurrentHashMap<>();
    /**
     * The messages that left their last queue lately, oldest first, kept in {@link #cache}
     * (marked gone) for {@link #GONE_KEPT_MILLIS}: when the first of a broadcast's sockets has
     * acknowledged it, the others' ACKs follow, and each would otherwise ask Redis for the
     * target keys of a message it no longer has, a round trip per socket for nothing.
     */
    private final Queue<Gone> recentlyGone = new ConcurrentLinkedQueue<>();
    /** Per message, the keys this instance already asked Redis to remove it from (redundant ACKs). */
    private final Map<UUID, Set<String>> removing = new ConcurrentHashMap<>();
    private volatile Totals totals = new Totals(0, 0);
    private volatile boolean synced;

    // Touched only on the link's events thread.
    private long lastSeen = -1;
    private String epoch;
    private boolean catchingUp;
    private boolean catchUpAgain;
    private final ArrayDeque<Message> held = new ArrayDeque<>();

    public RedisEngine(RedisLink link, String prefix, int historySize, Duration historyTtl, long maxQueuedBytes,
                       int minReplicas) {
        this.link = link;
        this.names = new RedisKeys(prefix);
        this.historySize = historySize;
        this.historyTtlMillis = historyTtl.toMillis();
        this.maxQueuedBytes = maxQueuedBytes;
        this.minReplicas = minReplicas;
        long bound = RedisLink.TIMEOUT.toNanos();
        this.publishes = new GroupCommit<>(BATCH, BATCH_CHARS, posting -> posting.publication().payloadJson().length(),
                bound, System::nanoTime, this::publish);
        this.removals = new GroupCommit<>(BATCH, BATCH, removal -> 1, bound, System::nanoTime, this::remove);
        this.reads = new GroupCommit<>(BATCH, BATCH_KEYS, read -> read.keys().size(), bound, System::nanoTime,
                this::read);
    }

    @Override
    public void start(Deliveries deliveries) {
        this.sink = deliveries;
        link.start(names.channel(), new RedisLink.Listener() {
            @Override
            public void subscribed() {
                catchUp();
            }

            @Override
            public void notification(String text) {
                RedisEngine.this.notification(text);
            }
        });
    }

    @Override
    public boolean ready() {
        return synced && link.ready();
    }

    // ---- publish

    @Override
    public CompletionStage<Accepted> publish(Publication p, int maxPending) {
        UUID id = p.messageId() == null ? UUID.randomUUID() : p.messageId();
        return publishes.submit(new Posting(id, p, maxPending));
    }

    /** A publish waiting for its batch. */
    private record Posting(UUID id, Publication publication, int maxPending) {
    }

    /** Sends a batch of publishes as one run of publish.lua; WS_MAX_PENDING is the first one's (one setting). */
    private CompletionStage<Runnable> publish(List<GroupCommit.Pending<Posting, Accepted>> batch) {
        List<String> args = new ArrayList<>(7 + 8 * batch.size());
        args.add(Integer.toString(batch.get(0).request.maxPending()));
        args.add(Long.toString(maxQueuedBytes));
        args.add(Integer.toString(historySize));
        args.add(Long.toString(historyTtlMillis));
        args.add(names.channel());
        args.add(names.prefix());
        args.add(freshEpoch());
        for (GroupCommit.Pending<Posting, Accepted> pending : batch) {
            Publication p = pending.request.publication();
            args.add(pending.request.id().toString());
            args.add(p.payloadJson());
            args.add(Long.toString(p.expire().toMillis()));
            args.add(p.expireText());
            args.add(JsonText.stringArray(p.keys()));
            args.add(Integer.toString(p.keys().size()));
            args.addAll(p.keys());
        }
        String[] keys = {names.seq(), names.expiry(), names.bytes(), names.keys(), names.epoch()};
        return link.<List<Object>>publish(minReplicas, ScriptOutputType.MULTI, keys, args.toArray(String[]::new))
                .thenApply(reply -> () -> {
                    for (int i = 0; i < batch.size(); i++) {
                        GroupCommit.Pending<Posting, Accepted> pending = batch.get(i);
                        answer(pending.request, reply.subList(5 * i, 5 * i + 5), pending.answer);
                    }
                });
    }

    private static void answer(Posting posting, List<Object> r, CompletableFuture<Accepted> answer) {
        Publication p = posting.publication();
        switch ((String) r.get(0)) {
            case "full" -> answer.completeExceptionally(new QueueFullException());
            case "conflict" -> answer.completeExceptionally(new IdConflictException(posting.id()));
            default -> answer.complete(new Accepted(new Message(posting.id(), (Long) r.get(1), p.keys(),
                    Instant.ofEpochMilli((Long) r.get(2)), p.payloadJson(), (Long) r.get(3), p.expireText()),
                    r.get(0).equals("replaced"), ((Long) r.get(4)).intValue()));
        }
    }

    /**
     * This instance's one object for a stored message, so that a re-post changes what every
     * socket will send. An id stored again at another place (Redis lost the first copy, as a
     * master demoted by a failover does) is a new message: the old object is dropped.
     */
    private Message shared(Message stored) {
        return cache.compute(stored.id(), (id, known) -> known != null && known.seq() == stored.seq() ? known : stored);
    }

    // ---- read

    @Override
    public CompletionStage<List<Message>> backlog(List<String> connectionKeys) {
        return queuesOf(connectionKeys).thenCompose(keys -> read(keys, "-inf", true))
                .thenApply(state -> state.messages);
    }

    /** The literal keys whose queues a connection with these keys reads: its globs matched against queued keys. */
    private CompletionStage<List<String>> queuesOf(Iterable<String> connectionKeys) {
        List<String> literal = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        for (String key : connectionKeys) {
            (KeyPattern.isPattern(key) ? patterns : literal).add(key);
        }
        if (patterns.isEmpty()) {
            return completedFuture(literal);
        }
        return keys().thenApply(queued -> {
            Set<String> all = new LinkedHashSet<>(literal);
            for (String key : queued) {
                for (String pattern : patterns) {
                    if (KeyPattern.matches(pattern, key)) {
                        all.add(key);
                    }
                }
            }
            return List.copyOf(all);
        });
    }

    /**
     * Offered to Redis as its epoch with every script that may start the order, kept only if
     * Redis has none. A new value each time: Redis emptied, then given the value this instance
     * offered before, would look unchanged, and its new order (1, 2, ...) like an old one.
     */
    private static String freshEpoch() {
        return UUID.randomUUID().toString();
    }

    /** What read.lua returns: the store's epoch and counter, and the messages read, oldest first. */
    private record State(String epoch, long seq, List<Message> messages) {
    }

    /**
     * The queued messages of these keys numbered above {@code after} ("-inf": all); as this
     * instance's shared objects when they go to sockets ({@code share}), else as read now.
     */
    private CompletionStage<State> read(List<String> keys, String after, boolean share) {
        return reads.submit(new Read(keys, after, share));
    }

    /** A read waiting for its batch: a socket's backlog, a catch-up, or a GET. */
    private record Read(List<String> keys, String after, boolean share) {
    }

    /** Sends a batch of reads as one run of read.lua: a connect storm costs a few commands, not one per socket. */
    private CompletionStage<Runnable> read(List<GroupCommit.Pending<Read, State>> batch) {
        List<String> args = new ArrayList<>(2 + 4 * batch.size());
        args.add(names.prefix());
        args.add(freshEpoch());
        for (GroupCommit.Pending<Read, State> pending : batch) {
            Read r = pending.request;
            args.add(r.after());
            args.add(Integer.toString(r.keys().size()));
            args.addAll(r.keys());
        }
        return link.<List<Object>>eval(RedisScript.READ, ScriptOutputType.MULTI,
                new String[] {names.epoch(), names.seq()}, args.toArray(String[]::new)).thenApply(reply -> () -> {
                    String epoch = (String) reply.get(0);
                    long seq = (Long) reply.get(1);
                    int at = 2;
                    for (GroupCommit.Pending<Read, State> pending : batch) {
                        int count = ((Long) reply.get(at)).intValue();
                        List<Object> fields = reply.subList(at + 1, at + 1 + 7 * count);
                        at += 1 + 7 * count;
                        pending.answer.complete(new State(epoch, seq, messages(fields, pending.request.share())));
                    }
                });
    }

    /** The messages of one read's fields (seven per message), oldest first. */
    private List<Message> messages(List<Object> fields, boolean share) {
        List<Message> messages = new ArrayList<>(fields.size() / 7);
        for (int i = 0; i + 6 < fields.size(); i += 7) {
            List<Object> f = fields.subList(i, i + 7);
            Message read = new Message(UUID.fromString((String) f.get(0)), Long.parseLong((String) f.get(1)),
                    JsonText.strings((String) f.get(2)), Instant.ofEpochMilli(Long.parseLong((String) f.get(4))),
                    (String) f.get(3), Long.parseLong((String) f.get(5)), (String) f.get(6));
            messages.add(share ? shared(read) : read);
        }
        messages.sort(Comparator.comparingLong(Message::seq));
        return messages;
    }

    @Override
    public CompletionStage<List<Message>> queued(String key) {
        return read(List.of(key), "-inf", false).thenApply(State::messages);
    }

    @Override
    public CompletionStage<List<Message>> history(String key) {
        return link.<List<Object>>eval(RedisScript.HISTORY, ScriptOutputType.MULTI,
                new String[] {names.history(key)}).thenApply(reply -> {
                    long now = (Long) reply.get(0);
                    List<Message> recent = new ArrayList<>();
                    for (int i = reply.size() - 1; i >= 1; i--) { // stored newest first
                        String[] f = ((String) reply.get(i)).split("\n", 5);
                        long date = Long.parseLong(f[2]);
                        if (date + historyTtlMillis > now) {
                            recent.add(new Message(UUID.fromString(f[1]), Long.parseLong(f[0]), List.of(key),
                                    Instant.ofEpochMilli(date), f[4], 0, f[3]));
                        }
                    }
                    return recent;
                });
    }

    @Override
    public CompletionStage<List<String>> keys() {
        return link.<Set<String>>command("keys", c -> c.smembers(names.keys())).thenApply(List::copyOf);
    }

    @Override
    public Totals totals() {
        return totals;
    }

    // ---- remove

    @Override
    public CompletionStage<Integer> ack(UUID id, Predicate<String> matching) {
        Message message = cache.get(id);
        if (message != null && message.isGone()) {
            return completedFuture(0); // a broadcast's ACKs after the one that removed it
        }
        CompletionStage<List<String>> targets = message != null ? completedFuture(message.keys())
                : link.<String>command("ack-keys", c -> c.hget(names.message(id.toString()), "k"))
                        .thenApply(json -> json == null ? List.of() : JsonText.strings(json));
        return targets.thenCompose(all -> {
            Set<String> asked = removing.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
            List<String> mine = all.stream().filter(matching).filter(asked::add).toList();
            if (mine.isEmpty()) {
                return completedFuture(0); // every ACK of a broadcast after the first
            }
            return removeAcknowledged(id, mine).whenComplete((removed, error) -> {
                if (error != null) {
                    asked.removeAll(mine); // the ACK was dropped: a later one may try again
                }
            });
        });
    }

    /**
     * Removes what an ACK asked for, and tries again a second later when Redis did not take it
     * but still counts as answering, as long as this instance holds the message (neither gone
     * nor expired): one command timing out under load refuses every removal waiting behind it
     * (thousands, for a client ACKing a long backlog), and each of those messages would stay
     * queued until the client's next connect. Against a Redis that does not answer, the ACK is
     * dropped (SPEC §4: the message is sent again later).
     */
    private CompletionStage<Integer> removeAcknowledged(UUID id, List<String> keys) {
        return remove(id, keys, Departure.ACKNOWLEDGED).exceptionallyCompose(error -> {
            Message message = cache.get(id);
            boolean held = message != null && !message.isGone() && !message.isExpired(System.currentTimeMillis());
            if (!(Failures.cause(error) instanceof StoreUnavailableException) || !held || !link.ready()) {
                return CompletableFuture.failedStage(error);
            }
            CompletableFuture<Void> due = new CompletableFuture<>();
            link.events().schedule(() -> due.complete(null), ACK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return due.thenCompose(now -> removeAcknowledged(id, keys));
        });
    }

    @Override
    public CompletionStage<Integer> delete(String key, UUID id) {
        return remove(id, List.of(key), Departure.DELETED);
    }

    private CompletionStage<Integer> remove(UUID id, List<String> targetKeys, Departure why) {
        return removals.submit(new Removal(id, targetKeys, why));
    }

    /** An ACK or a DELETE of one message waiting for its batch. */
    private record Removal(UUID id, List<String> keys, Departure why) {
    }

    /** Sends a batch of removals as one run of remove.lua. */
    private CompletionStage<Runnable> remove(List<GroupCommit.Pending<Removal, Integer>> batch) {
        List<String> args = new ArrayList<>(2 + 4 * batch.size());
        args.add(names.prefix());
        args.add(names.channel());
        for (GroupCommit.Pending<Removal, Integer> pending : batch) {
            Removal r = pending.request;
            args.add(r.id().toString());
            args.add(r.why().name());
            args.add(Integer.toString(r.keys().size()));
            args.addAll(r.keys());
        }
        return link.<List<Long>>eval(RedisScript.REMOVE, ScriptOutputType.MULTI,
                new String[] {names.expiry(), names.bytes(), names.keys()}, args.toArray(String[]::new))
                .thenApply(reply -> () -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer.complete(reply.get(i).intValue());
                    }
                });
    }

    @Override
    public CompletionStage<Integer> deleteKey(String key) {
        return deleteKey(key, 0);
    }

    private CompletionStage<Integer> deleteKey(String key, int removedSoFar) {
        return link.<List<Long>>eval(RedisScript.DELETE_KEY, ScriptOutputType.MULTI,
                new String[] {names.queue(key), names.expiry(), names.bytes(), names.keys()},
                key, names.prefix(), names.channel(), Integer.toString(PAGE)).thenCompose(reply -> {
                    int removed = removedSoFar + reply.get(0).intValue();
                    return reply.get(1) > 0 ? deleteKey(key, removed) : completedFuture(removed);
                });
    }

    @Override
    public CompletionStage<Integer> deleteAll() {
        return keys().thenCompose(keys -> {
            CompletionStage<Integer> total = completedFuture(0);
            for (String key : keys) {
                total = total.thenCompose(sum -> deleteKey(key).thenApply(n -> sum + n));
            }
            return total;
        });
    }

    @Override
    public CompletionStage<Integer> expire() {
        return expire(0).whenComplete((expired, error) -> forgetExpired());
    }

    private CompletionStage<Integer> expire(int expiredSoFar) {
        return link.<List<Long>>eval(RedisScript.EXPIRE, ScriptOutputType.MULTI,
                new String[] {names.expiry(), names.bytes(), names.keys()},
                names.prefix(), names.channel(), Integer.toString(PAGE)).thenCompose(reply -> {
                    int expired = expiredSoFar + reply.get(0).intValue();
                    totals = new Totals(reply.get(2), reply.get(1));
                    return reply.get(0) == PAGE ? expire(expired) : completedFuture(expired);
                });
    }

    /**
     * Drops what this instance keeps of messages past their expiry, even those whose departure
     * it missed, and of those gone for longer than {@link #GONE_KEPT_MILLIS}.
     */
    private void forgetExpired() {
        long now = System.currentTimeMillis();
        long due = now - CACHE_GRACE_MILLIS;
        cache.values().removeIf(m -> m.isExpired(due));
        Gone oldest;
        while ((oldest = recentlyGone.peek()) != null && oldest.at() < now - GONE_KEPT_MILLIS) {
            recentlyGone.poll();
            cache.remove(oldest.id(), oldest.message()); // unless a re-post of the id is cached since
        }
        removing.keySet().removeIf(id -> !cache.containsKey(id));
    }

    // ---- notifications, on the link's events thread

    /**
     * One script run's notifications, its records one after the other, each a fixed number of
     * lines: no field holds a line feed (values are compact JSON, keys JSON-encoded, the rest
     * ids, numbers and durations).
     */
    private void notification(String text) {
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            int fields = switch (lines[i]) {
                case "p" -> 9;
                case "r" -> 6;
                case "l" -> 5;
                default -> 0;
            };
            if (fields == 0 || i + fields > lines.length) {
                Log.warn(LOG, null, "unknown notification", "type", lines[i].length() > 1 ? "?" : lines[i]);
                return;
            }
            try {
                switch (lines[i]) {
                    case "p" -> published(lines, i);
                    case "r" -> replaced(lines, i);
                    default -> left(lines, i);
                }
            } catch (RuntimeException e) {
                Log.error(LOG, e, "notification failed");
            }
            i += fields;
        }
    }

    /** {@code p, epoch, seq, id, date, expires, expire text, keys, value} from {@code f[at]} on. */
    private void published(String[] f, int at) {
        UUID id = UUID.fromString(f[at + 3]);
        Message message = shared(new Message(id, Long.parseLong(f[at + 2]), JsonText.strings(f[at + 7]),
                Instant.ofEpochMilli(Long.parseLong(f[at + 4])), f[at + 8], Long.parseLong(f[at + 5]), f[at + 6]));
        if (!synced) {
            return; // before the first sync no socket can be waiting: upgrades are refused until ready
        }
        if (catchingUp) {
            hold(message);
        } else if (!f[at + 1].equals(epoch)) {
            // Redis lost its data without dropping the connection (FLUSHALL): numbering restarted.
            hold(message);
            catchUp();
        } else if (message.seq() == lastSeen + 1) {
            deliver(message);
        } else if (message.seq() > lastSeen + 1) {
            Log.info(LOG, "missed notifications: catching up", "last", lastSeen, "now", message.seq());
            hold(message);
            catchUp();
        } // else: already delivered, by a catch-up
    }

    /** {@code r, id, date, expires, expire text, value}: a re-post changed a queued message in place. */
    private void replaced(String[] f, int at) {
        Message message = cache.get(UUID.fromString(f[at + 1]));
        if (message != null) {
            message.replace(f[at + 5], Long.parseLong(f[at + 3]), f[at + 4],
                    Instant.ofEpochMilli(Long.parseLong(f[at + 2])));
        }
    }

    /** {@code l, id, why, gone, keys} */
    private void left(String[] f, int at) {
        UUID id = UUID.fromString(f[at + 1]);
        boolean gone = f[at + 3].equals("1");
        if (gone) {
            Message message = cache.get(id);
            if (message != null) {
                message.markGone();
                recentlyGone.add(new Gone(id, message, System.currentTimeMillis()));
            }
            removing.remove(id);
        }
        sink.left(id, JsonText.strings(f[at + 4]), Departure.valueOf(f[at + 2]), gone);
    }

    private record Gone(UUID id, Message message, long at) {
    }

    private void deliver(Message message) {
        lastSeen = message.seq();
        sink.published(message).run();
    }

    private void hold(Message message) {
        if (held.size() < HELD_MAX) {
            held.add(message);
        } else {
            catchUpAgain = true; // the held ones are in the queues too: read them from there
        }
    }

    /**
     * Compares what this instance saw with the store, and hands over what it missed:
     * the queued messages of its sockets' keys after the last one it saw, then the
     * notifications held meanwhile. Runs on (re)subscription and on a gap.
     */
    private void catchUp() {
        if (catchingUp) {
            catchUpAgain = true; // one catch-up at a time; this one runs when it ends
            return;
        }
        catchingUp = true;
        queuesOf(sink.subscribedKeys())
                .thenCompose(keys -> read(keys, lastSeen < 0 ? "0" : Long.toString(lastSeen), true))
                .whenCompleteAsync((state, error) -> {
                    if (error != null) {
                        Log.warn(LOG, null, "catching up failed, retrying", "error", error);
                        link.events().schedule(this::retryCatchUp, 1, TimeUnit.SECONDS);
                    } else {
                        caughtUp(state);
                    }
                }, link.events());
    }

    private void retryCatchUp() {
        catchingUp = false;
        catchUp();
    }

    private void caughtUp(State state) {
        if (lastSeen < 0) {
            epoch = state.epoch;
            lastSeen = state.seq; // the first sync: nobody is connected yet
        } else if (!state.epoch.equals(epoch)) {
            Log.warn(LOG, null, "redis lost its data (new epoch): every accepted message queued there is gone");
            epoch = state.epoch;
            lastSeen = 0;
            sink.rewind(0);
            catchingUp = false;
            catchUp(); // read the new epoch's messages from the start
            return;
        } else if (state.seq < lastSeen) {
            Log.warn(LOG, null, "redis's order went back (a failover to a replica behind the master)",
                    "seen", lastSeen, "store", state.seq);
            lastSeen = state.seq;
            sink.rewind(state.seq);
        } else {
            for (Message message : state.messages) {
                if (message.seq() > lastSeen) {
                    deliver(message);
                }
            }
            lastSeen = Math.max(lastSeen, state.seq);
        }
        synced = true;
        List<Message> waiting = new ArrayList<>(held);
        held.clear();
        waiting.sort(Comparator.comparingLong(Message::seq));
        for (int i = 0; i < waiting.size(); i++) {
            Message message = waiting.get(i);
            if (message.seq() == lastSeen + 1) {
                deliver(message);
            } else if (message.seq() > lastSeen + 1) {
                held.addAll(waiting.subList(i, waiting.size()));
                catchUpAgain = true;
                break;
            }
        }
        catchingUp = false;
        if (catchUpAgain) {
            catchUpAgain = false;
            catchUp();
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
