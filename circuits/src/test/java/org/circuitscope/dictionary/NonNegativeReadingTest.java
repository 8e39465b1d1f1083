package org.circuitscope.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Unit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An NMF feature as a unit is its coefficient in the non-negative least-squares solve over all the dictionary's
 * features, not the rectified least-squares coefficient: checked by the solve's optimality (KKT) conditions on
 * vectors outside the dictionary's cone, where the two differ, and the engine's reading against the heap's and the
 * dictionary's codes.
 */
class NonNegativeReadingTest {
    static final int M = 6;
    static final int C = 10;

    /** Correlated non-negative unit rows (as NMF factors of a post-ReLU layer are). */
    static float[] factors(Random r) {
        float[] d = new float[M * C];
        for (int i = 0; i < M; i++) {
            double n = 0;
            for (int c = 0; c < C; c++) {
                float v = (float) (0.2 * r.nextDouble() + (c % M == i ? 1.0 : 0.0) + (c == (i + 1) % C ? 0.7 : 0));
                d[i * C + c] = v;
                n += v * v;
            }
            for (int c = 0; c < C; c++) {
                d[i * C + c] /= (float) Math.sqrt(n);
            }
        }
        return d;
    }

    /** The least-squares encoder (D Dᵀ)⁻¹ D, as the dictionary builds it. */
    static float[] leastSquares(float[] d) {
        var dm = Nd4j.create(d, new long[] {M, C}, 'c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var g = dm.mmul(dm.transpose());
        return org.nd4j.linalg.inverse.InvertMatrix.invert(g, false).mmul(dm)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Largest violation of the KKT conditions of min ‖x − Dᵀz‖² over z ≥ 0, relative to ‖D x‖. */
    static double kkt(float[] d, float[] x, float[] z) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < M; i++) {
            double g = 0;
            double dx = 0;
            for (int c = 0; c < C; c++) {
                double r = 0;
                for (int j = 0; j < M; j++) {
                    r += (double) d[j * C + c] * z[j];
                }
                g += d[i * C + c] * (r - x[c]);
                dx += d[i * C + c] * x[c];
            }
            scale = Math.max(scale, Math.abs(dx));
            worst = Math.max(worst, z[i] > 0 ? Math.abs(g) : Math.max(0, -g));
            assertTrue(z[i] >= 0);
        }
        return worst / Math.max(1e-12, scale);
    }

    @Test
    void nmfFeaturesReadTheNonNegativeSolve() {
        Random r = new Random(3);
        float[] d = factors(r);
        float[] enc = leastSquares(d);
        FeatureDictionary nmf = new FeatureDictionary("nmf", FeatureDictionary.Method.NMF, "planted", "layer", C, M,
                0, 0, enc, new float[M], d, new float[C], null);
        // vectors outside the cone: a mixture of two factors minus part of a third, clipped at zero as after a ReLU
        int n = 40;
        float[] xs = new float[n * C];
        int differs = 0;
        double worstExact = 0;
        double worstRectified = 0;
        for (int s = 0; s < n; s++) {
            int a = r.nextInt(M);
            int b = (a + 1 + r.nextInt(M - 1)) % M;
            int c3 = r.nextInt(M);
            float[] x = new float[C];
            for (int c = 0; c < C; c++) {
                x[c] = Math.max(0, (float) (1.5 * d[a * C + c] + 0.8 * d[b * C + c] - 0.9 * d[c3 * C + c]
                        + 0.05 * r.nextGaussian()));
            }
            System.arraycopy(x, 0, xs, s * C, C);
            float[] exact = new float[M];
            float[] rectified = new float[M];
            for (int i = 0; i < M; i++) {
                Unit.Feature f = nmf.feature(i);
                exact[i] = f.at(x, 0, 1, 0);
                double ls = 0;
                for (int c = 0; c < C; c++) {
                    ls += enc[i * C + c] * x[c];
                }
                rectified[i] = (float) Math.max(0, ls);
            }
            double e = kkt(d, x, exact);
            double q = kkt(d, x, rectified);
            worstExact = Math.max(worstExact, e);
            worstRectified = Math.max(worstRectified, q);
            differs += q > 1e-3 ? 1 : 0;
        }
        System.out.printf("KKT violation: non-negative solve %.2e, rectified least squares %.2e (%d of %d vectors "
                + "where the rectified reading is not the solve)%n", worstExact, worstRectified, differs, n);
        assertTrue(differs > n / 4, "the test vectors leave the cone: " + differs);
        assertTrue(worstExact < 1e-3, "the unit reads the solve: KKT violation " + worstExact);
        assertTrue(worstRectified > 10 * worstExact);

        // the engine's map, the heap's reading and the dictionary's codes agree
        float[][] codes = nmf.encode(Nd4j.create(xs, new long[] {n, C}, 'c')).toFloatMatrix();
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray a = m.create(xs, new Shape(n, C));
            NDArray maps = nmf.maps(a);
            float[] fromMaps = maps.toFloatArray();
            for (int i = 0; i < M; i++) {
                float[] one = nmf.feature(i).map(a).toFloatArray();
                for (int s = 0; s < n; s++) {
                    float heap = nmf.feature(i).at(xs, s * C, 1, 0);
                    assertEquals(heap, one[s], 1e-4f);
                    assertEquals(heap, fromMaps[s * M + i], 1e-4f);
                    assertEquals(heap, codes[s][i], 1e-4f);
                }
            }
            // spatial maps too: N×C×H×W gives N×M×H×W
            NDArray spatial = a.reshape(2, 20, C).transpose(0, 2, 1).reshape(2, C, 4, 5);
            assertEquals(new Shape(2, M, 4, 5), nmf.maps(spatial).getShape());
            assertEquals(nmf.feature(2).at(xs, 0, 1, 0), nmf.feature(2).map(spatial).getFloat(0, 0, 0), 1e-4f);
        }
    }
}
