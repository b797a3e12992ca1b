package org.goctopus.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The service's Prometheus metrics. Each deployment has its own registry rather
 * than the library's global one, so two deployments in one JVM (tests, or two
 * contexts on one Tomcat) do not collide.
 */
public final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter received = counter("goctopus_messages_received", "Messages accepted by POST");
    private final Counter delivered = counter("goctopus_messages_delivered", "Frames written to sockets");
    private final Counter acknowledged = counter("goctopus_messages_acknowledged", "ACKs that removed a message");
    private final Counter acksDropped = counter("goctopus_acks_dropped",
            "ACKs the store could not take: their messages stay queued and are sent again");
    private final Counter expired = counter("goctopus_messages_expired", "Messages removed by their expiry");
    private final Counter dropped = counter("goctopus_messages_dropped",
            "Queue entries dropped past WS_MAX_PENDING");
    private final Counter authFailures = Counter.builder().name("goctopus_auth_failures")
            .help("Upgrades refused, by HTTP status").labelNames("status").withoutExemplars()
            .register(registry);
    private final Counter rateLimited = counter("goctopus_rate_limited",
            "Requests and upgrades refused with 429");
    private final Counter slowClosed = counter("goctopus_slow_clients_closed",
            "Sockets closed with 1013: full outbound buffer or stalled write");
    private final Histogram deliveryLatency = Histogram.builder().name("goctopus_delivery_latency_seconds")
            .help("From a message's acceptance to its frame written to a socket")
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars().register(registry);

    /**
     * Every status an upgrade is refused with (SPEC: 401, 403, 503; 429 has its own counter),
     * exported from start-up at 0: an alert on the series sees 0, not "no data".
     */
    private static final List<String> AUTH_FAILURE_STATUSES = List.of("401", "403", "503");

    public Metrics() {
        AUTH_FAILURE_STATUSES.forEach(authFailures::labelValues);
    }

    private Counter counter(String name, String help) {
        // No exemplars: there are no traces to link, and sampling them costs on every message.
        return Counter.builder().name(name).help(help).withoutExemplars().register(registry);
    }

    /** Registers the gauges read from live state at scrape time. */
    public void gauges(DoubleSupplier connections, DoubleSupplier keys, DoubleSupplier queuedBytes) {
        gauge("goctopus_connections", "Open websockets", connections);
        gauge("goctopus_keys", "Keys holding queued messages", keys);
        gauge("goctopus_queued_bytes", "Bytes of queued values, once per key", queuedBytes);
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    public void received() {
        received.inc();
    }

    public void delivered(long acceptedNanos) {
        delivered.inc();
        deliveryLatency.observe((System.nanoTime() - acceptedNanos) / 1e9);
    }

    public void acknowledged() {
        acknowledged.inc();
    }

    public void ackDropped() {
        acksDropped.inc();
    }

    public void expired(int count) {
        expired.inc(count);
    }

    public void dropped(int count) {
        dropped.inc(count);
    }

    public void authFailure(int status) {
        authFailures.labelValues(Integer.toString(status)).inc();
    }

    public void rateLimited() {
        rateLimited.inc();
    }

    public void slowClientClosed() {
        slowClosed.inc();
    }

    /**
     * The Redis link's series, registered only with WS_STORAGE=redis: whether it is up,
     * how often it reconnected, and each operation's latency, every {@code operations}
     * label exported from the start (a dashboard sees 0, not "no data").
     */
    public RedisLinkMetrics redisLink(DoubleSupplier up, List<String> operations) {
        gauge("goctopus_redis_up", "1 while Redis answers and is safe to use (the readiness of the store)", up);
        Counter reconnects = counter("goctopus_redis_reconnects", "Connections to Redis made again after a loss");
        Histogram latency = Histogram.builder().name("goctopus_redis_command_seconds")
                .help("Redis round trips of the engine, by operation").labelNames("op")
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2)
                .withoutExemplars().register(registry);
        operations.forEach(latency::labelValues);
        return new RedisLinkMetrics(reconnects, latency);
    }

    /** What the Redis link reports as it works. */
    public static final class RedisLinkMetrics {
        private final Counter reconnects;
        private final Histogram latency;

        private RedisLinkMetrics(Counter reconnects, Histogram latency) {
            this.reconnects = reconnects;
            this.latency = latency;
        }

        public void reconnected() {
            reconnects.inc();
        }

        public void command(String operation, long startedNanos) {
            latency.labelValues(operation).observe((System.nanoTime() - startedNanos) / 1e9);
        }
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.create().getContentType();
    }
}
