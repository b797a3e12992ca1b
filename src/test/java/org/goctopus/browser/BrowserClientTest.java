package org.goctopus.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.goctopus.support.Api;
import org.goctopus.support.Await;
import org.goctopus.support.Chromium;
import org.goctopus.support.Readme;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.TcpProxy;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client library in headless Chromium, loaded from the running service by a page of
 * another origin (the usual case: the application's pages are not served by the push
 * service), through a TCP relay that plays the network. The browser sends its cookies;
 * the auth stub names the keys after the {@code keys} cookie.
 */
@Timeout(120)
class BrowserClientTest {

    private static StubAuthServer auth;
    private static HttpServer pages;
    private static HttpServer foreignPages;
    private static TestServer service;
    private static TcpProxy network;
    private static Chromium chromium;
    private Chromium.Page page;

    @BeforeAll
    static void start() throws IOException {
        auth = new StubAuthServer();
        pages = pageServer();
        foreignPages = pageServer();
        service = startService();
        network = TcpProxy.to(service.port());
        chromium = Chromium.launch();
    }

    private static TestServer startService() {
        return TestServer.proxiedTo(auth.url(), Map.of("WS_ALLOWED_ORIGINS", origin(pages)));
    }

    @AfterAll
    static void stop() throws Exception {
        chromium.close();
        network.close();
        service.close();
        pages.stop(0);
        foreignPages.stop(0);
        auth.close();
    }

    @BeforeEach
    void fresh() {
        auth.answer(null);
        auth.forgetCalls();
        network.refuse(false);
        service.api().delete("/");
    }

    @AfterEach
    void closePage() {
        if (page != null) {
            page.close();
        }
    }

    /** What the README's examples call: "your code". */
    private static final String README_PRELUDE = """
            <!doctype html><script>
              window.delivered = [];
              function showNotification(payload) { delivered.push(payload); }
              function showLoginPrompt(reason) { delivered.push("login: " + reason); }
              async function saveToInbox(id, payload) { delivered.push(payload); }
            </script>
            """;

    /**
     * A page that connects at once with the script form (or, with {@code module}, the module
     * form) and records what happens in window.log.
     */
    private static HttpServer pageServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            boolean module = query != null && query.contains("module");
            String service = "http://127.0.0.1:" + network.port();
            String record = """
                    window.log = { got: [], errors: [], closes: [], states: [], unauthorized: null };
                    window.failing = location.search.includes("fail");
                    const options = {
                      minDelay: 200, maxDelay: 2000,
                      onMessage(payload, id) {
                        if (window.failing) throw new Error("the handler failed");
                        log.got.push(id);
                      },
                      onError(e) { log.errors.push(String(e)); },
                      onClose(code) { log.closes.push(code); },
                      onStateChange(state, detail) { log.states.push([state, detail ? detail.delay : null]); },
                      onUnauthorized(status, reason) { log.unauthorized = [status, reason]; },
                    };
                    """;
            String html = exchange.getRequestURI().getPath().startsWith("/readme/")
                    ? README_PRELUDE + Readme.run(exchange.getRequestURI().getPath().substring(8),
                            Map.of("https://push.example.com", service))
                    : module
                    ? "<!doctype html><script type=module>import { connect } from '" + service + "/goctopus.mjs';"
                            + record + "window.client = connect(options);</script>"
                    : "<!doctype html><script src='" + service + "/goctopus.js'></script><script>" + record
                            + "window.client = Goctopus.connect(options);</script>";
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Chromium.Page open(HttpServer server, String query, String keys) {
        page = chromium.open(URI.create(origin(server) + "/?" + query), "keys=" + keys);
        return page;
    }

    private void awaitState(String state) {
        Await.until(Duration.ofSeconds(20), () -> page.text("client.state").equals(state));
    }

    private static Api api() {
        return service.api();
    }

    private static String publish(String key, int n) {
        return api().publish("{\"key\":\"" + key + "\",\"value\":{\"n\":" + n + "}}");
    }

    @Test
    void aPublishedMessageReachesTheHandlerAndIsAcknowledged() throws Exception {
        open(pages, "", "alice");
        awaitState("open");
        assertEquals("keys=alice", auth.nextCall().getFirst("Cookie"), "the browser's cookie reached the auth call");
        String id = publish("alice", 1);
        Await.until(() -> page.text("JSON.stringify(log.got)").equals("[\"" + id + "\"]"));
        Await.until(() -> api().get("/?key=alice").body().equals("[]"));
    }

    /** The README's two forms, run as written: each receives a publish and ACKs it. */
    @Test
    void theReadmesFrontendExamplesRunAsWritten() {
        for (String example : List.of("frontend-script", "frontend-module")) {
            page = chromium.open(URI.create(origin(pages) + "/readme/" + example), "keys=ivan");
            publish("ivan", 7);
            Await.until(() -> page.text("JSON.stringify(delivered)").equals("[{\"n\":7}]"));
            Await.until(() -> api().get("/?key=ivan").body().equals("[]"));
            page.close();
            page = null;
        }
    }

