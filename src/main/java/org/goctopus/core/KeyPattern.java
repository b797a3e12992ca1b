package org.goctopus.core;

import java.nio.charset.StandardCharsets;

/**
 * Glob keys with the rules of Go's {@code path.Match}, as Goctopus uses them: a
 * connection registered under {@code org.*} receives messages posted to
 * {@code org.sales}. {@code *} matches any run of characters but {@code /},
 * {@code ?} one character but {@code /}, {@code [a-z]} and {@code [^a-z]} a class,
 * and a backslash escapes. A malformed pattern matches nothing but itself.
 */
public final class KeyPattern {

    private KeyPattern() {
    }

    /** Whether {@code key} uses glob syntax and so must be matched, not looked up. */
    public static boolean isPattern(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** Whether connection key {@code pattern} receives messages posted to key {@code name}. */
    public static boolean matches(String pattern, String name) {
        if (pattern.equals(name)) {
            return true;
        }
        try {
            return match(utf8(pattern), utf8(name));
        } catch (BadPattern e) {
            return false;
        }
    }

    private static final class BadPattern extends Exception {
        BadPattern() {
            super(null, null, false, false);
        }
    }

    /** The UTF-8 bytes, unsigned: Go's path.Match works on bytes and decodes runes where it needs them. */
    private static int[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] unsigned = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            unsigned[i] = bytes[i] & 0xff;
        }
        return unsigned;
    }

    /**
     * Go's utf8.DecodeRune at {@code at}: {rune, width}; an invalid or cut sequence is
     * U+FFFD of width 1 (a star advances by bytes, so a chunk may start inside a rune).
     */
    private static int[] rune(int[] b, int at) {
        int b0 = b[at];
        if (b0 < 0x80) {
            return new int[] {b0, 1};
        }
        int width = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
        if (width == 0 || at + width > b.length) {
            return new int[] {RUNE_ERROR, 1};
        }
        int lo = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
        int hi = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
        if (b[at + 1] < lo || b[at + 1] > hi) {
            return new int[] {RUNE_ERROR, 1};
        }
        int rune = b0 & (0xFF >> (width + 1));
        for (int i = 1; i < width; i++) {
            if (i > 1 && (b[at + i] < 0x80 || b[at + i] > 0xBF)) {
                return new int[] {RUNE_ERROR, 1};
            }
            rune = (rune << 6) | (b[at + i] & 0x3F);
        }
        return new int[] {rune, width};
    }

    private static final int RUNE_ERROR = 0xFFFD;

    // A port of Go's path.Match, on UTF-8 bytes as Go's: the pattern is cut into chunks, each
    // optionally preceded by stars; a chunk after a star may start at any byte up to the next '/'.
    private static boolean match(int[] pattern, int[] name) throws BadPattern {
        int p = 0;
        int n = 0;
        outer:
        while (p < pattern.length) {
            boolean star = false;
            while (p < pattern.length && pattern[p] == '*') {
                p++;
                star = true;
            }
            int chunkEnd = chunkEnd(pattern, p);
            if (star && chunkEnd == p) {
                for (int i = n; i < name.length; i++) {
                    if (name[i] == '/') {
                        return false;
                    }
                }
                return true;
            }
            int rest = matchChunk(pattern, p, chunkEnd, name, n);
            if (rest >= 0 && (rest == name.length || chunkEnd < pattern.length)) {
                n = rest;
                p = chunkEnd;
                continue;
            }
            if (star) {
                for (int i = n; i < name.length && name[i] != '/'; i++) {
                    rest = matchChunk(pattern, p, chunkEnd, name, i + 1);
                    if (rest >= 0) {
                        if (chunkEnd == pattern.length && rest < name.length) {
                            continue;
                        }
                        n = rest;
                        p = chunkEnd;
                        continue outer;
                    }
                }
            }
            return false;
        }
        return n == name.length;
    }

    private static int chunkEnd(int[] pattern, int start) {
        boolean inRange = false;
        int i = start;
        for (; i < pattern.length; i++) {
            int c = pattern[i];
            if (c == '\\') {
                if (i + 1 < pattern.length) {
                    i++;
                }
            } else if (c == '[') {
                inRange = true;
            } else if (c == ']') {
                inRange = false;
            } else if (c == '*' && !inRange) {
                break;
            }
        }
        return i;
    }

    /** Matches one chunk at {@code s}; returns the index after it, or -1. */
    private static int matchChunk(int[] pattern, int c, int end, int[] name, int s) throws BadPattern {
        boolean failed = false;
        while (c < end) {
            if (!failed && s >= name.length) {
                failed = true;
            }
            int ch = pattern[c];
            if (ch == '[') {
                int r = -1;
                if (!failed) {
                    int[] decoded = rune(name, s);
                    r = decoded[0];
                    s += decoded[1];
                }
                c++;
                boolean negated = c < end && pattern[c] == '^';
                if (negated) {
                    c++;
                }
                boolean match = false;
                int ranges = 0;
                while (true) {
                    if (c < end && pattern[c] == ']' && ranges > 0) {
                        c++;
                        break;
                    }
                    int[] lo = escaped(pattern, c, end);
                    c = lo[1];
                    int hi = lo[0];
                    if (pattern[c] == '-') {
                        int[] h = escaped(pattern, c + 1, end);
                        hi = h[0];
                        c = h[1];
                    }
                    if (lo[0] <= r && r <= hi) {
                        match = true;
                    }
                    ranges++;
                }
                if (match == negated) {
                    failed = true;
                }
            } else if (ch == '?') {
                if (!failed) {
                    if (name[s] == '/') {
                        failed = true;
                    }
                    s += rune(name, s)[1];
                }
                c++;
            } else {
                if (ch == '\\') {
                    c++;
                    if (c >= end) {
                        throw new BadPattern();
                    }
                }
                if (!failed) {
                    if (pattern[c] != name[s]) {
                        failed = true;
                    }
                    s++;
                }
                c++;
            }
        }
        return failed ? -1 : s;
    }

    /** One possibly escaped character of a class: {value, next index}. */
    private static int[] escaped(int[] pattern, int c, int end) throws BadPattern {
        if (c >= end || pattern[c] == '-' || pattern[c] == ']') {
            throw new BadPattern();
        }
        if (pattern[c] == '\\') {
            c++;
            if (c >= end) {
                throw new BadPattern();
            }
        }
        int[] decoded = rune(pattern, c);
        if (decoded[0] == RUNE_ERROR && decoded[1] == 1) {
            throw new BadPattern();
        }
        c += decoded[1];
        if (c >= end) {
            throw new BadPattern();
        }
        return new int[] {decoded[0], c};
    }
}
