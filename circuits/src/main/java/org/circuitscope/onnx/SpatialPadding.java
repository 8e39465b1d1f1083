package org.circuitscope.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.circuitscope.graph.GraphException;

/**
 * The padding of a 2-D convolution or pooling as ONNX states it: explicit {@code pads} (begin values, then end
 * values) or {@code auto_pad} (SAME_UPPER, SAME_LOWER, VALID), which depends on the input size. PyTorch's kernels
 * take one symmetric padding per axis, so asymmetric padding is applied to the input beforehand.
 */
final class SpatialPadding {
    private final String autoPad;
    private final long[] pads;
    private final long[] kernel;
    private final long[] strides;
    private final long[] dilations;

    SpatialPadding(Attributes a, long[] kernel, long[] strides, long[] dilations) {
        this.autoPad = a.getString("auto_pad", "NOTSET");
        this.pads = a.getInts("pads", new long[] {0, 0, 0, 0});
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        if (kernel.length != 2) {
            throw new GraphException("only 2-D convolutions and pools are supported; kernel_shape is "
                    + java.util.Arrays.toString(kernel));
        }
        if (pads.length != 4) {
            throw new GraphException("pads must have 4 values for a 2-D op, not " + pads.length);
        }
    }

    /** {begin_h, begin_w, end_h, end_w} for an input of the given height and width. */
    long[] resolve(long h, long w) {
        return switch (autoPad) {
            case "NOTSET" -> pads.clone();
            case "VALID" -> new long[] {0, 0, 0, 0};
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] in = {h, w};
                long[] r = new long[4];
                for (int i = 0; i < 2; i++) {
                    long out = (in[i] + strides[i] - 1) / strides[i];
                    long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
                    long small = total / 2;
                    boolean upper = autoPad.equals("SAME_UPPER");
                    r[i] = upper ? small : total - small;
                    r[i + 2] = upper ? total - small : small;
                }
                yield r;
            }
            default -> throw new GraphException("unknown auto_pad '" + autoPad + "'");
        };
    }

    static boolean symmetric(long[] p) {
        return p[0] == p[2] && p[1] == p[3];
    }

    /** Pads the last two axes of an NCHW array by {begin_h, begin_w, end_h, end_w} with {@code value}. */
    static NDArray padInput(NDArray x, long[] p, double value) {
        // DJL's pad takes pairs from the last axis backwards: (left, right, top, bottom).
        return x.pad(new Shape(p[1], p[3], p[0], p[2]), value);
    }
}