    @Test
    void theModuleFormWorksAsTheScriptForm() {
        open(pages, "module", "alice");
        awaitState("open");
        String id = publish("alice", 1);
        Await.until(() -> page.text("JSON.stringify(log.got)").equals("[\"" + id + "\"]"));
        Await.until(() -> api().get("/?key=alice").body().equals("[]"));
    }

    @Test
    void aHandlerThatThrowsLeavesTheMessageQueued() {
        open(pages, "fail", "bob");
        awaitState("open");
        String id = publish("bob", 1);
        Await.until(() -> page.number("log.errors.length") == 1);
        assertTrue(page.text("log.errors[0]").contains("the handler failed"));
        assertTrue(api().get("/?key=bob").body().contains(id), "not acknowledged, still queued");
    }

    /** Cut by the network: the client reconnects and gets what was queued meanwhile, exactly once. */
    @Test
    void afterACutConnectionTheClientGetsWhatWasQueuedExactlyOnce() {
        open(pages, "", "carol");
        awaitState("open");
        String first = publish("carol", 1);
        Await.until(() -> page.number("log.got.length") == 1);
        Await.until(() -> api().get("/?key=carol").body().equals("[]"));
        network.refuse(true);
        network.cut();
        Await.until(() -> api().get("/?presence").body().equals("{}"));
        String second = publish("carol", 2);
        String third = publish("carol", 3);
        network.refuse(false);
        Await.until(Duration.ofSeconds(20), () -> page.number("log.got.length") >= 3);
        assertEquals("[\"" + first + "\",\"" + second + "\",\"" + third + "\"]", page.text("JSON.stringify(log.got)"));
        Await.until(() -> api().get("/?key=carol").body().equals("[]"));
        assertTrue(page.number("log.closes.length") >= 1);
    }

    /** The service restarted (the same address, a new process): the client comes back by itself. */
    @Test
    void afterTheServiceRestartsTheClientGetsWhatWasQueuedExactlyOnce() {
        open(pages, "", "dave");
        awaitState("open");
        String first = publish("dave", 1);
        Await.until(() -> page.number("log.got.length") == 1);
        network.refuse(true);
        service.close(); // 1001 to the page
        service = startService();
        network.retarget(service.port());
        String second = publish("dave", 2);
        network.refuse(false);
        Await.until(Duration.ofSeconds(20), () -> page.number("log.got.length") >= 2);
        assertEquals("[\"" + first + "\",\"" + second + "\"]", page.text("JSON.stringify(log.got)"));
        assertTrue(page.text("JSON.stringify(log.closes)").startsWith("[1001"), page.text("JSON.stringify(log.closes)"));
        Await.until(() -> api().get("/?key=dave").body().equals("[]"));
    }

    /** 401 from the auth backend: the client learns it from the why endpoint and stops; one auth call in all. */
    @Test
    void aRefusedUpgradeStopsTheReconnectsAndIsReported() {
        auth.answer(StubAuthServer.Answer.status(401));
        open(pages, "", "erin");
        awaitState("unauthorized");
        assertEquals("[401,\"unauthorized\"]", page.text("JSON.stringify(log.unauthorized)"));
        assertEquals(1, auth.callsSoFar(), "the why endpoint made no auth call, and nothing retried");
    }

    /** 503 (the auth backend down): the client backs off, each wait within its doubling bound. */
    @Test
    void anAuthOutageIsRetriedWithBackoff() {
        auth.answer(StubAuthServer.Answer.status(503));
        open(pages, "", "frank");
        Await.until(Duration.ofSeconds(20), () -> page.number("log.states.filter(s => s[0] === 'reconnecting').length") >= 4);
        page.eval("client.close()");
        var delays = page.text("JSON.stringify(log.states.filter(s => s[0] === 'reconnecting').map(s => s[1]))");
        String[] each = delays.substring(1, delays.length() - 1).split(",");
        for (int attempt = 0; attempt < each.length; attempt++) {
            int delay = Integer.parseInt(each[attempt]);
            assertTrue(delay >= 0 && delay < Math.min(2000, 200 << attempt), "attempt " + attempt + ": " + delays);
        }
        int attempts = page.number("log.states.filter(s => s[0] === 'connecting').length");
        assertEquals(attempts, auth.callsSoFar(), "one auth call per attempt, none for the why endpoint");
        assertEquals("null", page.text("JSON.stringify(log.unauthorized)"));
    }

    /** A page of an Origin not in WS_ALLOWED_ORIGINS: told so, and stopped. */
    @Test
    void aForeignOriginIsToldItIsNotAllowed() {
        open(foreignPages, "", "grace");
        awaitState("unauthorized");
        assertEquals("[403,\"origin not allowed\"]", page.text("JSON.stringify(log.unauthorized)"));
        assertEquals(0, auth.callsSoFar());
    }
}
