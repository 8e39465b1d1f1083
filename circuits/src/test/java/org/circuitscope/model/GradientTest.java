package org.circuitscope.model;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.circuitscope.onnx.TestGraphs.real;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Set;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Input gradients agree with central finite differences, and taking them leaves the weights untouched. */
class GradientTest {

    private static Model smallModel() {
        byte[] bytes = new TestGraphs(11).opset(13).input("x", 1, 3, 9, 9)
                .weight("w1", 4, 3, 3, 3).weight("b1", 4)
                .node("Conv", list("x", "w1", "b1"), list("c1"), ints("pads", 1, 1, 1, 1))
                .node("Tanh", "c1", "t1")
                .node("LRN", "t1", "n1", integer("size", 3), real("alpha", 0.3f))
                .weight("w2", 5, 4, 3, 3)
                .node("Conv", list("n1", "w2"), list("c2"), ints("strides", 2, 2))
                .node("AveragePool", "c2", "p2", ints("kernel_shape", 2, 2), ints("pads", 1, 1, 1, 1),
                        integer("count_include_pad", 1))
                .node("Sigmoid", "p2", "y")
                .output("y").bytes();
        // Mean and std make the preprocessing part of what is differentiated.
        InputSpec spec = new InputSpec(9, 9, true, 0, 2, new float[] {0.3f, 0.5f, 0.7f}, new float[] {1.5f, 2f, 0.5f});
        return Model.fromOnnx(bytes, "small", spec);
    }

    /** A weighted sum of one layer's values: a generic smooth objective. */
    private static Objective weightedSum(String layer) {
        return new Objective() {
            @Override
            public Set<String> layers() {
                return Set.of(layer);
            }

            @Override
            public NDArray value(Map<String, NDArray> acts) {
                NDArray a = acts.get(layer);
                NDArray w = a.getManager().arange(0f, (float) a.getShape().size()).reshape(a.getShape()).sin();
                return a.mul(w).sum();
            }
        };
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        try (Model model = smallModel()) {
            Tensor x = TestGraphs.random(5, 1, 3, 9, 9);
            Objective objective = weightedSum("y");
            GradientResult g = model.gradient(x, objective);
            assertArrayEquals(x.shape(), g.gradient().shape());
            double eps = 1e-2;
            int[] probes = {0, 17, 40, 81, 100, 150, 200, 242};
            for (int i : probes) {
                float orig = x.data()[i];
                x.data()[i] = (float) (orig + eps);
                float up = model.gradient(x, objective).value();
                x.data()[i] = (float) (orig - eps);
                float down = model.gradient(x, objective).value();
                x.data()[i] = orig;
                double numeric = (up - down) / (2 * eps);
                double analytic = g.gradient().data()[i];
                assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric),
                        "d objective / d x[" + i + "]");
            }
        }
    }

    @Test
    void gradientsLeaveWeightsUnchanged() {
        try (Model model = smallModel()) {
            Tensor w1 = model.weights("c1");
            Tensor w2 = model.weights("c2");
            Tensor x = TestGraphs.random(6, 2, 3, 9, 9);
            Tensor before = model.run(x, "y").get("y");
            for (int i = 0; i < 5; i++) {
                model.gradient(x, weightedSum("c2"));
            }
            assertArrayEquals(w1.data(), model.weights("c1").data());
            assertArrayEquals(w2.data(), model.weights("c2").data());
            assertArrayEquals(before.data(), model.run(x, "y").get("y").data());
        }
    }

    @Test
    void perImageObjectiveGivesIndependentGradients() {
        try (Model model = smallModel()) {
            Tensor a = TestGraphs.random(8, 1, 3, 9, 9);
            Tensor b = TestGraphs.random(9, 1, 3, 9, 9);
            Tensor both = new Tensor(new long[] {2, 3, 9, 9}, concat(a.data(), b.data()));
            Tensor gBoth = model.gradient(both, weightedSumPerImage("y")).gradient();
            Tensor gA = model.gradient(a, weightedSumPerImage("y")).gradient();
            for (int i = 0; i < gA.size(); i++) {
                assertEquals(gA.data()[i], gBoth.data()[i], 1e-5);
            }
            assertTrue(gBoth.slice(1).max() != 0);
        }
    }

    private static Objective weightedSumPerImage(String layer) {
        return new Objective() {
            @Override
            public Set<String> layers() {
                return Set.of(layer);
            }

            @Override
            public NDArray value(Map<String, NDArray> acts) {
                NDArray a = acts.get(layer);
                return a.square().reshape(a.getShape().get(0), -1).sum(new int[] {1});
            }
        };
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = new float[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
