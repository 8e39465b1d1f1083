package org.circuitscope.weights;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;

import java.util.Random;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.TestGraphs;

/**
 * Hand-built networks with planted weights, for tests of weights, expanded weights and circuits.
 *
 * <p>{@link #fire()}: a SqueezeNet-like fire module and more, on a 3×16×16 input:
 * <pre>
 * x → conv1 (4, 3×3 pad 1) → relu1 → squeeze (2, 1×1, weights S) → squeeze_relu
 *   → expand1 (3, 1×1, E1) → e1_relu ┐
 *   → expand3 (3, 3×3 pad 1, E3) → e3_relu ┴→ cat (6) → pool (max 2×2 /2) → conv2 (2, 3×3 pad 1, W2) → out
 * </pre>
 * {@code W2} channel 0's kernels are {@link #SCALES}[i] × a positive pattern, so its inputs ranked by L2 norm are
 * cat:1 (−), cat:4 (+), cat:2 (+), cat:5 (−), cat:0 (+), cat:3 (−).
 */
public final class PlantedModels {
    static final float[] S = {0.5f, -1.0f, 0.25f, 2.0f, /* row 1 */ -0.75f, 0.5f, 1.5f, -0.25f};
    static final float[] SCALES = {0.2f, -0.9f, 0.5f, -0.05f, 0.7f, -0.3f};
    static final float[] PATTERN = {1, 2, 1, 2, 4, 2, 1, 2, 1};

    private PlantedModels() {
    }

    static float[] e1() {
        return new float[] {1.0f, 2.0f, -1.0f, 0.5f, 0.0f, -3.0f};
    }

    static float[] e3() {
        float[] v = new float[3 * 2 * 9];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 7) % 11 - 5) / 4.0f;
        }
        return v;
    }

    static float[] w2() {
        float[] v = new float[2 * 6 * 9];
        for (int i = 0; i < 6; i++) {
            for (int k = 0; k < 9; k++) {
                v[i * 9 + k] = SCALES[i] * PATTERN[k] / 4;
            }
        }
        Random r = new Random(3);
        for (int k = 54; k < v.length; k++) {
            v[k] = (float) r.nextGaussian() * 0.3f;
        }
        return v;
    }

    public static Model fire() {
        byte[] bytes = new TestGraphs(11).input("x", 1, 3, 16, 16)
                .weight("w1", 4, 3, 3, 3).weight("b1", 4)
                .node("Conv", list("x", "w1", "b1"), list("conv1"), ints("pads", 1, 1, 1, 1),
                        ints("kernel_shape", 3, 3))
                .node("Relu", "conv1", "relu1")
                .floats("s", S, 2, 4, 1, 1).positive("sb", 2)
                .node("Conv", list("relu1", "s", "sb"), list("squeeze"), ints("kernel_shape", 1, 1))
                .node("Relu", "squeeze", "squeeze_relu")
                .floats("e1", e1(), 3, 2, 1, 1).weight("e1b", 3)
                .node("Conv", list("squeeze_relu", "e1", "e1b"), list("expand1"), ints("kernel_shape", 1, 1))
                .node("Relu", "expand1", "e1_relu")
                .floats("e3", e3(), 3, 2, 3, 3).weight("e3b", 3)
                .node("Conv", list("squeeze_relu", "e3", "e3b"), list("expand3"), ints("pads", 1, 1, 1, 1),
                        ints("kernel_shape", 3, 3))
                .node("Relu", "expand3", "e3_relu")
                .node("Concat", list("e1_relu", "e3_relu"), list("cat"), integer("axis", 1))
                .node("MaxPool", "cat", "pool", ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .floats("w2", w2(), 2, 6, 3, 3).weight("b2", 2)
                .node("Conv", list("pool", "w2", "b2"), list("out"), ints("pads", 1, 1, 1, 1),
                        ints("kernel_shape", 3, 3))
                .output("out").bytes();
        return Model.fromOnnx(bytes, "planted", InputSpec.rgb01(16));
    }

    /**
     * An InceptionV1-style network: stem conv → relu, then a mixed block (1×1; 1×1 reduce → 3×3; 1×1 reduce → 5×5;
     * 3×3 max pool stride 1 → 1×1 projection) concatenated, then a second mixed block of the same shape.
     */
    public static Model inception() {
        TestGraphs g = new TestGraphs(5).input("x", 1, 3, 20, 20)
                .weight("w0", 8, 3, 3, 3).weight("b0", 8)
                .node("Conv", list("x", "w0", "b0"), list("stem"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .node("Relu", "stem", "stem_relu");
        String in = "stem_relu";
        int cin = 8;
        for (String m : new String[] {"mixed3a", "mixed3b"}) {
            g.weight(m + "_1x1_w", 4, cin, 1, 1).weight(m + "_1x1_b", 4)
                    .node("Conv", list(in, m + "_1x1_w", m + "_1x1_b"), list(m + "_1x1"))
                    .node("Relu", m + "_1x1", m + "_1x1_relu")
                    .weight(m + "_3x3r_w", 3, cin, 1, 1).weight(m + "_3x3r_b", 3)
                    .node("Conv", list(in, m + "_3x3r_w", m + "_3x3r_b"), list(m + "_3x3_bottleneck"))
                    .node("Relu", m + "_3x3_bottleneck", m + "_3x3_bottleneck_relu")
                    .weight(m + "_3x3_w", 5, 3, 3, 3).weight(m + "_3x3_b", 5)
                    .node("Conv", list(m + "_3x3_bottleneck_relu", m + "_3x3_w", m + "_3x3_b"), list(m + "_3x3"),
                            ints("pads", 1, 1, 1, 1))
                    .node("Relu", m + "_3x3", m + "_3x3_relu")
                    .weight(m + "_5x5r_w", 2, cin, 1, 1).weight(m + "_5x5r_b", 2)
                    .node("Conv", list(in, m + "_5x5r_w", m + "_5x5r_b"), list(m + "_5x5_bottleneck"))
                    .node("Relu", m + "_5x5_bottleneck", m + "_5x5_bottleneck_relu")
                    .weight(m + "_5x5_w", 3, 2, 5, 5).weight(m + "_5x5_b", 3)
                    .node("Conv", list(m + "_5x5_bottleneck_relu", m + "_5x5_w", m + "_5x5_b"), list(m + "_5x5"),
                            ints("pads", 2, 2, 2, 2))
                    .node("Relu", m + "_5x5", m + "_5x5_relu")
                    .node("MaxPool", in, m + "_pool", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))
                    .weight(m + "_pp_w", 2, cin, 1, 1).weight(m + "_pp_b", 2)
                    .node("Conv", list(m + "_pool", m + "_pp_w", m + "_pp_b"), list(m + "_pool_reduce"))
                    .node("Relu", m + "_pool_reduce", m + "_pool_reduce_relu")
                    .node("Concat", list(m + "_1x1_relu", m + "_3x3_relu", m + "_5x5_relu", m + "_pool_reduce_relu"),
                            list(m), integer("axis", 1));
            in = m;
            cin = 14;
        }
        return Model.fromOnnx(g.output("mixed3b").bytes(), "inception-like", InputSpec.rgb01(20));
    }
}
