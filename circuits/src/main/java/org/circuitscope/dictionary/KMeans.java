package org.circuitscope.dictionary;

import java.util.Random;
import org.circuitscope.model.ModelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * k-means on the rows of an ND4J matrix (Lloyd's iterations from a seeded k-means++ start), for grouping a
 * neuron's dataset examples by the activation pattern of its layer.
 */
public final class KMeans {
    private KMeans() {
    }

    /** The cluster of each row (0..k-1, clusters numbered by decreasing size) and the centres (k×C). */
    public record Fit(int[] assignment, INDArray centres, int[] sizes) {
    }

    public static Fit fit(INDArray x, int k, int iterations, long seed) {
        Nd4jSetup.ensure();
        int n = (int) x.rows();
        if (k < 1 || k > n) {
            throw new ModelException("k-means needs 1 ≤ k ≤ " + n + " (the rows), not " + k);
        }
        float[][] p = x.castTo(DataType.FLOAT).toFloatMatrix();
        int c = p[0].length;
        Random random = new Random(seed);
        float[][] centres = new float[k][];
        centres[0] = p[random.nextInt(n)].clone();
        double[] d2 = new double[n];
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Double.MAX_VALUE;
                for (int q = 0; q < j; q++) {
                    d2[i] = Math.min(d2[i], dist(p[i], centres[q]));
                }
                total += d2[i];
            }
            double u = random.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                u -= d2[i];
                if (u <= 0) {
                    pick = i;
                    break;
                }
            }
            centres[j] = p[pick].clone();
        }
        int[] assign = new int[n];
        for (int it = 0; it < iterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (dist(p[i], centres[j]) < dist(p[i], centres[best])) {
                        best = j;
                    }
                }
                changed |= best != assign[i] || it == 0;
                assign[i] = best;
            }
            float[][] sum = new float[k][c];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[assign[i]]++;
                for (int q = 0; q < c; q++) {
                    sum[assign[i]][q] += p[i][q];
                }
            }
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) {
                    for (int q = 0; q < c; q++) {
                        sum[j][q] /= count[j];
                    }
                    centres[j] = sum[j];
                }
            }
            if (!changed) {
                break;
            }
        }
        // renumber by size, largest first, so the result does not depend on the start's order
        int[] sizes = new int[k];
        for (int a : assign) {
            sizes[a]++;
        }
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> sizes[b] != sizes[a] ? Integer.compare(sizes[b], sizes[a])
                : Integer.compare(a, b));
        int[] rank = new int[k];
        float[][] sorted = new float[k][];
        int[] sortedSizes = new int[k];
        for (int r = 0; r < k; r++) {
            rank[order[r]] = r;
            sorted[r] = centres[order[r]];
            sortedSizes[r] = sizes[order[r]];
        }
        for (int i = 0; i < n; i++) {
            assign[i] = rank[assign[i]];
        }
        return new Fit(assign, Nd4j.create(sorted), sortedSizes);
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
