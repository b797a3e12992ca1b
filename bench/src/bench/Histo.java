package bench;

/** Log-linear histogram of non-negative values (microseconds), about 0.2% precision. Not thread-safe. */
final class Histo {
    private static final int SUB = 512;
    private final long[] counts = new long[1024 + 45 * SUB];
    private long total;
    private long max;

    static int index(long v) {
        if (v < 1024) {
            return (int) Math.max(0, v);
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 9;
        return 1024 + (msb - 10) * SUB + (int) ((v >> shift) - SUB);
    }

    static long valueOf(int idx) {
        if (idx < 1024) {
            return idx;
        }
        int msb = (idx - 1024) / SUB + 10;
        long sub = (idx - 1024) % SUB + SUB;
        return sub << (msb - 9);
    }

    void record(long v) {
        int i = index(v);
        if (i >= counts.length) {
            i = counts.length - 1;
        }
        counts[i]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    void add(Histo o) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += o.counts[i];
        }
        total += o.total;
        max = Math.max(max, o.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at quantile q (0..1), or -1 when empty. */
    long quantile(double q) {
        if (total == 0) {
            return -1;
        }
        long target = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= target) {
                return Math.min(valueOf(i), max);
            }
        }
        return max;
    }
}
