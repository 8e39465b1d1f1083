package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
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
}
