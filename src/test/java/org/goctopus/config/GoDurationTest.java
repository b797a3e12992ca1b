package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's {@code time.ParseDuration} syntax, non-negative only. */
class GoDurationTest {

    @Test
    void milliseconds() {
        assertEquals(Duration.ofMillis(300), GoDuration.parse("300ms"));
    }

    @Test
    void fractionalHours() {
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
    }

    @Test
    void combinedUnits() {
        assertEquals(Duration.ofHours(2).plusMinutes(45), GoDuration.parse("2h45m"));
        assertEquals(Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusMillis(4),
                GoDuration.parse("1h2m3s4ms"));
    }

    @Test
    void secondsAndMinutes() {
        assertEquals(Duration.ofSeconds(30), GoDuration.parse("30s"));
        assertEquals(Duration.ofMinutes(10), GoDuration.parse("10m"));
    }

    @Test
    void microsecondsInEverySpelling() {
        assertEquals(Duration.ofNanos(1_000), GoDuration.parse("1us"));
        assertEquals(Duration.ofNanos(1_000), GoDuration.parse("1\u00b5s")); // micro sign
        assertEquals(Duration.ofNanos(1_000), GoDuration.parse("1\u03bcs")); // Greek mu
        assertEquals(Duration.ofNanos(7), GoDuration.parse("7ns"));
    }

    @Test
    void bareZero() {
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ZERO, GoDuration.parse("0s"));
    }

    @Test
    void leadingPlus() {
        assertEquals(Duration.ofSeconds(5), GoDuration.parse("+5s"));
    }

    @Test
    void fractionWithoutLeadingOrTrailingDigits() {
        // Go accepts ".5s" and "1.s".
        assertEquals(Duration.ofMillis(500), GoDuration.parse(".5s"));
        assertEquals(Duration.ofSeconds(1), GoDuration.parse("1.s"));
    }

    @Test
    void emptyIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(null));
    }

    @Test
    void numberWithoutUnitIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1h5"));
    }

    @Test
    void unknownUnitIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1x"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1d"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1S"));
    }

    @Test
    void negativeIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("-1s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("-0"));
    }

    @Test
    void twoDecimalPointsAreInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1.2.3s"));
    }

    @Test
    void unitWithoutNumberIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(".s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("+"));
    }

    @Test
    void spacesAreInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1 s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(" 1s"));
    }

    @Test
    void overflowIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("9999999999999h"));
    }
}
