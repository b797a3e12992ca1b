package org.goctopus.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.goctopus.config.Settings;
import org.goctopus.engine.MemoryEngine;
import org.goctopus.metrics.Metrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The registry's hot paths without sockets: publish (fan-out to N sockets whose
 * writes complete at once), ACK, and the expiry sweep. Run on its own, see the
 * bench/README.md; not part of the test suite.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HubBenchmark {

    @Param({"1", "1000"})
    public int sockets;

    private Hub hub;
    private final List<Connection> connections = new ArrayList<>();
    private static final String PAYLOAD = "{\"t\":123456789,\"s\":42,\"text\":\"Your export is ready\"}";

    @Setup(Level.Trial)
    public void setUp() {
        Settings settings = Settings.parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "org")::get);
        hub = new Hub(settings, new MemoryEngine(0, Duration.ZERO, settings.maxQueuedBytes()), new LocalPresence(),
                new Metrics());
        for (int i = 0; i < sockets; i++) {
            connections.add(hub.register(List.of("org", "user" + i), new InlineTransport()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    private static Publication publication(String key) {
        return new Publication(List.of(key), PAYLOAD, Duration.ofMinutes(30), "30m", null);
    }

    /** The memory engine's stages are complete when publish returns. */
    private Message publishNow(Publication p) {
        return hub.publish(p).toCompletableFuture().join().message();
    }

    /** One message to the key every socket has, then its ACK: a broadcast. */
    @Benchmark
    public Message broadcastAndAck() {
        Message m = publishNow(publication("org"));
        hub.ack(connections.get(0), m.id());
        return m;
    }

    /** One message to one socket's own key, then its ACK: unicast among N sockets. */
    @Benchmark
    public Message unicastAndAck() {
        int i = ThreadLocalRandom.current().nextInt(sockets);
        Message m = publishNow(publication("user" + i));
        hub.ack(connections.get(i), m.id());
        return m;
    }

    /** A message to a key nobody holds, expired by the sweep: the queue's whole life without a socket. */
    @Benchmark
    public void publishThenExpire() {
        publishNow(new Publication(List.of("nobody"), PAYLOAD, Duration.ofNanos(1), "1ns", UUID.randomUUID()));
        hub.sweep();
    }
}
