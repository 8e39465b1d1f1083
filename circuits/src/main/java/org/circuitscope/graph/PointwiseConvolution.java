package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A 1×1, stride-1, unpadded, ungrouped convolution of a single image computed as the matrix product it is: the
 * kernel (C_out×C_in) times the image's C_in×(H·W) activations. It exists for feature visualisation, where autograd
 * records one image at a time: the libtorch we ship sends a 1×1 convolution to oneDNN as soon as it has more than
 * one intra-op thread, and oneDNN reorders each small row-major input and gradient to its blocked layout and back.
 * Profiled on SqueezeNet at 128×128 (one image, fire9): with one thread 3 of its 26 convolutions went to oneDNN
 * and all of them took 13.0 ms a step, forward and backward; with two threads 13 went to oneDNN and they took
 * 18.8 ms. As products they run in the BLAS matrix multiply whatever the thread count, and their backward is one
 * more product; the step with two threads measured 32.4 against 34.4 ms (fastest of 8 rounds, alternating in one
 * process, on a busy machine), with one thread no change.
 *
 * <p>With one thread libtorch takes its own matrix-product route (THNN) anyway, and keeps it, because that route
 * also hands a channels-last input (the first pool's output, see {@link SpaceToDepthConvolution}) a channels-last
 * gradient: the product here would read such an input through a copy and return a row-major gradient, which sends
 * the pool's backward down its slow NCHW path (1 ms more a step at 128 px). So channels-last inputs keep
 * libtorch's convolution with any thread count (oneDNN needs no reorder for them), and so do batches of several
 * images: oneDNN is the faster path for those.
 */
final class PointwiseConvolution {
    private PointwiseConvolution() {
    }

    static boolean suits(NDArray x, NDArray w, long[] strides, long[] pads, long[] dilations, int group) {
        Shape k = w.getShape();
        return x.getShape().get(0) == 1 && JniUtils.getNumThreads() > 1 && group == 1
                && Contiguity.of(x) != Contiguity.Layout.OTHER && k.get(2) == 1 && k.get(3) == 1
                && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1
                && SpatialPadding.none(pads);
    }

    static NDArray convolve(NDArray x, NDArray w, NDArray bias) {
        Shape s = x.getShape();
        long cout = w.getShape().get(0);
        NDArray flat = x.reshape(s.get(1), s.get(2) * s.get(3));
        NDArray y = w.reshape(cout, s.get(1)).matMul(flat).add(bias.reshape(cout, 1));
        return y.reshape(1, cout, s.get(2), s.get(3));
    }
}
