package org.goctopus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.Map;
import org.goctopus.config.Settings;

/**
 * Any publish body: a publication or the parser's own refusal, a 400; nothing else thrown
 * (a 5xx would follow). Oracle: the exception's type and status.
 */
class PublishRequestFuzzTest {

    private static final Settings SETTINGS = Settings.parse(Map.of("WS_AUTHORIZER", "dummy", "WS_AUTH_URL", "k")::get);

    @FuzzTest(maxDuration = "30s")
    void isAPublicationOrA400(@NotNull byte[] body) {
        try {
            PublishRequest.parse(body, SETTINGS);
        } catch (ApiException refused) {
            assertEquals(400, refused.status(), refused.getMessage());
        }
    }
}
