package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The two memory layouts of an N×C×H×W array that PyTorch's kernels distinguish: row-major (NCHW in memory) and
 * channels-last (NHWC in memory, still indexed N, C, H, W). DJL does not expose strides, so each conversion is
 * written as views plus the one copy a reshape makes when it must; converting an array already in the wanted
 * layout costs nothing. Values, shapes and gradients do not depend on the layout, only speed does.
 */
final class MemoryLayout {
    private MemoryLayout() {
    }

    /** The same array laid out channels-last. */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).flatten().reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** The same array laid out row-major; the array itself when it is (no views for autograd to go back through). */
    static NDArray rowMajor(NDArray x) {
        if (Contiguity.of(x) == Contiguity.Layout.ROW_MAJOR) {
            return x;
        }
        return x.flatten().reshape(x.getShape());
    }
}
