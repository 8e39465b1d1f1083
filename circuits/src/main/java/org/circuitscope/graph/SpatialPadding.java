package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Padding of 2-D convolutions and pools as {begin_h, begin_w, end_h, end_w}. "Same" padding (TensorFlow's SAME,
 * ONNX's SAME_UPPER / SAME_LOWER) depends on the input size and is resolved when the graph runs.
 */
public final class SpatialPadding {
    private SpatialPadding() {
    }

    /** Padding that keeps ceil(in / stride) outputs; the odd pixel goes at the end (upper) or the start (lower). */
    public static long[] same(long h, long w, long[] kernel, long[] strides, long[] dilations, boolean upper) {
        long[] in = {h, w};
        long[] r = new long[4];
        for (int i = 0; i < 2; i++) {
            long out = (in[i] + strides[i] - 1) / strides[i];
            long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
            long small = total / 2;
            r[i] = upper ? small : total - small;
            r[i + 2] = upper ? total - small : small;
        }
        return r;
    }

    public static boolean symmetric(long[] p) {
        return p[0] == p[2] && p[1] == p[3];
    }

    public static boolean none(long[] p) {
        return p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0;
    }

    /** The top-left {@code h}×{@code w} of an NCHW array: itself when it has that size already. */
    public static NDArray crop(NDArray x, long h, long w) {
        if (x.getShape().get(2) == h && x.getShape().get(3) == w) {
            return x;
        }
        return x.get(new NDIndex(":, :, 0:" + h + ", 0:" + w));
    }

    /** Pads the last two axes of an NCHW array by {begin_h, begin_w, end_h, end_w} with {@code value}. */
    public static NDArray padInput(NDArray x, long[] p, double value) {
        // DJL's pad takes pairs from the last axis backwards: (left, right, top, bottom).
        return x.pad(new Shape(p[1], p[3], p[0], p[2]), value);
    }
}
