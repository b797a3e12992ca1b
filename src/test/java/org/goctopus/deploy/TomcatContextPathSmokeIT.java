package org.goctopus.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.goctopus.support.Await;
import org.goctopus.support.Chromium;
import org.goctopus.support.WsClient;
import org.junit.jupiter.api.Test;

/** Deployed at /push instead of the root: every endpoint, websocket included, moves with it. */
class TomcatContextPathSmokeIT extends SmokeSuite {
    @Override
    protected Deployment deploy(Map<String, String> settings) throws Exception {
        return StandaloneTomcat.start(Path.of(System.getProperty("tomcat11.zip")), "/push", settings);
    }

    /** The console in Chromium at /push/console/: it finds the API under the context path. */
    @Test
    void theConsoleWorksUnderTheContextPath() throws Exception {
        try (Chromium chromium = Chromium.launch();
             WsClient socket = WsClient.connect(app().ws("/"), Map.of("X-Test-Keys", "console@example.com"));
             Chromium.Page page = chromium.signedInConsole(app().http("/console/"), LOGIN, PASSWORD)) {
            Await.until(Duration.ofSeconds(20), () -> page.text("document.querySelector('#presence tbody').innerText")
                    .contains("console@example.com\t1"));
            page.fill("#publish-key", "console@example.com");
            page.click("#publish-form button");
            assertEquals("{\"hello\":\"world\"}", socket.next(Duration.ofSeconds(20)).get("payload").toString());
        }
    }
}
