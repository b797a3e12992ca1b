package org.goctopus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.goctopus.config.InvalidSettingsException;
import org.goctopus.config.Settings;
import org.goctopus.support.Api;
import org.goctopus.support.RawUpgrade;
import org.goctopus.support.StubAuthServer;
import org.goctopus.support.StubAuthServer.Answer;
import org.goctopus.support.TestServer;
import org.junit.jupiter.api.Test;

/** WS_AUTH_TIMEOUT (SPEC §1, §2 step 3): an auth backend that never answers is a 503 within the bound. */
class AuthTimeoutTest {

    @Test
    void aHangingBackendGives503WithinTheTimeout() throws Exception {
        StubAuthServer hanging = new StubAuthServer().answer(Answer.hanging());
        try (hanging; TestServer server = TestServer.proxiedTo(hanging.url(), Map.of("WS_AUTH_TIMEOUT", "500ms"))) {
            long start = System.nanoTime();
            try (RawUpgrade up = RawUpgrade.open(server.port(), "/", Map.of("Cookie", "session=slow"))) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(503, up.status(), up.head());
                assertFalse(up.head().toLowerCase().contains("sec-websocket-accept"), up.head());
                assertFalse(Api.json(up.body()).asJsonObject().getString("error").isBlank());
                assertTrue(ms < 3_000, "refused after " + ms + " ms with WS_AUTH_TIMEOUT=500ms");
                assertTrue(ms >= 400, "refused after " + ms + " ms: before the timeout, so not by it");
            }
            assertEquals("session=slow", hanging.nextCall().getFirst("Cookie"));
        }
    }

    @Test
    void theTimeoutIsAPositiveDuration() {
        // A zero or unparsable bound never reaches a server: start-up stops (SPEC §1).
        Map<String, String> base = Map.of("WS_AUTH_URL", "http://auth.example/check");
        for (String bad : new String[] {"0", "0s", "soon", "-1s"}) {
            Map<String, String> values = new HashMap<>(base);
            values.put("WS_AUTH_TIMEOUT", bad);
            InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                    () -> Settings.parse(values::get), bad);
            assertTrue(e.problems().stream().anyMatch(p -> p.contains("WS_AUTH_TIMEOUT")), e.problems()::toString);
        }
    }
}
