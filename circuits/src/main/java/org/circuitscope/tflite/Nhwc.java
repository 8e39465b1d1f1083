package org.circuitscope.tflite;

/**
 * TensorFlow Lite's layout against circuitscope's: a 4-D TFLite value is N×H×W×C, the same value in the graph is
 * N×C×H×W; values of any other rank keep TFLite's order. Axis numbers and constant data translate here.
 */
final class Nhwc {
    /** NHWC axis → NCHW axis. */
    private static final int[] TO_NCHW = {0, 2, 3, 1};
    /** Permutation taking NHWC data to NCHW: out axis i is in axis PERM[i]. */
    static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};
    static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};

    private Nhwc() {
    }

    /** The graph's axis for TFLite axis {@code axis} (negative counts from the end) of a value of rank {@code rank}. */
    static int axis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new TfLiteFormatException(what + ": axis " + axis + " is out of range for rank " + rank);
        }
        return rank == 4 ? TO_NCHW[a] : a;
    }

    /** A 4-D shape (NHWC) in the graph's order (NCHW); other ranks unchanged. */
    static long[] shape(int[] tflite) {
        long[] s = new long[tflite.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = tflite[i];
        }
        return tflite.length == 4 ? permuteShape(s, NHWC_TO_NCHW) : s;
    }

    static long[] permuteShape(long[] shape, int[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i]];
        }
        return out;
    }

    /** Row-major data of {@code shape} transposed so that output axis i is input axis perm[i]. */
    static float[] permute(float[] data, int[] shape, int[] perm) {
        int rank = shape.length;
        int[] stride = new int[rank];
        int s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
        }
        float[] out = new float[data.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += idx[i] * stride[perm[i]];
            }
            out[o] = data[src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return out;
    }
}
