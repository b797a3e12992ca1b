package org.goctopus.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import jakarta.json.JsonStructure;
import java.util.List;
import org.goctopus.json.JsonText;

/**
 * Any auth answer read as the proxy authorizer reads it: keys or a refusal, and only the
 * parser's own exception for what is not JSON; no key is ever empty. Oracle: the
 * exception's type and the keys found.
 */
class AuthAnswerFuzzTest {

    private static final KeyExtractor KEYS = new KeyExtractor(List.of("/user/email", "/user/organization_name",
            "/teams", "/"));

    @FuzzTest(maxDuration = "30s")
    void givesKeysOrARefusal(@NotNull String answer) {
        try {
            if (JsonText.parse(answer) instanceof JsonStructure structure) {
                for (String key : KEYS.keys(structure)) {
                    assertFalse(key.isEmpty(), "an empty key");
                }
            }
        } catch (JsonText.InvalidJsonException notJson) {
            // a 503, as the SPEC says
        }
    }
}
