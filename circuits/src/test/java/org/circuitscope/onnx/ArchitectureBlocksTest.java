package org.circuitscope.onnx;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.circuitscope.onnx.TestGraphs.real;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The building blocks of the common vision CNNs, written the way their ONNX exports write them, compute what ONNX
 * Runtime computes. (The networks themselves are downloads we cannot make here; SqueezeNet is checked whole.)
 */
class ArchitectureBlocksTest {
    private static final int S = 20;

    private static void check(String what, int opset, List<String> layers, Consumer<TestGraphs> body)
            throws Exception {
        TestGraphs g = new TestGraphs(what.hashCode()).opset(opset).input("x", 1, 3, S, S);
        body.accept(g);
        g.output(layers.get(layers.size() - 1));
        Tensor x = TestGraphs.random(3, 1, 3, S, S);
        var reference = TestGraphs.runOrt(TestGraphs.exposeAll(g.model(), layers), "x", x, layers);
        try (Model m = Model.fromOnnx(g.bytes(), what, InputSpec.rgb01(S))) {
            var ours = m.run(x, layers.toArray(String[]::new));
            for (String l : layers) {
                assertArrayEquals(reference.get(l).shape(), ours.get(l).shape(), what + " " + l);
                double err = TestGraphs.relativeError(ours.get(l), reference.get(l));
                assertTrue(err < 1e-5, what + " " + l + ": relative error " + err);
            }
        }
    }

