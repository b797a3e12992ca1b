package org.goctopus.engine;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.goctopus.config.RedisUrl;
import org.goctopus.core.DaemonThreads;
import org.goctopus.log.Log;
import org.goctopus.metrics.Metrics;

/**
 * The service's connections to Redis (through Lettuce) and what it knows of their
 * health. Three connections: commands (every script, pipelined from all threads),
 * publishes (the same one, unless WS_REDIS_MIN_REPLICAS makes each publish wait for
 * replicas: {@code WAIT} covers the writes of its own connection and blocks it
 * meanwhile, so publishes get one of their own), and Pub/Sub. Lettuce reconnects by
 * itself, resubscribes, and asks the Sentinels for the master again on each
 * reconnect.
 *
 * <p>Bounds: a command fails at once while its connection is down and times out
 * after {@link #TIMEOUT}, so no request waits longer on Redis; every failure of
 * Redis reaches the engine as a {@link StoreUnavailableException}.
 *
 * <p>One thread of its own, {@link #events()}, runs everything that must happen in
 * order: notifications, catching up, health checks. The first connection is made on
 * it too and retried until Redis answers, so the service starts (not ready) while
 * Redis is down and becomes ready by itself.
 */
final class RedisLink implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final RedisUrl url;
    private final RedisURI uri;
    private final boolean separatePublishes;
    private final ClientResources resources;
    private final RedisClient client;
    private final DaemonThreads.Owned eventThread = DaemonThreads.owned("goctopus-redis-events");
    private final ScheduledExecutorService events;
    private final Metrics.RedisLinkMetrics metrics;

    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisConnection<String, String> publishes;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisLiveness liveness = new RedisLiveness(TIMEOUT.plus(CHECK_EVERY), System::nanoTime);
    private volatile boolean subscribed;
    private volatile boolean evictionOff = true;
    private volatile boolean closed;
    private volatile boolean everConnected;

    /** What the engine does when the link subscribes (again) and when a notification arrives. */
    interface Listener {
        void subscribed();

        void notification(String text);
    }

    RedisLink(RedisUrl url, boolean separatePublishes, Metrics metrics, List<String> operations) {
        this.url = url;
        this.uri = RedisURI.create(url.text());
        uri.setTimeout(TIMEOUT);
        this.separatePublishes = separatePublishes;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .threadFactoryProvider(pool -> DaemonThreads.named("goctopus-redis-" + pool))
                // Back within 2 s of Redis's return, not Lettuce's default of up to 30 s.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).keepAlive(true).build())
                .build());
        this.events = Executors.newSingleThreadScheduledExecutor(eventThread);
        this.metrics = metrics.redisLink(() -> ready() ? 1 : 0, operations);
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                // Sentinel lookups connect too: only the commands connection's return counts.
                if (everConnected && connection == commands) {
                    RedisLink.this.metrics.reconnected();
                    Log.info(LOG, "redis reconnected", "url", RedisLink.this.url);
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == pubsub) {
                    subscribed = false;
                }
                liveness.lost();
            }
        });
    }

    /** Connects (retrying until Redis answers) and subscribes {@code listener} to {@code channel}. */
    void start(String channel, Listener listener) {
        events.execute(() -> connect(channel, listener));
        events.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void connect(String channel, Listener listener) {
        if (closed) {
            return;
        }
        try {
            commands = client.connect(StringCodec.UTF8, uri);
            publishes = separatePublishes ? client.connect(StringCodec.UTF8, uri) : commands;
            StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub(StringCodec.UTF8, uri);
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void subscribed(String on, long count) {
                    subscribed = true;
                    onEvents(listener::subscribed);
                }

                @Override
                public void message(String on, String message) {
                    onEvents(() -> listener.notification(message));
                }
            });
            pubsub = subscriber;
            subscriber.sync().subscribe(channel);
            everConnected = true;
            liveness.replied();
            Log.info(LOG, "redis connected", "url", url, "sentinel", url.sentinel());
        } catch (RedisException e) {
            Log.warn(LOG, null, "redis unreachable, retrying", "url", url, "error", e.getMessage());
            closeConnections();
            if (!closed) {
                events.schedule(() -> connect(channel, listener), 1, TimeUnit.SECONDS);
            }
        }
    }

    private void onEvents(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: nothing is delivered any more
        }
    }

    /** Whether Redis answers, Pub/Sub is subscribed, and Redis will not evict keys. */
    boolean ready() {
        StatefulRedisConnection<String, String> c = commands;
        return c != null && c.isOpen() && subscribed && liveness.answering() && evictionOff;
    }

    /**
     * Runs every second on the events thread: a ping, so that an idle link still hears
     * Redis (its failure alone proves nothing, see {@link RedisLiveness}), and is eviction off?
     */
    private void check() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            return;
        }
        c.async().ping().thenRun(liveness::replied);
        c.async().configGet("maxmemory-policy").whenComplete((config, error) -> {
            if (error != null) {
                return; // CONFIG may be disabled (managed Redis): the policy is then the operator's word
            }
            boolean off = "noeviction".equals(config.get("maxmemory-policy"));
            if (!off && evictionOff) {
                Log.warn(LOG, null, "redis may evict keys, so accepted messages could be lost: not ready"
                        + " until maxmemory-policy is noeviction", "policy", config.get("maxmemory-policy"));
            }
            evictionOff = off;
        });
    }

    ScheduledExecutorService events() {
        return events;
    }

    /** Runs a script on the commands connection. */
    <T> CompletionStage<T> eval(RedisScript script, ScriptOutputType type, String[] keys, String... args) {
        return eval(commands, script, type, keys, args);
    }

    /**
     * Runs the publish script on the publishes connection, then, with {@code replicas} above
     * 0, waits until that many replicas have the write (failing as "maybe stored" if not).
     */
    <T> CompletionStage<T> publish(int replicas, ScriptOutputType type, String[] keys, String... args) {
        StatefulRedisConnection<String, String> connection = publishes;
        CompletionStage<T> stored = eval(connection, RedisScript.PUBLISH, type, keys, args);
        if (replicas == 0) {
            return stored;
        }
        return stored.thenCompose(reply -> call("wait", connection, c -> c.waitForReplication(replicas,
                TIMEOUT.toMillis() * 3 / 4)).thenApply(acked -> {
                    if (acked < replicas) {
                        throw new StoreUnavailableException("stored, but on " + acked + " of the "
                                + replicas + " replicas WS_REDIS_MIN_REPLICAS asks for: retry with the same"
                                + " message_id", null);
                    }
                    return reply;
                }));
    }

    private <T> CompletionStage<T> eval(StatefulRedisConnection<String, String> connection, RedisScript script,
                                        ScriptOutputType type, String[] keys, String... args) {
        return this.<T>call(script.operation(), connection, c -> c.evalsha(script.sha(), type, keys, args))
                .exceptionallyCompose(error -> Failures.cause(error) instanceof NoScript
                        // Redis does not know the script (it restarted): send it whole, once.
                        ? call(script.operation(), connection, c -> c.eval(script.text(), type, keys, args))
                        : CompletableFuture.failedFuture(Failures.cause(error)));
    }

    /** A plain command on the commands connection. */
    <T> CompletionStage<T> command(String operation, Function<RedisAsyncCommands<String, String>,
            CompletionStage<T>> command) {
        return call(operation, commands, command);
    }

    private <T> CompletionStage<T> call(String operation, StatefulRedisConnection<String, String> connection,
                                        Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        if (connection == null) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("redis is not connected yet", null));
        }
        long started = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            command.apply(connection.async()).whenComplete((value, error) -> {
                metrics.command(operation, started);
                if (error == null) {
                    liveness.replied();
                    result.complete(value);
                } else {
                    result.completeExceptionally(translate(Failures.cause(error)));
                }
            });
        } catch (RedisException e) {
            result.completeExceptionally(translate(e));
        }
        return result;
    }

    /** Redis's failures are the store's unavailability; a script's own error is a bug. */
    private static Throwable translate(Throwable error) {
        if (error instanceof RedisNoScriptException) {
            return new NoScript();
        }
        if (error instanceof RedisCommandExecutionException e && e.getMessage() != null
                && e.getMessage().startsWith("ERR")) {
            return new IllegalStateException("redis refused a command of the engine", e);
        }
        if (error instanceof RedisException || error instanceof java.util.concurrent.TimeoutException) {
            return new StoreUnavailableException("redis unavailable: " + error.getMessage(), error);
        }
        return error;
    }

    /** Redis has not cached the script: it is sent again with its text. */
    private static final class NoScript extends RuntimeException {
        NoScript() {
            super("NOSCRIPT", null, false, false);
        }
    }

    /** Closes the connections and stops Lettuce's and this link's threads (undeploy leaves none). */
    @Override
    public void close() {
        closed = true;
        events.shutdownNow();
        eventThread.awaitEnd(Duration.ofSeconds(5));
        closeConnections();
        client.shutdown(Duration.ZERO, TIMEOUT);
        resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(TIMEOUT.toMillis() * 2);
    }

    private void closeConnections() {
        if (pubsub != null) {
            pubsub.close();
        }
        if (publishes != null && publishes != commands) {
            publishes.close();
        }
        if (commands != null) {
            commands.close();
        }
        pubsub = null;
        publishes = null;
        commands = null;
        subscribed = false;
    }
}
