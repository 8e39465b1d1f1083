package org.circuitscope.onnx;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.circuitscope.onnx.TestGraphs.real;
import static org.circuitscope.onnx.TestGraphs.string;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each imported op computes what ONNX Runtime computes for the same graph (the ONNX reference semantics). */
class OnnxOpsTest {
    private static final int H = 13;
    private static final int W = 11;

    /** Builds a graph from input "x" (2×3×13×11) to output "y", runs it both ways and compares. */
    private static void check(String what, int opset, Consumer<TestGraphs> body) throws Exception {
        TestGraphs g = new TestGraphs(what.hashCode()).opset(opset).input("x", 2, 3, H, W);
        body.accept(g);
        g.output("y");
        byte[] bytes = g.bytes();
        Tensor x = TestGraphs.random(7, 2, 3, H, W);
        Tensor expected = TestGraphs.runOrt(bytes, "x", x, List.of("y")).get("y");
        try (Model m = Model.fromOnnx(bytes, what, InputSpec.rgb01(H).withSize(H, W))) {
            Tensor actual = m.run(x, "y").get("y");
            assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
            double err = TestGraphs.relativeError(actual, expected);
            assertTrue(err < 1e-5, what + ": relative error " + err);
        }
    }

    private static void check(String what, Consumer<TestGraphs> body) throws Exception {
        check(what, 13, body);
    }

    @Test
    void convolutions() throws Exception {
        check("conv pads strides", g -> g.weight("w", 4, 3, 3, 3).weight("b", 4)
                .node("Conv", list("x", "w", "b"), list("y"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2)));
        check("conv dilated asymmetric pads no bias", g -> g.weight("w", 5, 3, 3, 3)
                .node("Conv", list("x", "w"), list("y"), ints("pads", 0, 2, 1, 1), ints("dilations", 2, 2)));
        check("conv depthwise", g -> g.weight("w", 6, 1, 3, 3)
                .node("Conv", list("x", "w"), list("y"), integer("group", 3), ints("pads", 1, 1, 1, 1)));
        check("conv same upper stride 2", g -> g.weight("w", 4, 3, 4, 4)
                .node("Conv", list("x", "w"), list("y"), string("auto_pad", "SAME_UPPER"), ints("strides", 2, 2)));
        check("conv same lower", g -> g.weight("w", 4, 3, 2, 2)
                .node("Conv", list("x", "w"), list("y"), string("auto_pad", "SAME_LOWER")));
        check("conv valid 1x1", g -> g.weight("w", 7, 3, 1, 1).weight("b", 7)
                .node("Conv", list("x", "w", "b"), list("y"), string("auto_pad", "VALID")));
    }

