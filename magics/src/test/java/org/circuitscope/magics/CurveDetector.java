package org.circuitscope.magics;

import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.export.OnnxWriter;

/**
 * A hand-wired detector of bright curves on a dark ground, whose ground truth is known: 3×64×64 (RGB in [0, 1]) →
 * {@code curve} (one 21×21 convolution, padding 10) → {@code relu}. Its kernel is +1 on an arc of radius
 * {@code radius} and span {@code span}° whose middle is at the kernel centre and whose outer side faces
 * {@code degrees} (counter-clockwise from pointing right, y up: the stimuli's convention), with the kernel's mean
 * removed, so a uniform image gives 0 and a dark arc on a light ground a negative response.
 */
public final class CurveDetector {
    public static final int SIZE = 64;
    public static final int K = 21;

    private CurveDetector() {
    }

    public static Model create(double degrees, double radius, double span) {
        double t = Math.toRadians(degrees);
        // the arc's circle: its centre lies radius behind the kernel centre, away from the direction faced
        double cx = -radius * Math.cos(t);
        double cy = -radius * Math.sin(t);
        float[] plane = new float[K * K];
        double sum = 0;
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                double x = j + 0.5 - K / 2.0;
                double y = K / 2.0 - (i + 0.5);
                double d = Math.hypot(x - cx, y - cy);
                double a = Math.atan2(y - cy, x - cx);
                double off = Math.abs(Math.IEEEremainder(a - t, 2 * Math.PI));
                boolean on = Math.abs(d - radius) <= 1.0 && off <= Math.toRadians(span) / 2;
                plane[i * K + j] = on ? 1 : 0;
                sum += plane[i * K + j];
            }
        }
        float mean = (float) (sum / (K * K));
        float[] w = new float[3 * K * K];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < K * K; p++) {
                w[c * K * K + p] = (plane[p] - mean) / 3f;
            }
        }
        byte[] bytes = new OnnxWriter("curve" + (int) degrees).input("x", new long[] {1, 3, SIZE, SIZE}, "N")
                .initializer("w", new long[] {1, 3, K, K}, w).initializer("b", new long[] {1}, new float[] {0})
                .conv("x", "curve", "w", "b", new long[] {K, K}, new long[] {1, 1},
                        new long[] {K / 2, K / 2, K / 2, K / 2})
                .relu("curve", "relu").output("relu", new long[] {1, 1, SIZE, SIZE}, "N").toBytes();
        return Model.fromOnnx(bytes, "curve" + (int) degrees, InputSpec.rgb01(SIZE));
    }
}
