package org.goctopus.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.goctopus.support.Await;
import org.goctopus.support.Chromium;
import org.goctopus.support.TestServer;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console in headless Chromium against the embedded service: after signing in with
 * the API credentials it shows the connections there are, their presence, and a test
 * publish reaches the sockets. Its screenshot is kept in target/browser/console.png.
 */
@Timeout(120)
class ConsoleTest {

    static final Path SCREENSHOT = Path.of("target/browser/console.png");
    private static TestServer service;
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        service = TestServer.start(Map.of("WS_CONSOLE", "true"));
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        chromium.close();
        service.close();
    }

    @Test
    void theConsoleShowsTheConnectionsAndATestPublishArrives() throws Exception {
        try (WsClient first = WsClient.connect(service.ws("/"));
             WsClient second = WsClient.connect(service.ws("/ws"));
             Chromium.Page page = chromium.signedInConsole(service.http("/console/"), TestServer.LOGIN, TestServer.PASSWORD)) {
            Await.until(() -> page.text("document.getElementById('connections').textContent").equals("2"));
            Await.until(() -> page.text("document.querySelector('#presence tbody').innerText").equals("k\t2"));
            page.fill("#watch-key", "k");
            page.click("#watch-form button");
            page.fill("#publish-key", "k");
            page.fill("#publish-value", "{\"from\": \"the console\"}");
            page.click("#publish-form button");
            var frame = first.next();
            assertEquals("{\"from\":\"the console\"}", frame.get("payload").toString());
            assertEquals("{\"from\":\"the console\"}", second.next().get("payload").toString());
            Await.until(() -> page.text("document.getElementById('publish-reply').textContent").startsWith("202 "));
            page.fill("#queue-key", "k");
            page.click("#queue-form button");
            Await.until(() -> page.number("document.querySelectorAll('#queue tbody tr').length") == 1);
            Await.until(() -> page.text("document.getElementById('keys').textContent").equals("1"));
            String id = frame.getString("id");
            first.ack(id);
            Await.until(() -> page.text("document.querySelector('#traffic tbody').innerText").contains("acknowledged\t" + id));
            assertEquals(2, page.number("document.querySelectorAll('#traffic tbody tr').length"), "published, then acknowledged");
            Await.until(() -> !page.text("document.getElementById('received').textContent").equals("–"));
            Files.createDirectories(SCREENSHOT.getParent());
            page.screenshot(SCREENSHOT);
            assertFalse(page.consoleLog().contains("Content Security Policy"), page.consoleLog());
        }
    }

    @Test
    void wrongCredentialsAreToldAndNothingIsShown() {
        try (Chromium.Page page = chromium.signedInConsole(service.http("/console/"), TestServer.LOGIN, "wrong")) {
            Await.until(() -> page.text("document.getElementById('sign-in-error').textContent")
                    .equals("403: wrong credentials"));
            assertEquals("true", page.text("String(document.getElementById('console').hidden)"));
        }
    }
}
