package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.goctopus.support.GoReference;

/**
 * Durations (settings and a publish's "expire") against Go's own time.ParseDuration: the
 * same texts accepted, with the same nanoseconds, except that a leading minus, which Go
 * reads as negative, is refused here. Oracle: Go; no exception but IllegalArgumentException.
 */
class GoDurationFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void agreesWithGo(@NotNull String text) {
        if (!text.equals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
            return; // a lone surrogate: no UTF-8 text to hand to Go
        }
        OptionalLong go = GoReference.get().parseDuration(text);
        OptionalLong expected = text.startsWith("-") ? OptionalLong.empty() : go;
        OptionalLong ours;
        try {
            ours = OptionalLong.of(GoDuration.parse(text).toNanos());
        } catch (IllegalArgumentException refused) {
            ours = OptionalLong.empty();
        }
        assertEquals(expected, ours, () -> "duration \"" + text + "\"");
    }
}
