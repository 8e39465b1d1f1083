package org.circuitscope.spark;

import java.io.Serializable;

/**
 * Counts of values in {@code bins} equal bins over [lo, hi] (the last bin includes hi). The same binning is used by
 * the distributed job (per partition, then summed) and by {@link #of} on one machine, so the two agree exactly.
 */
public record Histogram(String column, double lo, double hi, long[] counts) implements Serializable {

    public static Histogram of(String column, float[] values, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        long[] counts = new long[bins];
        for (float v : values) {
            counts[bin(v, lo, hi, bins)]++;
        }
        return new Histogram(column, lo, hi, counts);
    }

    static int bin(double v, double lo, double hi, int bins) {
        if (!(hi > lo)) {
            return 0;
        }
        int b = (int) ((v - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
