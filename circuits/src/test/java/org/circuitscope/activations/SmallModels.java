package org.circuitscope.activations;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.TestGraphs;

/** Small hand-built models and images for the activations, examples and stimuli tests. */
public final class SmallModels {
    private SmallModels() {
    }

    /**
     * 3×32×32 → c1 (Conv 3→8, 3×3, pad 1) → r1 (Relu) → p1 (MaxPool 2×2, stride 2) → c2 (Conv 8→4, 3×3,
     * dilation 2, pad 2) → r2 → g (GlobalAveragePool) → f (Flatten) → logits (Gemm 4→3).
     */
    public static Model convNet() {
        byte[] bytes = new TestGraphs(5).opset(13).input("x", 1, 3, 32, 32)
                .weight("w1", 8, 3, 3, 3).weight("b1", 8)
                .node("Conv", list("x", "w1", "b1"), list("c1"), ints("pads", 1, 1, 1, 1),
                        ints("kernel_shape", 3, 3))
                .node("Relu", "c1", "r1")
                .node("MaxPool", "r1", "p1", ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .weight("w2", 4, 8, 3, 3)
                .node("Conv", list("p1", "w2"), list("c2"), ints("pads", 2, 2, 2, 2), ints("dilations", 2, 2))
                .node("Relu", "c2", "r2")
                .node("GlobalAveragePool", "r2", "g")
                .node("Flatten", "g", "f", integer("axis", 1))
                .weight("wf", 4, 3).weight("bf", 3)
                .node("Gemm", list("f", "wf", "bf"), list("logits"))
                .output("logits").bytes();
        return Model.fromOnnx(bytes, "convnet", null);
    }

    /** 3×56×56 → conv (Conv 3→64, 3×3, pad 1) → relu: a 64-channel 56×56 layer. */
    public static Model wide56() {
        byte[] bytes = new TestGraphs(6).opset(13).input("x", 1, 3, 56, 56)
                .weight("w", 64, 3, 3, 3).weight("b", 64)
                .node("Conv", list("x", "w", "b"), list("conv"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "conv", "relu")
                .output("relu").bytes();
        return Model.fromOnnx(bytes, "wide56", null);
    }

    /**
     * 3×size×size → line (Conv 3→1, k×k, pad k/2, a planted detector of dark lines at {@code degrees},
     * counter-clockwise from the x axis with y up) → relu.
     */
    public static Model lineDetector(double degrees, int size, int k) {
        return lineDetector(degrees, size, k, false);
    }

    /** The same detector, of bright lines on a dark background when {@code bright}. */
    public static Model lineDetector(double degrees, int size, int k, boolean bright) {
        float[] w = new float[3 * k * k];
        double t = Math.toRadians(degrees);
        double sum = 0;
        float[] plane = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double x = j - (k - 1) / 2.0;
                double y = (k - 1) / 2.0 - i;
                double across = Math.abs(-x * Math.sin(t) + y * Math.cos(t));
                double along = Math.abs(x * Math.cos(t) + y * Math.sin(t));
                double v = across <= 1.0 && along <= k / 2.0 ? 1 : 0;
                plane[i * k + j] = (float) v;
                sum += v;
            }
        }
        float mean = (float) (sum / (k * k));
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < k * k; p++) {
                // a dark line on a light background: negative weights on it; a bright one: positive
                w[c * k * k + p] = (bright ? 1 : -1) * (plane[p] - mean);
            }
        }
        byte[] bytes = new TestGraphs(7).opset(13).input("x", 1, 3, size, size)
                .floats("w", w, 1, 3, k, k)
                .node("Conv", list("x", "w"), list("line"), ints("pads", k / 2, k / 2, k / 2, k / 2))
                .node("Relu", "line", "relu")
                .output("relu").bytes();
        return Model.fromOnnx(bytes, (bright ? "brightline" : "line") + (int) degrees, null);
    }

    /** Seeded random RGB images. */
    public static List<BufferedImage> randomImages(int n, int size, long seed) {
        Random r = new Random(seed);
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(randomImage(r, size));
        }
        return out;
    }

    public static BufferedImage randomImage(Random r, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[size * size];
        for (int p = 0; p < px.length; p++) {
            px[p] = r.nextInt(1 << 24);
        }
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }
}
