package org.circuitscope.dictionary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.circuitscope.model.Model;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.PlantedModels;
import org.junit.jupiter.api.Test;

/**
 * Virtual weights on the planted fire model: squeeze_relu (2 channels) → expand3 (3 channels, a 3×3 convolution
 * with planted kernel), with hand-made dictionaries on both sides.
 */
class VirtualWeightsTest {

    static FeatureDictionary handMade(String name, String layer, int channels, float[][] rows) {
        int size = rows.length;
        float[] flat = new float[size * channels];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows[i], 0, flat, i * channels, channels);
        }
        return new FeatureDictionary(name, FeatureDictionary.Method.SAE, "planted", layer, channels, size, 1, 0, flat.clone(),
                new float[size], flat.clone(), new float[channels], null);
    }

    @Test
    void equalTheHandComputedProductOfDecoderKernelAndEncoder() {
        // lower: three features in squeeze_relu's 2 channels (more features than channels); upper: two in 3
        float[][] dec = {{1, 0}, {0.6f, 0.8f}, {-0.5f, 2}};
        float[][] enc = {{1, -1, 0.5f}, {0, 2, 1}};
        FeatureDictionary lower = handMade("lo", "squeeze_relu", 2, dec);
        FeatureDictionary upper = handMade("up", "e3_relu", 3, enc);
        try (Model model = PlantedModels.fire()) {
            Tensor k = model.weights("expand3"); // 3×2×3×3
            VirtualWeights v = VirtualWeights.between(model, null, lower, null, upper);
            assertEquals(3, v.kernelHeight());
            assertEquals(2, v.upperFeatures());
            assertEquals(3, v.lowerFeatures());
            float[] w = k.data();
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 3; i++) {
                    float[] expected = new float[9];
                    for (int q = 0; q < 9; q++) {
                        double s = 0;
                        for (int o = 0; o < 3; o++) {
                            for (int c = 0; c < 2; c++) {
                                s += enc[j][o] * w[(o * 2 + c) * 9 + q] * dec[i][c];
                            }
                        }
                        expected[q] = (float) s;
                    }
                    assertArrayEquals(expected, v.kernel(j, i), 1e-5f, "V[" + j + "][" + i + "]");
                }
            }
            // neurons on both sides: the convolution's own kernel
            VirtualWeights plain = VirtualWeights.between(model, "squeeze_relu", null, "e3_relu", null);
            float[] k12 = java.util.Arrays.copyOfRange(w, (1 * 2 + 0) * 9, (1 * 2 + 0) * 9 + 9);
            assertArrayEquals(k12, plain.kernel(1, 0), 1e-6f);
            int[] strongest = v.into(1, 3).strongestInto(1, 3);
            assertEquals(3, strongest.length);
            assertTrue(v.representations().get("image/png") instanceof BufferedImage);
        }
    }
}