    @Test
    void resnetBasicBlockWithBatchNormAndShortcut() throws Exception {
        check("resnet", 13, List.of("stem", "pool", "bn1", "block", "gap", "flat", "fc"), g -> g
                .weight("w0", 8, 3, 7, 7).node("Conv", list("x", "w0"), list("stem_pre"), ints("strides", 2, 2),
                        ints("pads", 3, 3, 3, 3))
                .node("Relu", "stem_pre", "stem")
                .node("MaxPool", "stem", "pool", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1))
                .weight("w1", 8, 8, 3, 3).node("Conv", list("pool", "w1"), list("c1"), ints("pads", 1, 1, 1, 1))
                .weight("g1", 8).weight("b1", 8).weight("m1", 8).positive("v1", 8)
                .node("BatchNormalization", list("c1", "g1", "b1", "m1", "v1"), list("bn1"))
                .node("Relu", "bn1", "r1")
                .weight("w2", 8, 8, 3, 3).node("Conv", list("r1", "w2"), list("c2"), ints("pads", 1, 1, 1, 1))
                .node("Add", list("c2", "pool"), list("sum")).node("Relu", "sum", "block")
                .node("GlobalAveragePool", "block", "gap").node("Flatten", "gap", "flat")
                .weight("fcw", 10, 8).weight("fcb", 10)
                .node("Gemm", list("flat", "fcw", "fcb"), list("fc"), integer("transB", 1)));
    }

    @Test
    void mobilenetV2InvertedResidualWithDepthwiseAndRelu6() throws Exception {
        check("mobilenetv2", 13, List.of("expand", "dw", "project", "out", "pooled", "logits"), g -> g
                .weight("we", 12, 3, 1, 1).weight("be", 12)
                .node("Conv", list("x", "we", "be"), list("e"))
                .floats("zero", new float[] {0f}).floats("six", new float[] {6f})
                .node("Clip", list("e", "zero", "six"), list("expand"))
                .weight("wd", 12, 1, 3, 3).weight("bd", 12)
                .node("Conv", list("expand", "wd", "bd"), list("d"), integer("group", 12), ints("pads", 1, 1, 1, 1))
                .node("Clip", list("d", "zero", "six"), list("dw"))
                .weight("wp", 3, 12, 1, 1).node("Conv", list("dw", "wp"), list("project"))
                .node("Add", list("x", "project"), list("out"))
                .node("ReduceMean", "out", "pooled", ints("axes", 2, 3), integer("keepdims", 0))
                .weight("fc", 3, 5).node("MatMul", list("pooled", "fc"), list("logits")));
    }

    @Test
    void mobilenetV1DepthwiseSeparableStride2() throws Exception {
        check("mobilenetv1", 11, List.of("dw", "pw", "pool"), g -> g
                .weight("wd", 3, 1, 3, 3).node("Conv", list("x", "wd"), list("d"), integer("group", 3),
                        ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))
                .node("Clip", "d", "dw")
                .weight("wp", 16, 3, 1, 1).node("Conv", list("dw", "wp"), list("p"))
                .node("Relu", "p", "pw")
                .node("AveragePool", "pw", "pool", ints("kernel_shape", 10, 10)));
    }

    @Test
    void alexnetAndVggFeaturesAndHead() throws Exception {
        check("alexnet", 13, List.of("c1", "norm1", "pool1", "c2", "pool2", "flat", "fc1", "fc2"), g -> g
                .weight("w1", 6, 3, 5, 5).weight("b1", 6)
                .node("Conv", list("x", "w1", "b1"), list("c1pre"), ints("strides", 2, 2), ints("pads", 2, 2, 2, 2))
                .node("Relu", "c1pre", "c1")
                .node("LRN", "c1", "norm1", integer("size", 5), real("alpha", 1e-4f), real("beta", 0.75f))
                .node("MaxPool", "norm1", "pool1", ints("kernel_shape", 3, 3), ints("strides", 2, 2))
                .weight("w2", 8, 6, 3, 3).node("Conv", list("pool1", "w2"), list("c2pre"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "c2pre", "c2")
                .node("MaxPool", "c2", "pool2", ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .node("Flatten", "pool2", "flat")
                .node("Dropout", "flat", "drop")
                .weight("fw1", 12, 8 * 2 * 2).weight("fb1", 12)
                .node("Gemm", list("drop", "fw1", "fb1"), list("fc1pre"), integer("transB", 1))
                .node("Relu", "fc1pre", "fc1")
                .weight("fw2", 12, 7).node("Gemm", list("fc1", "fw2"), list("fc2")));
    }

    @Test
    void googlenetInceptionModuleAsTheModelZooWritesIt() throws Exception {
        // Caffe2-exported GoogLeNet (opset 7 era): explicit pads, LRN, concat of four branches, a Reshape with a
        // constant shape, Gemm and Softmax.
        check("googlenet", 9, List.of("b1", "b3", "b5", "bp", "inception", "avg", "flat", "prob"), g -> g
                .weight("w1", 4, 3, 1, 1).node("Conv", list("x", "w1"), list("b1pre"))
                .node("Relu", "b1pre", "b1")
                .weight("w3r", 2, 3, 1, 1).node("Conv", list("x", "w3r"), list("b3r"))
                .weight("w3", 5, 2, 3, 3).node("Conv", list("b3r", "w3"), list("b3pre"), ints("pads", 1, 1, 1, 1))
                .node("Relu", "b3pre", "b3")
                .weight("w5r", 2, 3, 1, 1).node("Conv", list("x", "w5r"), list("b5r"))
                .weight("w5", 3, 2, 5, 5).node("Conv", list("b5r", "w5"), list("b5pre"), ints("pads", 2, 2, 2, 2))
                .node("Relu", "b5pre", "b5")
                .node("MaxPool", "x", "pool", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))
                .weight("wp", 2, 3, 1, 1).node("Conv", list("pool", "wp"), list("bppre"))
                .node("Relu", "bppre", "bp")
                .node("Concat", list("b1", "b3", "b5", "bp"), list("inception"), integer("axis", 1))
                .node("AveragePool", "inception", "avg", ints("kernel_shape", 5, 5), ints("strides", 5, 5))
                .longs("shape", new long[] {1, 14 * 4 * 4}, 2)
                .node("Reshape", list("avg", "shape"), list("flat"))
                .weight("fcw", 14 * 4 * 4, 9).weight("fcb", 9)
                .node("Gemm", list("flat", "fcw", "fcb"), list("logits"))
                .node("Softmax", "logits", "prob"));
    }
}
