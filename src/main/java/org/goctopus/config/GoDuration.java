package org.goctopus.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's {@code time.ParseDuration} syntax ({@code 300ms}, {@code 1.5h},
 * {@code 2h45m}), the syntax Goctopus users already write in settings and in the
 * {@code expire} field of a publish.
 */
public final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign
            "\u03bcs", 1_000L, // Greek mu
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Parses a non-negative duration.
     *
     * @throws IllegalArgumentException if the text is not a Go duration or is negative
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.startsWith("+") ? text.substring(1) : text;
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty() || s.startsWith("-")) {
            throw new IllegalArgumentException("invalid duration " + text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Long unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')
                    || unit == null) {
                throw new IllegalArgumentException("invalid duration " + text);
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration out of range " + text);
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
