package org.goctopus.auth;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.goctopus.support.StubAuthServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One auth call, three ways, against the same backend on 127.0.0.1 in the same
 * JVM: the {@link ProxyAuthorizer} an upgrade uses, jersey-client alone, and the
 * JDK's {@code HttpURLConnection} by hand (what jersey-client runs on). Compare
 * them with each other: every figure includes the backend's own work. 32 callers,
 * as S4 has in flight. Besides JMH's calls per second, each iteration prints the
 * JVM's CPU per call: on two shared cores that, not the rate, is what a call
 * takes from the upgrades. jersey-client takes about 500,000 calls to compile,
 * hence the long warm-up. Run on its own, see the bench/README.md;
 * not part of the test suite.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 10)
@Measurement(iterations = 5, time = 5)
@Threads(32)
// As the launcher sets: idle connections kept for as many calls as may be under way. And the
// backend's answer without Nagle's delay, which otherwise holds each call about 40 ms.
@Fork(value = 1, jvmArgsAppend = {"-Dhttp.maxConnections=64", "-Dsun.net.httpserver.nodelay=true"})
@State(Scope.Benchmark)
public class AuthCallBenchmark {

    private static final String ANSWER = "{\"user\":{\"email\":\"alice@example.com\",\"organization_name\":\"acme\"}}";

    private StubAuthServer backend;
    private ProxyAuthorizer authorizer;
    private Client client;
    private WebTarget target;
    private URL url;
    private final AtomicInteger calls = new AtomicInteger();
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private int callsAtStart;
    private long cpuAtStart;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        backend = new StubAuthServer().answer(StubAuthServer.Answer.allow(ANSWER));
        URI uri = URI.create(backend.url());
        authorizer = new ProxyAuthorizer(uri, Duration.ofSeconds(10),
                List.of("/user/email", "/user/organization_name"), 64);
        client = ClientBuilder.newClient();
        target = client.target(uri);
        url = uri.toURL();
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        callsAtStart = calls.get();
        cpuAtStart = os.getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void printCpuPerCall() {
        System.out.printf(" [%.1f µs of CPU per call, client and backend] ",
                (os.getProcessCpuTime() - cpuAtStart) / 1e3 / (calls.get() - callsAtStart));
        // The stub records each call's headers; a benchmark's millions would fill the heap.
        backend.forgetCalls();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        authorizer.close();
        client.close();
        backend.close();
    }

    /** The headers of a browser's upgrade, as the authorizer gets them. */
    private UpgradeRequest upgrade() {
        return new UpgradeRequest(Map.of(
                "Host", List.of("127.0.0.1:7890"),
                "Upgrade", List.of("websocket"),
                "Connection", List.of("Upgrade"),
                "Sec-WebSocket-Key", List.of("dGhlIHNhbXBsZSBub25jZQ=="),
                "Sec-WebSocket-Version", List.of("13"),
                "Cookie", List.of(nextCookie())), "/ws", "127.0.0.1");
    }

    /** Each call's own session cookie, as each upgrade has; counts the call. */
    private String nextCookie() {
        return "session=u" + calls.incrementAndGet();
    }

    @Benchmark
    public Decision authorizer() {
        return authorizer.authorize(upgrade());
    }

    @Benchmark
    public String jerseyClient() {
        try (Response r = target.request().header("Cookie", nextCookie()).get()) {
            return r.readEntity(String.class);
        }
    }

    @Benchmark
    public byte[] byHand() throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestProperty("Cookie", nextCookie());
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
