package org.circuitscope.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.tflite.NhwcReference.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small TensorFlow Lite files built op by op, loaded through {@link Models#loadFile} and run through the public
 * {@link Model} API, each compared with {@link NhwcReference}'s loops (or hand-computed values) on NHWC data.
 */
class TfLiteImporterTest {
    private static final int SAME = 0;
    private static final int VALID = 1;
    private static final int NONE = 0;
    private static final int RELU = 1;
    private static final int RELU_N1_TO_1 = 2;
    private static final int RELU6 = 3;
    private static final int SIGN_BIT = 5;

    @TempDir
    Path dir;

    private final Random random = new Random(12);

    private float[] randoms(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private Model load(TfLiteBuilder b, String name) throws IOException {
        return Models.loadFile(b.write(dir, name + ".tflite"), null);
    }

    /** Runs a batch of NHWC images (given as NCHW tensor data) and returns the layer's output per image. */
    private static Image[] run(Model m, Tensor batch, String layer) {
        Tensor out = m.run(batch, layer).get(layer);
        Image[] r = new Image[(int) batch.dim(0)];
        for (int n = 0; n < r.length; n++) {
            r[n] = NhwcReference.fromNchw(out.data(), out.shape(), n);
        }
        return r;
    }

    private Tensor batch(int n, int c, int h, int w, float scale) {
        return new Tensor(new long[] {n, c, h, w}, randoms(n * c * h * w, scale));
    }

    private static void assertClose(Image expected, Image actual, double tol, String what) {
        double d = NhwcReference.maxDifference(expected, actual);
        assertTrue(d <= tol, what + ": max difference " + d + " (sizes " + expected.h() + "x" + expected.w() + "x"
                + expected.c() + " vs " + actual.h() + "x" + actual.w() + "x" + actual.c() + ")");
    }

    @Test
    void convolutionWithTfSamePaddingAtStrideTwoAndFusedRelu6() throws IOException {
        // 6×5 at stride 2 with a 3×3 kernel: rows padded 0 before and 1 after (TF puts the odd padding row at
        // the bottom), columns 1 and 1.
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 6, 5, 2);
        float[] w = randoms(3 * 3 * 3 * 2, 1f);
        float[] bias = {0.5f, -0.25f, 3f};
        int wt = b.floats("net/conv/weights", new int[] {3, 3, 3, 2}, w);
        int bt = b.floats("net/conv/bias", new int[] {3}, bias);
        int y = b.activation("net/conv/Relu6;net/conv/BiasAdd", 1, 3, 3, 3);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(SAME, 2, 2, RELU6, 1, 1),
                new int[] {x, wt, bt}, new int[] {y}).inputs(x).outputs(y);
        try (Model m = load(b, "conv")) {
            List<String> names = m.layers().all().stream().map(Layer::name).toList();
            assertTrue(names.contains("net/conv") && names.contains("net/conv/Relu6"), names.toString());
            Tensor in = batch(2, 2, 6, 5, 1f);
            Image[] pre = run(m, in, "net/conv");
            Image[] post = run(m, in, "net/conv/Relu6");
            for (int n = 0; n < 2; n++) {
                Image ref = NhwcReference.conv(NhwcReference.fromNchw(in.data(), in.shape(), n), w,
                        new int[] {3, 3, 3, 2}, bias, 2, 1, true, false);
                assertClose(ref, pre[n], 1e-4, "pre-activation");
                assertClose(NhwcReference.clip(ref, 0, 6), post[n], 1e-4, "after RELU6");
            }
            // The reference pads as TF does: summing ones, the first row's windows lie inside the image, the last
            // row's windows hang over the bottom by one row; the columns pad one on each side.
            Image ones = new Image(6, 5, 2, filled(60, 1f));
            Image refOnes = NhwcReference.conv(ones, filled(54, 1f), new int[] {3, 3, 3, 2}, null, 2, 1, true,
                    false);
            assertEquals(12f, refOnes.at(0, 0, 0), "no padding row above the first window");
            assertEquals(18f, refOnes.at(0, 1, 0));
            assertEquals(8f, refOnes.at(2, 2, 0), "one padding row below, one column right of the last window");
        }
    }

    @Test
    void depthwiseWithMultiplierGroupedConvolutionAndDilation() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 6, 7, 3);
        float[] dw = randoms(3 * 3 * 6, 1f);
        float[] dwBias = randoms(6, 0.1f);
        int dwt = b.floats("dw/w", new int[] {1, 3, 3, 6}, dw);
        int dwb = b.floats("dw/b", new int[] {6}, dwBias);
        int y = b.activation("dw/out", 1, 3, 4, 6);
        b.op(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DEPTHWISE_CONV_2D,
                TfLiteBuilder.depthwise(SAME, 2, 2, 2, NONE), new int[] {x, dwt, dwb}, new int[] {y});
        // A grouped convolution: 6 input channels, filters of 3 input channels, so two groups; dilation 2, VALID.
        float[] gw = randoms(4 * 2 * 2 * 3, 1f);
        int gwt = b.floats("group/w", new int[] {4, 2, 2, 3}, gw);
        int z = b.activation("group/out", 1, 1, 2, 4);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(VALID, 1, 1, NONE, 2, 2),
                new int[] {y, gwt, -1}, new int[] {z}).inputs(x).outputs(z);
        try (Model m = load(b, "depthwise")) {
            assertArrayEquals(new long[] {6, 1, 3, 3}, m.weights("dw/out").shape(), "depthwise weights C·M×1×H×W");
            Tensor in = batch(2, 3, 6, 7, 1f);
            Image[] dwOut = run(m, in, "dw/out");
            Image[] gOut = run(m, in, "group/out");
            for (int n = 0; n < 2; n++) {
                Image ref = NhwcReference.conv(NhwcReference.fromNchw(in.data(), in.shape(), n), dw,
                        new int[] {1, 3, 3, 6}, dwBias, 2, 1, true, true);
                assertClose(ref, dwOut[n], 1e-4, "depthwise");
                Image refG = NhwcReference.conv(ref, gw, new int[] {4, 2, 2, 3}, null, 1, 2, false, false);
                assertClose(refG, gOut[n], 1e-4, "grouped, dilated");
            }
        }
    }

    @Test
    void quantisedWeightsPerChannelAndInputQuantisationBecomeThePreprocessing() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int q = b.tensor("input", TensorType.UINT8, new int[] {1, 4, 4, 1}, null,
                TfLiteBuilder.quantization(new float[] {1f / 128}, new long[] {128}, 0));
        int qi = b.tensor("tfl.quantize", TensorType.INT8, new int[] {1, 4, 4, 1}, null,
                TfLiteBuilder.quantization(new float[] {1f / 128}, new long[] {0}, 0));
        byte[] wq = {1, 2, -3, 4, 10, -20, 30, -40};
        float[] scales = {0.5f, 0.01f};
        int w = b.tensor("conv/w", TensorType.INT8, new int[] {2, 2, 2, 1}, wq,
                TfLiteBuilder.quantization(scales, new long[] {0, 0}, 0));
        int bias = b.tensor("conv/b", TensorType.INT32, new int[] {2}, TfLiteBuilder.int32Bytes(256, -1280), null);
        int y = b.tensor("conv/out", TensorType.INT8, new int[] {1, 4, 4, 2}, null,
                TfLiteBuilder.quantization(new float[] {0.1f}, new long[] {0}, 0));
        int f = b.activation("out", 1, 4, 4, 2);
        b.op(BuiltinOperator.QUANTIZE, 0, null, new int[] {q}, new int[] {qi})
                .op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(SAME, 1, 1, NONE, 1, 1),
                        new int[] {qi, w, bias}, new int[] {y})
                .op(BuiltinOperator.DEQUANTIZE, 0, null, new int[] {y}, new int[] {f}).inputs(q).outputs(f);
        try (Model m = load(b, "quantised")) {
            assertEquals(255f, m.input().high());
            assertArrayEquals(new float[] {128f}, m.input().mean());
            assertArrayEquals(new float[] {128f}, m.input().std());
            assertTrue(m.metadata().get("input.from").contains("quantisation"), m.metadata().toString());
            // Pixels 0..255 as [0, 1] images; the network sees (pixel − 128) / 128.
            float[] pixels = new float[16];
            for (int i = 0; i < 16; i++) {
                pixels[i] = (i * 17) / 255f;
            }
            Tensor in = new Tensor(new long[] {1, 1, 4, 4}, pixels);
            float[] real = new float[16];
            for (int i = 0; i < 16; i++) {
                real[i] = (i * 17 - 128) / 128f;
            }
            float[] wReal = new float[8];
            for (int i = 0; i < 8; i++) {
                wReal[i] = scales[i / 4] * wq[i];
            }
            // int32 bias without a scale: input scale × weight scale per channel.
            float[] bReal = {256 * (1f / 128) * 0.5f, -1280 * (1f / 128) * 0.01f};
            Image ref = NhwcReference.conv(new Image(4, 4, 1, real), wReal, new int[] {2, 2, 2, 1}, bReal, 1, 1,
                    true, false);
            assertClose(ref, run(m, in, "out")[0], 1e-4, "dequantised convolution");
        }
    }

    @Test
    void poolsExcludePaddingAndMaxIgnoresIt() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 5, 5, 2);
        int mx = b.activation("max", 1, 3, 3, 2);
        int avg = b.activation("avg", 1, 3, 3, 2);
        b.op(BuiltinOperator.MAX_POOL_2D, BuiltinOptions.POOL_2D, TfLiteBuilder.pool(SAME, 2, 2, 3, 3, NONE),
                new int[] {x}, new int[] {mx});
        b.op(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOptions.POOL_2D, TfLiteBuilder.pool(SAME, 2, 2, 3, 3, NONE),
                new int[] {x}, new int[] {avg}).inputs(x).outputs(mx, avg);
        try (Model m = load(b, "pools")) {
            Tensor in = batch(2, 2, 5, 5, 1f);
            for (int i = 0; i < in.data().length; i++) {
                in.data()[i] = -Math.abs(in.data()[i]) - 0.1f; // all negative: a zero pad would win a max
            }
            Image[] maxOut = run(m, in, "max");
            Image[] avgOut = run(m, in, "avg");
            for (int n = 0; n < 2; n++) {
                Image img = NhwcReference.fromNchw(in.data(), in.shape(), n);
                assertClose(NhwcReference.pool(img, 3, 3, 2, true, true), maxOut[n], 1e-6, "max pool");
                assertClose(NhwcReference.pool(img, 3, 3, 2, true, false), avgOut[n], 1e-5, "average pool");
            }
        }
    }

    @Test
    void elementwiseWithBroadcastConstantsAndFusedActivations() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 2, 3, 4);
        float[] shift = {1f, -1f, 0.5f, -0.5f};
        float[] scale = {2f, 3f, -1f, 0.5f};
        int s = b.floats("shift", new int[] {4}, shift);
        int k = b.floats("scale", new int[] {1, 1, 1, 4}, scale);
        int added = b.activation("added/Relu", 1, 2, 3, 4);
        int mul = b.activation("mul", 1, 2, 3, 4);
        int sum = b.activation("sum", 1, 2, 3, 4);
        b.op(BuiltinOperator.ADD, BuiltinOptions.ADD, TfLiteBuilder.activationOnly(RELU), new int[] {x, s},
                new int[] {added});
        b.op(BuiltinOperator.MUL, BuiltinOptions.MUL, TfLiteBuilder.activationOnly(RELU_N1_TO_1),
                new int[] {k, added}, new int[] {mul});
        b.op(BuiltinOperator.ADD, BuiltinOptions.ADD, TfLiteBuilder.activationOnly(NONE), new int[] {mul, x},
                new int[] {sum}).inputs(x).outputs(sum);
        try (Model m = load(b, "elementwise")) {
            Tensor in = batch(2, 4, 2, 3, 1f);
            Image[] out = run(m, in, "sum");
            for (int n = 0; n < 2; n++) {
                Image img = NhwcReference.fromNchw(in.data(), in.shape(), n);
                float[] e = new float[img.data().length];
                for (int i = 0; i < e.length; i++) {
                    int c = i % 4;
                    float a = Math.max(0, img.data()[i] + shift[c]);
                    e[i] = Math.max(-1, Math.min(1, a * scale[c])) + img.data()[i];
                }
                assertClose(new Image(2, 3, 4, e), out[n], 1e-5, "add, mul, add");
            }
        }
    }

    @Test
    void meanFullyConnectedSoftmaxRunAtAnyBatchWithLogitsFirst() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 3, 4, 5);
        int axes = b.int32s("axes", new int[] {2}, 1, 2);
        int pooled = b.activation("pool/Mean", 1, 5);
        float[] w = randoms(3 * 5, 1f);
        float[] bias = {0.1f, 0.2f, 0.3f};
        int wt = b.floats("fc/w", new int[] {3, 5}, w);
        int bt = b.floats("fc/b", new int[] {3}, bias);
        int logits = b.activation("fc/BiasAdd", 1, 3);
        int prob = b.activation("prob", 1, 3);
        b.op(BuiltinOperator.MEAN, BuiltinOptions.REDUCER, new FlatWriter.Table().set(0,
                FlatWriter.Scalar.i8(0)), new int[] {x, axes}, new int[] {pooled});
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FULLY_CONNECTED, TfLiteBuilder.activationOnly(NONE),
                new int[] {pooled, wt, bt}, new int[] {logits});
        b.op(BuiltinOperator.SOFTMAX, BuiltinOptions.SOFTMAX, TfLiteBuilder.softmax(2f), new int[] {logits},
                new int[] {prob}).inputs(x).outputs(prob);
        try (Model m = load(b, "head")) {
            assertEquals("fc/BiasAdd", m.classOutput());
            Tensor in = batch(3, 5, 3, 4, 1f);
            Map<String, Tensor> out = m.run(in, "fc/BiasAdd", "prob");
            assertArrayEquals(new long[] {3, 3}, out.get("prob").shape());
            for (int n = 0; n < 3; n++) {
                Image img = NhwcReference.fromNchw(in.data(), in.shape(), n);
                double[] z = new double[3];
                double norm = 0;
                for (int o = 0; o < 3; o++) {
                    double s = bias[o];
                    for (int c = 0; c < 5; c++) {
                        double mean = 0;
                        for (int p = 0; p < 12; p++) {
                            mean += img.data()[p * 5 + c] / 12;
                        }
                        s += w[o * 5 + c] * mean;
                    }
                    z[o] = s;
                    norm += Math.exp(2 * s);
                }
                for (int o = 0; o < 3; o++) {
                    assertEquals(z[o], out.get("fc/BiasAdd").get(n, o), 1e-4);
                    assertEquals(Math.exp(2 * z[o]) / norm, out.get("prob").get(n, o), 1e-5, "softmax beta 2");
                }
            }
        }
    }

    @Test
    void reshapeFlattensInTfliteOrderAndBackConcatenatesAndPads() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 2, 3, 4);
        int shape1 = b.int32s("flat/shape", new int[] {2}, 1, 24);
        int flat = b.activation("flat", 1, 24);
        int shape2 = b.int32s("back/shape", new int[] {4}, 1, 3, 2, 4);
        int back = b.activation("back", 1, 3, 2, 4);
        int cat = b.activation("cat", 1, 3, 2, 8);
        int pads = b.int32s("pads", new int[] {4, 2}, 0, 0, 1, 2, 0, 1, 0, 0);
        int padded = b.activation("padded", 1, 6, 3, 8);
        b.op(BuiltinOperator.RESHAPE, 0, null, new int[] {x, shape1}, new int[] {flat});
        b.op(BuiltinOperator.RESHAPE, 0, null, new int[] {flat, shape2}, new int[] {back});
        b.op(BuiltinOperator.CONCATENATION, BuiltinOptions.CONCATENATION,
                new FlatWriter.Table().set(0, FlatWriter.Scalar.i32(-1)), new int[] {back, back}, new int[] {cat});
        b.op(BuiltinOperator.PAD, 0, null, new int[] {cat, pads}, new int[] {padded}).inputs(x).outputs(padded,
                flat);
        try (Model m = load(b, "shapes")) {
            Tensor in = batch(2, 4, 2, 3, 1f);
            Map<String, Tensor> out = m.run(in, "flat", "padded");
            for (int n = 0; n < 2; n++) {
                Image img = NhwcReference.fromNchw(in.data(), in.shape(), n);
                for (int i = 0; i < 24; i++) {
                    assertEquals(img.data()[i], out.get("flat").get(n, i), "flatten in NHWC order at " + i);
                }
                Image p = NhwcReference.fromNchw(out.get("padded").data(), out.get("padded").shape(), n);
                assertEquals(6, p.h());
                assertEquals(3, p.w());
                for (int y = 0; y < 6; y++) {
                    for (int xx = 0; xx < 3; xx++) {
                        for (int c = 0; c < 8; c++) {
                            boolean inside = y >= 1 && y < 4 && xx < 2;
                            // "back" is the same 24 values read as 3×2×4; channels 4..7 repeat them.
                            float e = inside ? img.data()[((y - 1) * 2 + xx) * 4 + c % 4] : 0f;
                            assertEquals(e, p.at(y, xx, c), "padded at " + y + "," + xx + "," + c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void unsupportedOpsAndOptionsAreRefusedNamingOperatorOpAndTensor() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 4, 4, 1);
        int y = b.activation("resized", 1, 8, 8, 1);
        int z = b.activation("sig", 1, 8, 8, 1);
        b.op(23, 0, null, new int[] {x}, new int[] {y}).op(14, 0, null, new int[] {y}, new int[] {z})
                .inputs(x).outputs(z);
        ModelException e = assertThrows(ModelException.class, () -> load(b, "unsupported"));
        assertTrue(e.getMessage().contains("RESIZE_BILINEAR at operator 0 (output 'resized')")
                && e.getMessage().contains("LOGISTIC at operator 1 (output 'sig')")
                && e.getMessage().contains("Supported: ADD"), e.getMessage());

        TfLiteBuilder sign = new TfLiteBuilder();
        int sx = sign.activation("input", 1, 4, 4, 1);
        int sw = sign.floats("w", new int[] {1, 1, 1, 1}, 1f);
        int sy = sign.activation("conv", 1, 4, 4, 1);
        sign.op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(SAME, 1, 1, SIGN_BIT, 1, 1),
                new int[] {sx, sw, -1}, new int[] {sy}).inputs(sx).outputs(sy);
        e = assertThrows(ModelException.class, () -> load(sign, "sign"));
        assertTrue(e.getMessage().contains("operator 0 (CONV_2D, output 'conv')")
                && e.getMessage().contains("SIGN_BIT"), e.getMessage());

        TfLiteBuilder shuffled = new TfLiteBuilder();
        int fx = shuffled.activation("input", 1, 1, 1, 4);
        int fw = shuffled.floats("w", new int[] {2, 4}, new float[8]);
        int fy = shuffled.activation("fc", 1, 2);
        shuffled.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FULLY_CONNECTED,
                new FlatWriter.Table().set(1, FlatWriter.Scalar.i8(1)), new int[] {fx, fw, -1}, new int[] {fy})
                .inputs(fx).outputs(fy);
        e = assertThrows(ModelException.class, () -> load(shuffled, "shuffled"));
        assertTrue(e.getMessage().contains("weights_format SHUFFLED4x16INT8"), e.getMessage());

        TfLiteBuilder noBeta = new TfLiteBuilder();
        int nx = noBeta.activation("input", 1, 1, 1, 4);
        int ny = noBeta.activation("prob", 1, 1, 1, 4);
        noBeta.op(BuiltinOperator.SOFTMAX, 0, null, new int[] {nx}, new int[] {ny}).inputs(nx).outputs(ny);
        e = assertThrows(ModelException.class, () -> load(noBeta, "nobeta"));
        assertTrue(e.getMessage().contains("SOFTMAX") && e.getMessage().contains("beta"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedWithItsNameAndTheModelsLoaderKnowsTheExtension() throws IOException {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 2, 2, 1);
        int y = b.activation("out", 1, 2, 2, 1);
        b.op(BuiltinOperator.QUANTIZE, 0, null, new int[] {x}, new int[] {y}).inputs(x).outputs(y);
        byte[] good = b.build();
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        ModelException e = assertThrows(ModelException.class, () -> Models.load(cut.toString()));
        assertTrue(e.getMessage().startsWith("cut.tflite is not a readable TensorFlow Lite file"), e.getMessage());
        Path ok = dir.resolve("Tiny.TFLITE");
        Files.write(ok, good);
        try (Model m = Models.load(ok.toString())) {
            assertEquals("Tiny", m.name());
        }
    }

    @Test
    void layerNamesComeFromTheFirstPartOfFusedTensorNamesAndStayUnique() {
        assertEquals("MobilenetV1/MobilenetV1/Conv2d_0", OperatorTranslator.preActivationName(
                "MobilenetV1/MobilenetV1/Conv2d_0/Relu6", BuiltinOptions.Activation.RELU6));
        assertEquals("MobileNetV2/Conv2d_0_0", OperatorTranslator.preActivationName(
                "MobileNetV2/Conv2d_0_0/relu6/Relu6", BuiltinOptions.Activation.RELU6));
        assertEquals("model/conv/BiasAdd/pre_activation", OperatorTranslator.preActivationName(
                "model/conv/BiasAdd", BuiltinOptions.Activation.RELU));
        assertEquals("Relu/pre_activation", OperatorTranslator.preActivationName("Relu",
                BuiltinOptions.Activation.RELU), "nothing would be left of a bare activation name");
        assertEquals("a/b", TensorNames.shortName("a/b;a/c;StatefulPartitionedCall/a/b"));
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 1, 1, 2);
        int axes = b.int32s("top/Mean;top/Mean/reduction_indices", new int[] {2}, 1, 2);
        int y = b.activation("top/Mean;top/other", 1, 1, 1, 2);
        b.op(BuiltinOperator.MEAN, BuiltinOptions.REDUCER, new FlatWriter.Table().set(0, FlatWriter.Scalar.i8(1)),
                new int[] {x, axes}, new int[] {y}).inputs(x).outputs(y);
        TfLiteFile f = TfLiteFile.read(java.nio.ByteBuffer.wrap(b.build()));
        TensorNames names = new TensorNames(f.tensors(), x, f.operators());
        assertEquals("top/Mean", names.of(y), "operator outputs are named before constants");
        assertEquals("top/Mean_2", names.of(axes));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
