package org.circuitscope.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.tflite.NhwcReference.Image;
import org.junit.jupiter.api.Test;

/**
 * The four TensorFlow Lite models of {@code ../shared/models/tflite/} load with no flags: input preprocessing from
 * the input quantisation, labels from the packed file, a layer for every tensor an operator computes with the
 * tensor's shape; and early layers of MobileNet v1 and a residual block of MobileNet v2 match float loops over the
 * dequantised weights on a real image.
 */
class TfLiteModelsTest {
    private static final List<String> FILES = List.of("mobilenet_v1_0.25_128_quant.tflite",
            "mobilenet_v1_0.5_160_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
            "mobilenet_v2_1.0_224_inat_bird_quant.tflite");

    private static TfLiteFile read(Path p) throws IOException {
        return TfLiteFile.read(ByteBuffer.wrap(Files.readAllBytes(p)));
    }

    @Test
    void allFourLoadWithTheirPreprocessingLabelsAndEveryTensorAsALayer() throws IOException {
        Path dir = SharedFixtures.require("models/tflite");
        for (String name : FILES) {
            Path p = dir.resolve(name);
            TfLiteFile f = read(p);
            try (Model m = Models.load(p.toString())) {
                boolean v2tf2 = name.startsWith("tf2");
                assertEquals(0f, m.input().low());
                assertEquals(255f, m.input().high());
                assertArrayEquals(new float[] {v2tf2 ? 127 : 128, v2tf2 ? 127 : 128, v2tf2 ? 127 : 128},
                        m.input().mean(), name);
                float std = v2tf2 ? 127.5f : 128f;
                assertArrayEquals(new float[] {std, std, std}, m.input().std(), 1e-3f, name);
                boolean birds = name.contains("bird");
                assertEquals(birds ? 965 : 1001, m.labels().size(), name);
                assertEquals(birds ? "Haemorhous cassinii (Cassin's Finch)" : "background", m.labels().get(0));
                TensorNames names = new TensorNames(f.tensors(), f.inputs()[0], f.operators());
                int layers = 0;
                for (TfLiteOperator op : f.operators()) {
                    TfLiteTensor out = f.tensor(op.outputs()[0]);
                    Layer l = m.layers().get(names.of(out.index()));
                    assertArrayEquals(Nhwc.shape(out.shape()), l.shape(), name + " " + l.name());
                    layers++;
                }
                assertTrue(layers > 28, name);
                Tensor logits = m.logits(List.of(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB),
                        new BufferedImage(50, 70, BufferedImage.TYPE_INT_RGB)));
                assertArrayEquals(new long[] {2, birds ? 965 : 1001}, logits.shape(), "batched class output");
            }
        }
    }

    @Test
    void mobilenetV1FirstLayersMatchFloatLoopsOverTheDequantisedWeights() throws IOException {
        Path p = SharedFixtures.require("models/tflite/mobilenet_v1_0.25_128_quant.tflite");
        Path jpeg = SharedFixtures.imagenetSamples().resolve("n01514859_hen.JPEG");
        TfLiteFile f = read(p);
        try (Model m = Models.load(p.toString()); Model cropped = m.withInput(m.input().withCrop(0.875f))) {
            Tensor in = cropped.input().images(List.of(ImageIO.read(jpeg.toFile())));
            float[] real = new float[in.size()];
            for (int i = 0; i < real.length; i++) {
                real[i] = (Math.round(in.data()[i] * 255) - 128) / 128f;
            }
            Image x = NhwcReference.fromNchw(real, in.shape(), 0);
            TensorNames names = new TensorNames(f.tensors(), f.inputs()[0], f.operators());
            // conv 3×3 stride 2 SAME (128 → 64: one padding row/column, at the bottom/right), depthwise 3×3,
            // pointwise 1×1, depthwise stride 2: each RELU6.
            for (int k = 0; k < 4; k++) {
                TfLiteOperator op = f.operators().get(k);
                boolean dw = op.code() == BuiltinOperator.DEPTHWISE_CONV_2D;
                BuiltinOptions.Conv o = dw ? BuiltinOptions.depthwise(op) : BuiltinOptions.conv(op);
                TfLiteTensor wt = f.tensor(op.inputs()[1]);
                TfLiteTensor bt = f.tensor(op.inputs()[2]);
                float[] w = Dequantization.floats(wt);
                float[] b = Dequantization.floats(bt);
                Image ref = NhwcReference.clip(NhwcReference.conv(x, w, wt.shape(), b, o.strideH(), 1,
                        o.padding() == BuiltinOptions.Padding.SAME, dw), 0, 6);
                String layer = names.of(op.outputs()[0]);
                Tensor ours = cropped.run(in, layer).get(layer);
                Image got = NhwcReference.fromNchw(ours.data(), ours.shape(), 0);
                double diff = NhwcReference.maxDifference(ref, got);
                System.out.printf("MobileNet v1 0.25 %s (%s, stride %d): max |ours − reference| %.2e%n", layer,
                        op.opName(), o.strideH(), diff);
                assertTrue(diff < 1e-3, layer + ": " + diff);
                x = ref;
            }
        }
    }

    @Test
    void mobilenetV2ResidualBlockWithPerChannelInt8WeightsMatchesFloatLoops() throws IOException {
        Path p = SharedFixtures.require("models/tflite/tf2_mobilenet_v2_1.0_224_ptq.tflite");
        Path jpeg = SharedFixtures.imagenetSamples().resolve("n01440764_tench.JPEG");
        TfLiteFile f = read(p);
        TensorNames names = new TensorNames(f.tensors(), f.inputs()[0], f.operators());
        // Operators 7-9 (expand, depthwise, project of expanded_conv_3) and the ADD (10) of their result with
        // the block's input (operator 6's output).
        TfLiteOperator add = f.operators().get(10);
        assertEquals(BuiltinOperator.ADD, add.code());
        String blockInput = names.of(f.operators().get(6).outputs()[0]);
        try (Model m = Models.load(p.toString())) {
            Tensor in = m.input().images(List.of(ImageIO.read(jpeg.toFile())));
            Map<String, Tensor> acts = m.run(in, blockInput, names.of(add.outputs()[0]));
            Tensor start = acts.get(blockInput);
            Image x0 = NhwcReference.fromNchw(start.data(), start.shape(), 0);
            Image x = x0;
            for (int k = 7; k <= 9; k++) {
                TfLiteOperator op = f.operators().get(k);
                boolean dw = op.code() == BuiltinOperator.DEPTHWISE_CONV_2D;
                BuiltinOptions.Conv o = dw ? BuiltinOptions.depthwise(op) : BuiltinOptions.conv(op);
                TfLiteTensor wt = f.tensor(op.inputs()[1]);
                assertTrue(wt.quantization().perChannel());
                Image c = NhwcReference.conv(x, Dequantization.floats(wt), wt.shape(),
                        Dequantization.floats(f.tensor(op.inputs()[2])), o.strideH(), 1,
                        o.padding() == BuiltinOptions.Padding.SAME, dw);
                x = o.activation() == BuiltinOptions.Activation.RELU6 ? NhwcReference.clip(c, 0, 6) : c;
            }
            float[] sum = x.data().clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += x0.data()[i];
            }
            Tensor ours = acts.get(names.of(add.outputs()[0]));
            double diff = NhwcReference.maxDifference(new Image(x.h(), x.w(), x.c(), sum),
                    NhwcReference.fromNchw(ours.data(), ours.shape(), 0));
            System.out.printf("MobileNet v2 expanded_conv_3 + residual: max |ours − reference| %.2e (values up to "
                    + "%.1f)%n", diff, Arrays.stream(toDoubles(sum)).map(Math::abs).max().orElse(0));
            assertTrue(diff < 1e-3, "residual block: " + diff);
        }
    }

    /** Gradients reach the image through RELU6 (Clip), depthwise and asymmetric padding: a unit's objective rises. */
    @Test
    void featureVisualisationRaisesAUnitBehindRelu6() {
        Path p = SharedFixtures.require("models/tflite/mobilenet_v1_0.25_128_quant.tflite");
        try (Model m = Models.load(p.toString())) {
            FeatureVisResult vis = FeatureVis.of(m)
                    .objective(Objectives.channel("MobilenetV1/MobilenetV1/Conv2d_5_pointwise/Relu6", 3))
                    .size(96).steps(48).seed(1).render();
            double[] trace = vis.trace();
            System.out.printf("TFLite feature visualisation of Conv2d_5_pointwise/Relu6:3: objective %.3f → %.3f%n",
                    trace[0], trace[trace.length - 1]);
            assertTrue(trace[trace.length - 1] > trace[0] + 0.5, Arrays.toString(trace));
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