    @Test
    void pooling() throws Exception {
        check("maxpool ceil", g -> g.node("MaxPool", "x", "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                integer("ceil_mode", 1)));
        check("maxpool pads", g -> g.node("MaxPool", "x", "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1)));
        check("maxpool asymmetric", g -> g.node("MaxPool", "x", "y", ints("kernel_shape", 2, 2),
                ints("pads", 0, 0, 1, 1)));
        check("maxpool same upper", g -> g.node("MaxPool", "x", "y", ints("kernel_shape", 3, 3),
                ints("strides", 2, 2), string("auto_pad", "SAME_UPPER")));
        check("avgpool exclude pad", g -> g.node("AveragePool", "x", "y", ints("kernel_shape", 3, 3),
                ints("pads", 1, 1, 1, 1)));
        check("avgpool include pad", g -> g.node("AveragePool", "x", "y", ints("kernel_shape", 3, 3),
                ints("pads", 1, 1, 1, 1), integer("count_include_pad", 1), ints("strides", 2, 2)));
        check("avgpool asymmetric exclude pad", g -> g.node("AveragePool", "x", "y", ints("kernel_shape", 2, 2),
                ints("pads", 1, 0, 0, 1)));
        check("global average", g -> g.node("GlobalAveragePool", "x", "y"));
        check("global max", g -> g.node("GlobalMaxPool", "x", "y"));
    }

    @Test
    void normalisation() throws Exception {
        check("lrn 5", g -> g.node("LRN", "x", "y", integer("size", 5), real("alpha", 0.2f), real("beta", 0.75f),
                real("bias", 2f)));
        check("lrn 3", g -> g.node("LRN", "x", "y", integer("size", 3), real("alpha", 0.5f)));
        check("batchnorm", g -> g.weight("s", 3).weight("b", 3).weight("m", 3).positive("v", 3)
                .node("BatchNormalization", list("x", "s", "b", "m", "v"), list("y"), real("epsilon", 1e-3f)));
    }

    @Test
    void activations() throws Exception {
        check("relu", g -> g.node("Relu", "x", "y"));
        check("leaky", g -> g.floats("c", new float[] {0.5f}).node("Sub", list("x", "c"), list("d"))
                .node("LeakyRelu", "d", "y", real("alpha", 0.2f)));
        check("sigmoid", g -> g.node("Sigmoid", "x", "y"));
        check("tanh", g -> g.node("Tanh", "x", "y"));
        check("clip inputs", g -> g.floats("lo", new float[] {0.2f}).floats("hi", new float[] {0.6f})
                .node("Clip", list("x", "lo", "hi"), list("y")));
        check("clip attributes opset 6", 6, g -> g.node("Clip", "x", "y", real("min", 0.1f), real("max", 0.7f)));
        check("softmax", g -> g.node("Softmax", "x", "y", integer("axis", 1)));
        check("softmax opset 11 coerced", 11, g -> g.node("Softmax", "x", "y", integer("axis", 1)));
    }

    @Test
    void arithmeticAndStructure() throws Exception {
        check("broadcast arithmetic", g -> g.weight("a", 1, 3, 1, 1).weight("b", 1, 1, 1, W).positive("c", 3, 1, 1)
                .node("Add", list("x", "a"), list("p")).node("Mul", list("p", "b"), list("q"))
                .node("Div", list("q", "c"), list("r")).node("Sub", list("r", "x"), list("y")));
        check("concat dropout identity", g -> g.node("Relu", "x", "r").node("Dropout", "x", "d")
                .node("Identity", "d", "i").node("Concat", list("r", "i"), list("y"), integer("axis", 1)));
        check("transpose", g -> g.node("Transpose", "x", "y", ints("perm", 0, 2, 3, 1)));
        check("pad opset 13", g -> g.longs("p", new long[] {0, 0, 1, 2, 0, 0, 3, 0}, 8)
                .floats("v", new float[] {0.25f}).node("Pad", list("x", "p", "v"), list("y")));
        check("pad opset 2", 2, g -> g.node("Pad", "x", "y", ints("pads", 0, 0, 1, 0, 0, 1, 0, 2),
                real("value", -1f)));
        check("squeeze unsqueeze", g -> g.longs("a", new long[] {1}, 1).longs("b", new long[] {2}, 1)
                .node("GlobalAveragePool", "x", "gap").node("Squeeze", list("gap", "b"), list("s"))
                .node("Unsqueeze", list("s", "b"), list("y")));
    }

    @Test
    void classifierHeads() throws Exception {
        check("flatten gemm", g -> g.weight("w", 5, 3 * H * W).weight("b", 5)
                .node("Flatten", "x", "f").node("Gemm", list("f", "w", "b"), list("y"), integer("transB", 1),
                        real("alpha", 0.5f), real("beta", 2f)));
        check("matmul", g -> g.weight("w", W, 4).node("MatMul", list("x", "w"), list("y")));
        // The Shape/Gather/Unsqueeze/Concat/Reshape pattern PyTorch's exporter writes around flatten.
        check("shape gather reshape", g -> g.longs("zero", new long[] {0}).longs("minus", new long[] {-1}, 1)
                .longs("ax", new long[] {0}, 1)
                .node("Shape", "x", "s").node("Gather", list("s", "zero"), list("n"), integer("axis", 0))
                .node("Unsqueeze", list("n", "ax"), list("nu"))
                .node("Concat", list("nu", "minus"), list("shape"), integer("axis", 0))
                .node("Reshape", list("x", "shape"), list("flat"))
                .weight("w", 4, 3 * H * W).node("Gemm", list("flat", "w"), list("y"), integer("transB", 1)));
        check("reshape zero copies", g -> g.longs("shape", new long[] {0, 0, -1}, 3)
                .node("Reshape", list("x", "shape"), list("y")));
    }
}
