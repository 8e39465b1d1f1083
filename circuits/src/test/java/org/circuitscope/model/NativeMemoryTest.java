package org.circuitscope.model;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.tf.MiniInception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long notebook sessions must not leak: the native arrays a model's manager holds are the same before and after 100
 * forward passes and 100 feature-visualisation steps, on each model family (ONNX with BatchNormalization and Gemm,
 * SqueezeNet's strided first layer through the space-to-depth route, a GraphDef with BiasAdd, TensorFlow Lite with
 * int8 weights dequantised, depthwise convolutions, ReLU6 as Clip and residual sums). Ops on weights
 * create their intermediates on the weights' manager (DJL attaches results to their first operand's); the graph runs
 * each op in its own scope, so they are freed when the op returns.
 */
class NativeMemoryTest {

    private static void steady(Model m, String layer, int size) {
        steady(m, layer, size, true);
    }

    /** With {@code visualise} false only forward passes (a classifier behind a fixed-size flatten). */
    private static void steady(Model m, String layer, int size, boolean visualise) {
        Tensor x = TestGraphs.random(1, 2, m.input().channels(), m.input().height(), m.input().width());
        m.run(x, layer);
        if (visualise) {
            FeatureVis.of(m).objective(layer + ":0").size(size).steps(2).render();
        }
        int before = m.nativeArrays();
        for (int i = 0; i < 100; i++) {
            m.run(x, layer);
        }
        int afterForwards = m.nativeArrays();
        System.out.printf("native arrays of %s at %s: %d before, %d after 100 forward passes%n", m.name(), layer,
                before, afterForwards);
        assertEquals(before, afterForwards, m.name() + ": arrays left behind by 100 forward passes");
        if (!visualise) {
            return;
        }
        FeatureVis.of(m).objective(layer + ":0").size(size).steps(100).render();
        int afterSteps = m.nativeArrays();
        System.out.printf("native arrays of %s at %s: %d before, %d after 100 feature-visualisation steps%n",
                m.name(), layer, before, afterSteps);
        assertEquals(before, afterSteps, m.name() + ": arrays left behind by 100 feature-visualisation steps");
    }

    @Test
    void onnxWithBatchNormAndGemm() {
        TestGraphs g = new TestGraphs(4).opset(13).input("x", 1, 3, 16, 16);
        g.weight("w", 6, 3, 3, 3).positive("scale", 6).weight("bias", 6).weight("mean", 6).positive("var", 6);
        g.node("Conv", list("x", "w"), list("conv"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2));
        g.node("BatchNormalization", list("conv", "scale", "bias", "mean", "var"), list("bn"));
        g.node("Relu", "bn", "relu");
        g.node("GlobalAveragePool", "relu", "pool");
        g.node("Flatten", "pool", "flat");
        g.weight("fc", 4, 6).weight("fcb", 4);
        g.node("Gemm", list("flat", "fc", "fcb"), list("logits"), integer("transB", 1));
        g.output("logits");
        try (Model m = Model.fromOnnx(g.bytes(), "bn-gemm", InputSpec.rgb01(16))) {
            steady(m, "relu", 16);
            steady(m, "logits", 16, false);
        }
    }

    @Test
    void squeezeNetFirstLayer() {
        try (Model m = Models.loadFile(SharedFixtures.squeezenet(), null)) {
            steady(m, "conv1", 64);
        }
    }

    @Test
    void graphDefWithBiasAdd(@TempDir Path dir) throws Exception {
        Path pb = dir.resolve("mini.pb");
        Files.write(pb, MiniInception.build().graphDef().toByteArray());
        try (Model m = Models.loadFile(pb, InputSpec.rgb01(MiniInception.S))) {
            steady(m, "mixed", MiniInception.S);
            steady(m, "softmax2_pre_activation", MiniInception.S, false);
        }
    }

    @Test
    void tfLiteMobileNetV2() {
        // at 96 px (the model takes any size; its constant [1, 1001] reshape generalises to the batch) to keep the
        // 200 forward passes short
        try (Model file = Models.loadFile(SharedFixtures.require("models/tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite"),
                null); Model m = file.withInput(file.input().withSize(96, 96))) {
            steady(m, "MobileNetV2/expanded_conv_3/add/add", 64);
            steady(m, m.classOutput(), 96, false);
        }
    }
}
