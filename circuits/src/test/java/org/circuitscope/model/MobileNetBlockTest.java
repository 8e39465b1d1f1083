package org.circuitscope.model;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.circuitscope.circuit.Circuit;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.ExpandedWeights;
import org.circuitscope.weights.UnitInputs;
import org.circuitscope.weights.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A MobileNet v2 block as exporters write it (ReLU6 as Clip with min/max inputs, a depthwise convolution, a residual
 * Add, a classifier behind a Reshape to the constant [1, classes]): every instrument works through it, as the
 * op vocabulary promises, not only the forward pass.
 */
class MobileNetBlockTest {
    private static final int S = 16;
    private static byte[] bytes;
    private static Model model;

    @BeforeAll
    static void build() {
        TestGraphs g = new TestGraphs(5).opset(13).input("input", 1, 3, S, S);
        g.floats("six", new float[] {6f}).floats("zero", new float[] {0f});
        g.weight("stem_w", 8, 3, 3, 3).weight("stem_b", 8);
        g.node("Conv", list("input", "stem_w", "stem_b"), list("stem"), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        g.node("Clip", list("stem", "zero", "six"), list("stem_relu6"));
        // expand 1x1: channel 0 reads every stem channel with weight 0.5 behind a bias of -4, so ReLU6 is closed on
        // a grey image (its pre-activation is about -1.4 there) but can open
        float[] expandW = new float[16 * 8];
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < expandW.length; i++) {
            expandW[i] = i < 8 ? 0.5f : (float) r.nextGaussian() * 0.5f;
        }
        float[] expandBias = new float[16];
        expandBias[0] = -4f;
        g.floats("expand_w", expandW, 16, 8, 1, 1).floats("expand_b", expandBias, 16);
        g.node("Conv", list("stem_relu6", "expand_w", "expand_b"), list("expand"));
        g.node("Clip", list("expand", "zero", "six"), list("expand_relu6"));
        g.weight("dw_w", 16, 1, 3, 3).weight("dw_b", 16);
        g.node("Conv", list("expand_relu6", "dw_w", "dw_b"), list("depthwise"), integer("group", 16),
                ints("pads", 1, 1, 1, 1));
        g.node("Clip", list("depthwise", "zero", "six"), list("depthwise_relu6"));
        g.weight("project_w", 8, 16, 1, 1).weight("project_b", 8);
        g.node("Conv", list("depthwise_relu6", "project_w", "project_b"), list("project"));
        g.node("Add", list("stem_relu6", "project"), list("residual"));
        g.weight("head_w", 12, 8, 1, 1).weight("head_b", 12);
        g.node("Conv", list("residual", "head_w", "head_b"), list("head"));
        g.node("Clip", list("head", "zero", "six"), list("head_relu6"));
        g.node("GlobalAveragePool", "head_relu6", "pooled");
        g.longs("flat", new long[] {1, 12}, 2);
        g.node("Reshape", list("pooled", "flat"), list("features"));
        g.weight("fc_w", 5, 12).weight("fc_b", 5);
        g.node("Gemm", list("features", "fc_w", "fc_b"), list("logits"), integer("transB", 1));
        g.output("logits");
        bytes = g.bytes();
        model = Model.fromOnnx(bytes, "mobilenet-block", InputSpec.rgb01(S));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void logitsMatchOnnxRuntimeAndAnyBatchRunsThroughTheConstantReshape() throws Exception {
        Tensor x = TestGraphs.random(3, 4, 3, S, S);
        Tensor ours = model.run(x, "logits").get("logits");
        assertArrayEquals(new long[] {4, 5}, ours.shape());
        for (int n = 0; n < 4; n++) {
            Tensor one = new Tensor(new long[] {1, 3, S, S}, java.util.Arrays.copyOfRange(x.data(), n * 3 * S * S,
                    (n + 1) * 3 * S * S));
            Tensor ref = TestGraphs.runOrt(bytes, "input", one, List.of("logits")).get("logits");
            float[] row = java.util.Arrays.copyOfRange(ours.data(), n * 5, (n + 1) * 5);
            assertTrue(TestGraphs.relativeError(new Tensor(new long[] {1, 5}, row), ref) < 1e-5, "image " + n);
        }
        assertEquals("Clip", model.layers().get("expand_relu6").op());
        assertEquals(6f, model.layers().get("expand_relu6").attributes().getFloat("max", 0), 0f);
    }

    @Test
    void depthwiseUnitsHaveOneInputAndExpandedWeightsCrossTheResidualBlock() {
        UnitInputs in = Weights.into(model, Unit.channel("depthwise_relu6", 5));
        assertEquals(1, in.ranked().size(), "a depthwise kernel reads one channel: " + in.ranked());
        assertEquals(5, in.ranked().get(0).input().channel());
        // through expand → ReLU6 → depthwise → ReLU6 → project → residual Add → head
        ExpandedWeights composed = ExpandedWeights.compose(model, "stem_relu6", "head");
        ExpandedWeights byGradient = ExpandedWeights.byGradient(model, "stem_relu6", "head");
        assertTrue(composed.maxDifference(byGradient) < 1e-4, "compose and gradient disagree by "
                + composed.maxDifference(byGradient));
        assertEquals(3, composed.kernelHeight());
    }

    @Test
    void circuitsOfDepthTwoPassThroughReluSix() {
        CircuitResult c = Circuit.of(model, "head_relu6:3").depth(2).top(3)
                .thumbnails(org.circuitscope.weights.Thumbnails.none()).build();
        assertTrue(c.edges().size() >= 3 + 3, c.edges().toString());
    }

    @Test
    void featureVisualisationStartsForAUnitClosedBehindReluSix() {
        float[] half = new float[3 * S * S];
        java.util.Arrays.fill(half, 0.5f);
        Map<String, Tensor> grey = model.run(new Tensor(new long[] {1, 3, S, S}, half), "expand_relu6");
        assertEquals(0f, grey.get("expand_relu6").data()[0], 0f, "channel 0 is closed on the start image");
        // without the gradient redirect through the closed Clip nothing moves; with it the unit opens
        FeatureVisResult stuck = FeatureVis.of(model).objective("expand_relu6:0").size(S).steps(48).seed(3)
                .reluRedirectSteps(0).render();
        assertEquals(0.0, stuck.trace()[stuck.trace().length - 1], 0.0);
        FeatureVisResult r = FeatureVis.of(model).objective("expand_relu6:0").size(S).steps(64).seed(3)
                .reluRedirectSteps(64).render();
        double[] trace = r.trace();
        assertTrue(trace[trace.length - 1] > 0.01, "objective stayed at " + trace[trace.length - 1]);
    }
}
