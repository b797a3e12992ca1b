package org.goctopus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.goctopus.support.GoReference;

/**
 * Glob keys against Go's own path.Match: a connection key receives a posted key exactly
 * when Go matches them, or when they are equal (the key itself, even one that is no valid
 * pattern); a bad pattern matches nothing else. Oracle: Go; no exception at all.
 */
class KeyPatternFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void agreesWithGo(FuzzedDataProvider data) {
        String pattern = data.consumeString(40);
        String name = data.consumeRemainingAsString();
        if (!encodable(pattern) || !encodable(name)) {
            return; // a lone surrogate: no UTF-8 text to hand to Go
        }
        boolean expected = pattern.equals(name) || Boolean.TRUE.equals(GoReference.get().match(pattern, name));
        assertEquals(expected, KeyPattern.matches(pattern, name), () -> "pattern " + codePoints(pattern)
                + ", key " + codePoints(name));
    }

    private static List<String> codePoints(String text) {
        return text.codePoints().mapToObj(Integer::toHexString).toList();
    }

    private static boolean encodable(String text) {
        return text.equals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
