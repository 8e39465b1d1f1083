package org.circuitscope.dictionary;

import java.util.Random;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Non-negative matrix factorisation X ≈ H·W of non-negative activation vectors (after a ReLU), by Lee and Seung's
 * multiplicative updates for the squared error, on ND4J. W (k×C) holds the factors, H (n×k) their non-negative
 * loadings. With k smaller than C this is Lucid's "neuron groups" view; an L1 weight on H ({@code sparsity}) makes
 * the loadings sparse, which is what lets a factorisation find planted sparse parts rather than any cone that
 * contains the data. The factors come back with unit-length rows (the loadings scaled to match).
 */
public final class Nmf {
    /** Keeps divisions finite where a loading or factor reaches zero. */
    private static final double EPS = 1e-9;

    private Nmf() {
    }

    /** The factors and loadings of a fit, and whether it was interrupted. */
    public record Fit(INDArray factors, INDArray loadings, int iterations, boolean partial) {
    }

    /** Factorises {@code x} (n×C, non-negative) into {@code k} factors. */
    public static Fit fit(INDArray x, int k, int iterations, double sparsity, long seed, Progress progress) {
        Nd4jSetup.ensure();
        requireNonNegative(x);
        long n = x.rows();
        long c = x.columns();
        if (k < 1) {
            throw new ModelException("NMF needs at least one factor, not " + k);
        }
        Random random = new Random(seed);
        double scale = Math.sqrt(Math.max(EPS, x.meanNumber().doubleValue()) / k);
        INDArray w = uniform(random, k, c, scale);
        INDArray h = uniform(random, n, k, scale);
        int done = 0;
        boolean partial = false;
        try {
            for (; done < iterations; done++) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                h = updateLoadings(x, h, w, sparsity);
                // W ← W ∘ (Hᵀ X) / (Hᵀ H W)
                INDArray num = h.transpose().mmul(x);
                INDArray den = h.transpose().mmul(h).mmul(w).addi(EPS);
                w = w.muli(num.divi(den));
                if (done % 10 == 9 || done == iterations - 1) {
                    progress.update(done + 1, iterations, "NMF iteration " + (done + 1) + ", relative error "
                            + String.format("%.4f", relativeError(x, h, w)));
                }
            }
        } finally {
            progress.finish(partial ? "NMF interrupted after " + done + " iterations" : "NMF: " + done
                    + " iterations");
        }
        // unit rows for W, H scaled to keep H·W
        INDArray norms = w.norm2(1).addi(EPS);
        w.diviColumnVector(norms.reshape(k, 1));
        h.muliRowVector(norms.reshape(1, k));
        return new Fit(w, h, done, partial);
    }

    /**
     * Non-negative loadings of {@code x} on fixed factors {@code w} (k×C): the same multiplicative update with W
     * held, from a positive start, for {@code iterations} rounds (a non-negative least-squares solve).
     */
    public static INDArray loadings(INDArray x, INDArray w, int iterations, double sparsity) {
        Nd4jSetup.ensure();
        INDArray h = Nd4j.ones(x.dataType(), x.rows(), w.rows()).muli(Math.max(EPS, x.meanNumber().doubleValue()));
        for (int i = 0; i < iterations; i++) {
            h = updateLoadings(Transforms.relu(x, true), h, w, sparsity);
        }
        return h;
    }

    /** n×k codes from a row-major array. */
    static INDArray nonNegativeRows(float[] v, int n, int k) {
        return Nd4j.create(v, new long[] {n, k}, 'c');
    }

    /** H ← H ∘ (X Wᵀ) / (H W Wᵀ + λ). */
    private static INDArray updateLoadings(INDArray x, INDArray h, INDArray w, double sparsity) {
        INDArray num = x.mmul(w.transpose());
        INDArray den = h.mmul(w.mmul(w.transpose())).addi(sparsity + EPS);
        return h.muli(num.divi(den));
    }

    static double relativeError(INDArray x, INDArray h, INDArray w) {
        return h.mmul(w).subi(x).norm2Number().doubleValue() / Math.max(EPS, x.norm2Number().doubleValue());
    }

    static void requireNonNegative(INDArray x) {
        double min = x.minNumber().doubleValue();
        double max = x.maxNumber().doubleValue();
        if (min < -1e-6 * Math.max(1, Math.abs(max))) {
            throw new ModelException("NMF needs non-negative activations (a layer after a ReLU), but this one has "
                    + "values down to " + (float) min + ": use --method sae or pca, or a rectified layer");
        }
    }

    private static INDArray uniform(Random random, long rows, long cols, double scale) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((0.1 + random.nextDouble()) * scale);
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }
}
