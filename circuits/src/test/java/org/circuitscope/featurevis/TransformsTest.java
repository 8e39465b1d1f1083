package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.circuitscope.featurevis.transform.Transform;
import org.circuitscope.featurevis.transform.Transforms;
import org.circuitscope.model.DjlSetup;
import org.junit.jupiter.api.Test;

/** Pad, jitter, scale and rotate: shapes, exact cases, and gradients that reach the input. */
class TransformsTest {

    @Test
    void rotationByAQuarterTurnMovesPixelsExactly() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            float[] v = new float[9];
            for (int i = 0; i < 9; i++) {
                v[i] = i;
            }
            NDArray x = m.create(v, new Shape(1, 1, 3, 3));
            float[] r = Transforms.rotate(x, Math.PI / 2).toFloatArray();
            // output (y, x) reads the source at R(-θ)(p - c) + c: for θ = 90°, (2 - x, y)
            float[] expected = {6, 3, 0, 7, 4, 1, 8, 5, 2};
            assertArrayEquals(expected, r, 1e-5f);
            assertArrayEquals(v, Transforms.rotate(x, 0).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void resizeIsBilinearWithHalfPixelCentres() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 1, 4));
            NDArray up = Transforms.resize(x, 1, 8);
            assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3}, up.toFloatArray(), 1e-5f);
            NDArray y = m.randomUniform(0, 1, new Shape(2, 3, 20, 24));
            assertEquals(new Shape(2, 3, 22, 26), Transforms.resize(y, 22, 26).getShape());
        }
    }

    @Test
    void aDownscaleIsPlainBilinearNotAntialiased() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            // 8 -> 6 columns: output o reads the input at (o + 0.5)·8/6 − 0.5, between its two neighbours only (an
            // antialiasing filter would also weigh in a third pixel and give other values)
            float[] v = {0, 0, 0, 8, 0, 0, 0, 0};
            float[] got = Transforms.resize(m.create(v, new Shape(1, 1, 1, 8)), 1, 6).toFloatArray();
            for (int o = 0; o < 6; o++) {
                double src = Math.max(0, (o + 0.5) * 8 / 6.0 - 0.5);
                int i0 = (int) Math.floor(src);
                int i1 = Math.min(i0 + 1, 7);
                double t = src - i0;
                assertEquals((1 - t) * v[i0] + t * v[i1], got[o], 1e-5, "output " + o);
            }
        }
    }

    @Test
    void scaleRotateIsScaleThenRotateInOneResampling() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            // a smooth image, where one resampling and two differ by little more than rounding
            int n = 48;
            float[] v = new float[3 * n * n];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        v[(c * n + i) * n + j] = (float) (0.5 + 0.4 * Math.sin(i / 7.0 + c) * Math.cos(j / 9.0));
                    }
                }
            }
            NDArray x = m.create(v, new Shape(1, 3, n, n));
            double[] factors = {0.9, 1.1};
            double[] degrees = {-10, 7};
            Transform fused = Transforms.scaleRotate(factors, degrees);
            Transform apart = Transforms.compose(Transforms.scale(factors), Transforms.rotate(degrees));
            assertEquals(apart.toString(), fused.toString());
            assertEquals(apart.minOutputSize(n), fused.minOutputSize(n));
            for (int k = 0; k < 6; k++) {
                org.circuitscope.featurevis.transform.Transform.Placed a = apart.place(x, new Random(k));
                org.circuitscope.featurevis.transform.Transform.Placed b = fused.place(x, new Random(k));
                assertEquals(a.images().getShape(), b.images().getShape(), "draw " + k);
                assertEquals(a.placement(), b.placement(), "draw " + k);
                // away from the border, where the two clamp differently
                long side = a.images().getShape().get(2);
                String inner = "0, :, 4:" + (side - 4) + ", 4:" + (side - 4);
                float[] p = a.images().get(inner).toFloatArray();
                float[] q = b.images().get(inner).toFloatArray();
                // each bilinear pass errs by up to f''/8 on a curved image (f'' ≈ 0.4/49 here): two passes against one
                double sum = 0;
                for (int i = 0; i < p.length; i++) {
                    assertEquals(p[i], q[i], 5e-3, "draw " + k + ", value " + i);
                    sum += Math.abs(p[i] - q[i]);
                }
                assertTrue(sum / p.length < 1e-3, "draw " + k + ": mean difference " + sum / p.length);
            }
            // no turn: exactly the resize
            NDArray only = Transforms.scaleRotate(new double[] {0.9}, new double[] {0}).apply(x, new Random(0));
            assertArrayEquals(Transforms.resize(x, 43, 43).toFloatArray(), only.toFloatArray(), 0f);
        }
    }

    @Test
    void standardTransformsKeepGradientsAndShrinkPredictably() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 32, 32));
            x.setRequiresGradient(true);
            Random r = new Random(0);
            int min = Transforms.standard().minOutputSize(32);
            assertEquals((int) Math.floor((32 + 24 - 8) * 0.9) - 4, min);
            for (int i = 0; i < 5; i++) {
                try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                    NDArray y = Transforms.standard().apply(x, r);
                    long side = y.getShape().get(2);
                    assertTrue(side >= min && side <= (32 + 24 - 8) * 1.1, "side " + side);
                    gc.backward(y.sum());
                }
                float[] g = x.getGradient().toFloatArray();
                double total = 0;
                for (float f : g) {
                    total += f;
                }
                assertTrue(total > 100, "gradient reaches the input: " + total);
            }
        }
    }

    /** The centre of mass (x, y) of the bright pixels of image 0, channel 0, in continuous coordinates. */
    private static double[] spot(NDArray img) {
        long h = img.getShape().get(2);
        long w = img.getShape().get(3);
        float[] v = img.get("0, 0").toFloatArray();
        double sx = 0;
        double sy = 0;
        double s = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double a = Math.max(0, v[i * (int) w + j] - 0.5);
                sx += a * (j + 0.5);
                sy += a * (i + 0.5);
                s += a;
            }
        }
        return new double[] {sx / s, sy / s};
    }

    @Test
    void placementSaysWhereTheStandardTransformsPutAPoint() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            // a bright 3x3 spot centred on (x, y) = (40.5, 12.5) of a grey 64x64 image
            float[] v = new float[3 * 64 * 64];
            java.util.Arrays.fill(v, 0.5f);
            for (int c = 0; c < 3; c++) {
                for (int i = 11; i <= 13; i++) {
                    for (int j = 39; j <= 41; j++) {
                        v[c * 4096 + i * 64 + j] = 1f;
                    }
                }
            }
            NDArray x = m.create(v, new Shape(1, 3, 64, 64));
            Random r = new Random(5);
            int turned = 0;
            for (int k = 0; k < 12; k++) {
                org.circuitscope.featurevis.transform.Transform.Placed p = Transforms.standard().place(x, r);
                double[] expected = p.placement().apply(40.5, 12.5);
                double[] found = spot(p.images());
                assertEquals(expected[0], found[0], 0.35, "x, draw " + k + ": " + p.placement());
                assertEquals(expected[1], found[1], 0.35, "y, draw " + k + ": " + p.placement());
                turned += Math.abs(p.placement().xy()) > 1e-9 ? 1 : 0;
                // apply and place draw alike: the same seed gives the same images
                Random a = new Random(k);
                Random b = new Random(k);
                assertArrayEquals(Transforms.standard().apply(x, a).toFloatArray(),
                        Transforms.standard().place(x, b).images().toFloatArray(), 0f);
            }
            assertTrue(turned > 0, "some draws rotate");
        }
    }
}
