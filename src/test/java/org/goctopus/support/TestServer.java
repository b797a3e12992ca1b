package org.goctopus.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.goctopus.deploy.Container;
import org.goctopus.deploy.Deployment;

/**
 * The service at 127.0.0.1 on a free port, on the {@link Container} this test JVM runs
 * (by default the embedded Tomcat, deployed like production: the source webapp/ with the
 * compiled classes as WEB-INF/classes, configured through context parameters as a Tomcat
 * context file would).
 */
public final class TestServer implements AutoCloseable {

    public static final String LOGIN = "backend";
    public static final String PASSWORD = "s3cret";
    private static final AtomicInteger SERVERS = new AtomicInteger();

    /**
     * Standalone containers a test closed, by their settings, for the next test class that
     * asks for the same ones: a Payara Micro boot takes the better part of a minute, and
     * most classes run on the defaults. Its queues are emptied before it is handed out
     * again; whatever is left at the end of the JVM is stopped then. The embedded container
     * starts in a fraction of a second and is never kept.
     */
    private static final Map<Map<String, String>, Deque<Deployment>> IDLE = new HashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (IDLE) {
                IDLE.values().forEach(idle -> idle.forEach(Deployment::close));
                IDLE.clear();
            }
        }, "test-servers-stop"));
    }

    private final Deployment server;
    private final Map<String, String> settings;

    private TestServer(Deployment server, Map<String, String> settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * Defaults: API credentials, and the dummy authorizer giving every socket the key "k".
     * When the test JVM runs with {@code -DWS_STORAGE=redis} (the build's Redis run of the
     * websocket and API suites), each server gets a prefix of its own on one shared Redis.
     * WS_WRITES, which the build sets as a system property of the test JVM, goes to a
     * container's environment too.
     */
    public static Map<String, String> defaults() {
        Map<String, String> p = new HashMap<>();
        p.put("WS_LOGIN", LOGIN);
        p.put("WS_PASSWORD", PASSWORD);
        p.put("WS_AUTHORIZER", "dummy");
        p.put("WS_AUTH_URL", "k");
        if ("redis".equals(System.getProperty("WS_STORAGE"))) {
            p.put("WS_REDIS_URL", SharedRedis.url());
            p.put("WS_REDIS_PREFIX", "test" + SERVERS.incrementAndGet() + ":");
        }
        if (System.getProperty("WS_WRITES") != null) {
            p.put("WS_WRITES", System.getProperty("WS_WRITES"));
        }
        return p;
    }

    public static TestServer start() {
        return start(defaults());
    }

    /** Starts with {@link #defaults()} overridden by {@code settings}. */
    public static TestServer start(Map<String, String> settings) {
        Map<String, String> p = defaults();
        p.putAll(settings);
        Map<String, String> profile = Map.copyOf(p);
        Deployment kept;
        synchronized (IDLE) {
            Deque<Deployment> idle = IDLE.get(profile);
            kept = idle == null ? null : idle.poll();
        }
        try {
            TestServer server = new TestServer(kept != null ? kept : Container.selected().deploy(p), profile);
            server.awaitReady();
            if (kept != null) {
                server.api().delete("/");
            }
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts with the proxy authorizer asking {@code authUrl} (a {@link StubAuthServer}'s), plus {@code settings}. */
    public static TestServer proxiedTo(String authUrl, Map<String, String> settings) {
        Map<String, String> p = new HashMap<>(settings);
        p.put("WS_AUTHORIZER", "proxy");
        p.put("WS_AUTH_URL", authUrl);
        return start(p);
    }

    /** Until /readyz is 200: a Redis-backed service connects after it starts. */
    private void awaitReady() {
        Api anonymous = new Api(http(""), null, null);
        Await.until(Duration.ofSeconds(30), () -> anonymous.get("/readyz").statusCode() == 200);
    }

    public int port() {
        return server.port();
    }

    public URI http(String pathAndQuery) {
        return server.http(pathAndQuery);
    }

    public URI ws(String path) {
        return server.ws(path);
    }

    /** What the server logged so far (embedded: what this JVM logged meanwhile). */
    public String log() {
        return server.log();
    }

    public Api api() {
        return new Api(http(""), LOGIN, PASSWORD);
    }

    /** Done with it: a standalone container is kept for the next test with the same settings. */
    @Override
    public void close() {
        if (Container.selected() == Container.EMBEDDED) {
            server.close();
            return;
        }
        synchronized (IDLE) {
            IDLE.computeIfAbsent(settings, s -> new ArrayDeque<>()).add(server);
        }
    }

    /** Stops it for good, as a test of what stopping does needs. */
    public void stop() {
        server.close();
    }
}
