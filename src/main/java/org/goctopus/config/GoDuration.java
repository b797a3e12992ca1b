package org.goctopus.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's {@code time.ParseDuration} syntax ({@code 300ms}, {@code 1.5h},
 * {@code 2h45m}), the syntax Goctopus users already write in settings and in the
 * {@code expire} field of a publish.
 */
public final class GoDuration {

    /** Go's unit names, as UTF-8 bytes (held in ISO-8859-1 strings, one char per byte). */
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            bytes("ns"), 1L,
            bytes("us"), 1_000L,
            bytes("\u00b5s"), 1_000L, // micro sign
            bytes("\u03bcs"), 1_000L, // Greek mu
            bytes("ms"), 1_000_000L,
            bytes("s"), 1_000_000_000L,
            bytes("m"), 60_000_000_000L,
            bytes("h"), 3_600_000_000_000L);

    /** 1 << 63 as Go's uint64 arithmetic sees it: Long.MIN_VALUE, compared unsigned. */
    private static final long TWO_TO_63 = Long.MIN_VALUE;

    private GoDuration() {
    }

    private static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses a non-negative duration exactly as Go's {@code time.ParseDuration} does (a line
     * by line port of Go 1.19's, unsigned arithmetic, overflow checks and float64 fractions
     * included, checked against Go itself by the fuzz tests); a leading minus, which Go reads
     * as negative, is refused.
     *
     * @throws IllegalArgumentException if the text is not a Go duration or is negative
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw invalid("");
        }
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        boolean negative = false;
        if (s.length > 0 && (s[0] == '-' || s[0] == '+')) {
            negative = s[0] == '-';
            i = 1;
        }
        if (s.length - i == 1 && s[i] == '0') {
            if (negative) {
                throw new IllegalArgumentException("negative duration " + text);
            }
            return Duration.ZERO;
        }
        if (i == s.length) {
            throw invalid(text);
        }
        long d = 0;
        while (i < s.length) {
            long v = 0;
            long f = 0;
            double scale = 1;
            if (!(s[i] == '.' || isDigit(s[i]))) {
                throw invalid(text);
            }
            int before = i;
            for (; i < s.length && isDigit(s[i]); i++) { // leadingInt
                if (Long.compareUnsigned(v, Long.divideUnsigned(TWO_TO_63, 10)) > 0) {
                    throw invalid(text);
                }
                v = v * 10 + (s[i] - '0');
                if (Long.compareUnsigned(v, TWO_TO_63) > 0) {
                    throw invalid(text);
                }
            }
            boolean pre = i != before;
            boolean post = false;
            if (i < s.length && s[i] == '.') {
                i++;
                int after = i;
                boolean overflow = false;
                for (; i < s.length && isDigit(s[i]); i++) { // leadingFraction
                    if (overflow) {
                        continue;
                    }
                    if (Long.compareUnsigned(f, Long.MAX_VALUE / 10) > 0) {
                        overflow = true;
                        continue;
                    }
                    long y = f * 10 + (s[i] - '0');
                    if (Long.compareUnsigned(y, TWO_TO_63) > 0) {
                        overflow = true;
                        continue;
                    }
                    f = y;
                    scale *= 10;
                }
                post = i != after;
            }
            if (!pre && !post) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length && s[i] != '.' && !isDigit(s[i])) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(text); // missing unit
            }
            Long unit = NANOS_PER_UNIT.get(new String(s, unitStart, i - unitStart, StandardCharsets.ISO_8859_1));
            if (unit == null) {
                throw invalid(text); // unknown unit
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(TWO_TO_63, unit)) > 0) {
                throw invalid(text);
            }
            v *= unit;
            if (f != 0) {
                // Go: v += uint64(float64(f) * (float64(unit) / scale)), below 3.6e12
                v += (long) (unsignedToDouble(f) * ((double) unit / scale));
                if (Long.compareUnsigned(v, TWO_TO_63) > 0) {
                    throw invalid(text);
                }
            }
            d += v;
            if (Long.compareUnsigned(d, TWO_TO_63) > 0) {
                throw invalid(text);
            }
        }
        if (negative) {
            throw new IllegalArgumentException("negative duration " + text);
        }
        if (Long.compareUnsigned(d, Long.MAX_VALUE) > 0) {
            throw invalid(text);
        }
        return Duration.ofNanos(d);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static double unsignedToDouble(long x) {
        return x >= 0 ? (double) x : ((double) (x >>> 1)) * 2.0 + (x & 1);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration " + text);
    }
}
