package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * The layer computations importers share, on NCHW arrays, written with DJL operations so autograd sees through
 * them. Padding is {begin_h, begin_w, end_h, end_w}; PyTorch's kernels take one symmetric padding per axis, so
 * other padding is applied to the input first.
 */
public final class Kernels {
    private Kernels() {
    }

    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, long[] strides, long[] pads, long[] dilations,
                                 int group, NDManager m) {
        long cin = x.getShape().get(1);
        if (cin != w.getShape().get(1) * group) {
            throw new GraphException("input has " + cin + " channels but the kernel " + w.getShape() + " expects "
                    + w.getShape().get(1) * group);
        }
        NDArray input = x;
        Shape padding = new Shape(pads[0], pads[1]);
        if (!SpatialPadding.symmetric(pads)) {
            input = SpatialPadding.padInput(x, pads, 0);
            padding = new Shape(0, 0);
        }
        NDArray bias = b != null ? b : m.zeros(new Shape(w.getShape().get(0)), x.getDataType());
        boolean recording = recording(x);
        if (recording && SpaceToDepthConvolution.suits(x, strides, dilations, group)) {
            NDArray padded = padding.get(0) == 0 && padding.get(1) == 0 ? input
                    : SpatialPadding.padInput(input, new long[] {pads[0], pads[1], pads[0], pads[1]}, 0);
            return SpaceToDepthConvolution.convolve(padded, w, bias, strides[0]);
        }
        if (recording && PointwiseConvolution.suits(x, w, strides, pads, dilations, group)) {
            return PointwiseConvolution.convolve(x, w, bias);
        }
        NDArray y = x.getNDArrayInternal().convolution(input, w, bias, new Shape(strides), padding,
                new Shape(dilations), group).singletonOrThrow();
        // a channels-last input (after the first convolution and its pool) gives a channels-last output; the rest
        // of the network is faster row-major, above all the 3x3 convolutions' backward
        return recording ? MemoryLayout.rowMajor(y) : y;
    }

    /**
     * Whether autograd may record an op on x: inside a gradient collector. (Which arrays it records cannot be told
     * reliably through DJL: its requires-grad query answers false for computed arrays.) Unknown engines count as
     * recording.
     */
    static boolean recording(NDArray x) {
        return !(x instanceof PtNDArray) || JniUtils.isGradMode();
    }

    public static NDArray maxPool(NDArray x, long[] kernel, long[] strides, long[] pads, boolean ceil) {
        if (!recording(x)) {
            return SeparableMaxPool.pool(x, kernel, strides, pads, ceil);
        }
        NDArray input = x;
        Shape padding = new Shape(pads[0], pads[1]);
        if (!SpatialPadding.symmetric(pads) || pads[0] * 2 > kernel[0] || pads[1] * 2 > kernel[1]) {
            input = SpatialPadding.padInput(x, pads, Double.NEGATIVE_INFINITY);
            padding = new Shape(0, 0);
        }
        NDArray y = input.getNDArrayInternal().maxPool(new Shape(kernel), new Shape(strides), padding, ceil);
        // after explicit padding, PyTorch lets a last ceil-mode window start in the end padding; drop it, as the
        // pool without a gradient does
        return SpatialPadding.crop(y,
                SeparableMaxPool.outputSize(x.getShape().get(2), kernel[0], strides[0], pads[0], pads[2], ceil),
                SeparableMaxPool.outputSize(x.getShape().get(3), kernel[1], strides[1], pads[1], pads[3], ceil));
    }

    public static NDArray avgPool(NDArray x, long[] kernel, long[] strides, long[] pads, boolean ceil,
                                  boolean countPad, NDManager m) {
        // DJL's PyTorch avgPool counts padding whatever it is told, so only padding-free or count-padding pools go
        // straight to it.
        if ((SpatialPadding.none(pads) || countPad) && SpatialPadding.symmetric(pads) && pads[0] * 2 <= kernel[0]
                && pads[1] * 2 <= kernel[1]) {
            return x.getNDArrayInternal().avgPool(new Shape(kernel), new Shape(strides), new Shape(pads[0], pads[1]),
                    ceil, countPad);
        }
        // Pool the zero-padded input; when padding must not count, divide by the pooled share of real pixels.
        NDArray sum = SpatialPadding.padInput(x, pads, 0).getNDArrayInternal().avgPool(new Shape(kernel),
                new Shape(strides), new Shape(0, 0), ceil, true);
        if (countPad) {
            return sum;
        }
        NDArray ones = SpatialPadding.padInput(m.ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)),
                x.getDataType()), pads, 0);
        NDArray share = ones.getNDArrayInternal().avgPool(new Shape(kernel), new Shape(strides), new Shape(0, 0),
                ceil, true);
        return sum.div(share);
    }

    /**
     * Local response normalisation across channels, ONNX form: x / (bias + alpha / size * Σ x²)^beta over a window
     * of {@code size} channels ((size-1)/2 before, the rest after).
     */
    public static NDArray lrn(NDArray x, long size, float alpha, float beta, float bias) {
        long before = (size - 1) / 2;
        long after = size - 1 - before;
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long rest = s.size() / (n * c);
        // Sum of squares over a window of channels, as an average pool over the channel axis times its size.
        NDArray sq = x.square().reshape(n, 1, c, rest);
        NDArray padded = sq.pad(new Shape(0, 0, before, after), 0);
        NDArray sums = padded.getNDArrayInternal().avgPool(new Shape(size, 1), new Shape(1, 1), new Shape(0, 0),
                false, true).mul(size).reshape(s);
        return x.div(sums.mul(alpha / size).add(bias).pow(beta));
    }

    /** Mean or max over all spatial positions, keeping N×C×1×…×1. */
    public static NDArray globalPool(NDArray x, boolean mean) {
        Shape s = x.getShape();
        long[] kept = new long[s.dimension()];
        Arrays.fill(kept, 1);
        kept[0] = s.get(0);
        kept[1] = s.get(1);
        NDArray flat = x.reshape(s.get(0), s.get(1), -1);
        NDArray r = mean ? flat.mean(new int[] {2}) : flat.max(new int[] {2});
        return r.reshape(new Shape(kept));
    }

    /** Adds a per-channel vector along axis 1 of an N×C(×…) array. */
    public static NDArray addChannelBias(NDArray x, NDArray bias) {
        long[] s = new long[x.getShape().dimension()];
        Arrays.fill(s, 1);
        s[1] = bias.getShape().size();
        return x.add(bias.reshape(new Shape(s)));
    }
}
