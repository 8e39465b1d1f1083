package org.circuitscope.bench;

import java.util.Arrays;

/** Runs a piece of work a few times to warm up, then times it and reports the median in milliseconds. */
final class Timing {
    private Timing() {
    }

    static double medianMillis(int warmup, int runs, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
}
