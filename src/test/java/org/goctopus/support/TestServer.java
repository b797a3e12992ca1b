package org.goctopus.support;

import java.net.URI;
import java.time.Duration;
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

    private final Deployment server;

    private TestServer(Deployment server) {
        this.server = server;
    }

    /**
     * Defaults: API credentials, and the dummy authorizer giving every socket the key "k".
     * When the test JVM runs with {@code -DWS_STORAGE=redis} (the build's Redis runs of the
     * websocket and API suites, embedded, on Tomcat 11 and on Payara), each server gets a
     * prefix of its own on one shared Redis.
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
            p.put("WS_STORAGE", "redis");
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
        try {
            TestServer server = new TestServer(Container.selected().deploy(p));
            server.awaitReady();
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

    @Override
    public void close() {
        server.close();
    }
}
