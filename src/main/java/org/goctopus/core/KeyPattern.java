package org.goctopus.core;

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
            return match(pattern.codePoints().toArray(), name.codePoints().toArray());
        } catch (BadPattern e) {
            return false;
        }
    }

    private static final class BadPattern extends Exception {
        BadPattern() {
            super(null, null, false, false);
        }
    }

    // A port of Go's path.Match: the pattern is cut into chunks, each optionally
    // preceded by stars; a chunk after a star may start at any position up to the next '/'.
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
                int r = failed ? -1 : name[s++];
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
                    s++;
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
        int value = pattern[c];
        c++;
        if (c >= end) {
            throw new BadPattern();
        }
        return new int[] {value, c};
    }
}
