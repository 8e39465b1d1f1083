package org.circuitscope.activations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Summary statistics of per-image values and orderings of per-channel scores, shared by the analyses. */
public final class Stats {
    private Stats() {
    }

    public static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The sample variance (n − 1 in the denominator; 0 for a single value). */
    public static double variance(float[] x, double mean) {
        double s = 0;
        for (float v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / Math.max(1, x.length - 1);
    }

    /** The indices 0..n-1 from the largest value to the smallest; equal values keep index order. */
    public static List<Integer> descending(double[] values) {
        List<Integer> order = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparing(i -> i));
        return order;
    }
}
