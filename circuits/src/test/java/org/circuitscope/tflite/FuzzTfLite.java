package org.circuitscope.tflite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * TensorFlow Lite files for the loader fuzzer: a well-formed small classifier (its seed) and hand-made malformed
 * files aimed at what the TFLite reader checks (shapes, buffers, tensor and operator indices, operator codes).
 */
public final class FuzzTfLite {
    private static final int SAME = 0;
    private static final int VALID = 1;
    private static final int RELU6 = 3;
    private static final int NONE = 0;

    private FuzzTfLite() {
    }

    private static float[] randoms(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.5f;
        }
        return v;
    }

    /** A 1×8×8×3 input, a 3×3 stride-2 convolution with ReLU6, a 2×2 depthwise one, a 1×1 one to five logits. */
    private static TfLiteBuilder classifier(int[] convShape, int convInput, int lastCode) {
        Random r = new Random(7);
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("input", 1, 8, 8, 3);
        int w1 = b.floats("net/conv1/weights", convShape, randoms(r, 4 * 3 * 3 * 3));
        int b1 = b.floats("net/conv1/bias", new int[] {4}, randoms(r, 4));
        int y1 = b.activation("net/conv1/Relu6", 1, 4, 4, 4);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(SAME, 2, 2, RELU6, 1, 1),
                new int[] {convInput < 0 ? x : convInput, w1, b1}, new int[] {y1});
        int w2 = b.floats("net/dw/weights", new int[] {1, 4, 4, 4}, randoms(r, 64));
        int b2 = b.floats("net/dw/bias", new int[] {4}, randoms(r, 4));
        int y2 = b.activation("net/dw/BiasAdd", 1, 1, 1, 4);
        b.op(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DEPTHWISE_CONV_2D,
                TfLiteBuilder.depthwise(VALID, 1, 1, 1, NONE), new int[] {y1, w2, b2}, new int[] {y2});
        int w3 = b.floats("net/logits/weights", new int[] {5, 1, 1, 4}, randoms(r, 20));
        int b3 = b.floats("net/logits/bias", new int[] {5}, randoms(r, 5));
        int y3 = b.activation("net/logits/BiasAdd", 1, 1, 1, 5);
        b.op(lastCode, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(VALID, 1, 1, NONE, 1, 1),
                new int[] {y2, w3, b3}, new int[] {y3});
        return b.inputs(x).outputs(y3);
    }

    /** The well-formed seed. */
    public static byte[] classifier() {
        return classifier(new int[] {4, 3, 3, 3}, -1, BuiltinOperator.CONV_2D).build();
    }

    /** Hand-made malformed files, by what is wrong with them. */
    public static Map<String, byte[]> malformed() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("negative weight dims", classifier(new int[] {4, 3, -108, 3}, -1, BuiltinOperator.CONV_2D).build());
        m.put("weights declared 65536x65536x3x3 over 432 bytes",
                classifier(new int[] {65536, 65536, 3, 3}, -1, BuiltinOperator.CONV_2D).build());
        m.put("operator input index out of range", classifier(new int[] {4, 3, 3, 3}, 999,
                BuiltinOperator.CONV_2D).build());
        m.put("unsupported builtin operator (LSTM)", classifier(new int[] {4, 3, 3, 3}, -1, 16).build());
        m.put("custom operator", classifier(new int[] {4, 3, 3, 3}, -1, BuiltinOperator.CUSTOM).build());
        byte[] foreign = classifier();
        foreign[4] = 'X';
        foreign[5] = 'X';
        m.put("wrong file identifier", foreign);
        byte[] root = classifier();
        root[0] = (byte) 0xff;
        root[1] = (byte) 0xff;
        root[2] = (byte) 0xff;
        root[3] = (byte) 0x7f;
        m.put("root table offset past the end", root);
        return m;
    }
}
