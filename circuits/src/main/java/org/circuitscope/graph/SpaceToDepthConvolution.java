package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A stride-s convolution computed as a stride-1 convolution over the input rearranged into s×s blocks (space to
 * depth), with the kernel rearranged the same way after zero-padding it to a multiple of s. The result is the same
 * sum of products. It exists for the first layer of an image model (7×7/2 on three channels) when an input
 * gradient is wanted: for that shape the libtorch we ship picks a slow strided backward-data kernel, while the
 * stride-1 form's backward is about twice as fast.
 *
 * <p>The blocks are laid out channels-last, so the convolution and the activation and max pool that usually follow
 * it run channels-last too: oneDNN's channels-last convolution is faster here in both directions, and PyTorch's
 * channels-last max pool (with the indices a gradient needs) is vectorised across channels, where its row-major
 * one takes each window element by element. The next convolution returns to row-major ({@link Kernels#conv2d}).
 */
final class SpaceToDepthConvolution {
    private SpaceToDepthConvolution() {
    }

    /** Worth it for strided, ungrouped, undilated convolutions of inputs with few channels. */
    static boolean suits(NDArray x, long[] strides, long[] dilations, int group) {
        return group == 1 && strides[0] == strides[1] && strides[0] > 1 && dilations[0] == 1 && dilations[1] == 1
                && x.getShape().get(1) <= 4;
    }

    /** x is already padded; stride is the same on both axes. */
    static NDArray convolve(NDArray x, NDArray w, NDArray bias, long stride) {
        long kh = w.getShape().get(2);
        long kw = w.getShape().get(3);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        long outH = (h - kh) / stride + 1;
        long outW = (wd - kw) / stride + 1;
        if (outH < 1 || outW < 1) {
            throw new GraphException("a " + kh + "x" + kw + " kernel does not fit in a " + h + "x" + wd + " input");
        }
        NDArray blocks = MemoryLayout.channelsLast(spaceToDepth(
                x.pad(new Shape(0, roundUp(wd, stride) - wd, 0, roundUp(h, stride) - h), 0), stride));
        NDArray kernel = spaceToDepth(w.pad(new Shape(0, roundUp(kw, stride) - kw, 0, roundUp(kh, stride) - kh), 0),
                stride);
        NDArray y = x.getNDArrayInternal().convolution(blocks, kernel, bias, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow();
        // the blocked form can have one more row or column at the end, which reads only padding
        return SpatialPadding.crop(y, outH, outW);
    }

    /** N×C×H×W (H, W multiples of s) to N×(C·s·s)×(H/s)×(W/s); channel c·s·s + a·s + b holds pixel (s·i+a, s·j+b). */
    private static NDArray spaceToDepth(NDArray x, long s) {
        Shape sh = x.getShape();
        long n = sh.get(0);
        long c = sh.get(1);
        long h = sh.get(2) / s;
        long w = sh.get(3) / s;
        return x.reshape(n, c, h, s, w, s).transpose(0, 1, 3, 5, 2, 4).reshape(n, c * s * s, h, w);
    }

    private static long roundUp(long v, long s) {
        return (v + s - 1) / s * s;
    }
}
