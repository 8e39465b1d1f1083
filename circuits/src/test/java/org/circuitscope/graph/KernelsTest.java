package org.circuitscope.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.circuitscope.model.DjlSetup;
import org.junit.jupiter.api.Test;

/**
 * The two kernels that take another route than PyTorch's own op: max pooling without a gradient (strided maxima)
 * and strided few-channel convolutions with one (space to depth). Each must give what the direct op gives.
 */
class KernelsTest {
    private static final long[][] POOLS = {
        // kernel h, w, stride h, w, pads begin h, w, end h, w, ceil
        {3, 3, 2, 2, 0, 0, 0, 0, 1}, {3, 3, 2, 2, 0, 0, 0, 0, 0}, {3, 3, 1, 1, 1, 1, 1, 1, 0},
        {2, 2, 2, 2, 0, 0, 0, 0, 1}, {3, 3, 2, 2, 0, 0, 1, 1, 0}, {3, 2, 2, 1, 1, 0, 1, 0, 1},
        {5, 5, 3, 3, 2, 2, 2, 2, 1}, {1, 1, 2, 2, 0, 0, 0, 0, 0}, {3, 3, 2, 2, 1, 1, 0, 0, 1},
    };

    @Test
    void maxPoolWithoutGradientEqualsPyTorchsPool() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            for (long[] size : new long[][] {{13, 13}, {14, 11}, {9, 16}, {109, 109}}) {
                NDArray x = m.randomNormal(new Shape(2, 3, size[0], size[1]));
                for (long[] p : POOLS) {
                    long[] kernel = {p[0], p[1]};
                    long[] strides = {p[2], p[3]};
                    long[] pads = {p[4], p[5], p[6], p[7]};
                    boolean ceil = p[8] == 1;
                    NDArray fast = Kernels.maxPool(x, kernel, strides, pads, ceil);
                    NDArray direct;
                    NDArray tracked = x.duplicate();
                    tracked.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        direct = Kernels.maxPool(tracked, kernel, strides, pads, ceil).stopGradient();
                    }
                    String what = java.util.Arrays.toString(p) + " on " + x.getShape();
                    assertEquals(direct.getShape(), fast.getShape(), what);
                    assertTrue(direct.contentEquals(fast), what);
                }
            }
        }
    }

    @Test
    void theRouteFollowsWhetherAGradientIsBeingRecorded() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 3, 8, 8));
            assertTrue(!Kernels.recording(x), "nothing is recorded outside a gradient collector");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertTrue(Kernels.recording(x), "inside one, ops are recorded");
            }
            assertTrue(!Kernels.recording(x), "and not after it closed");
        }
    }

    @Test
    void maxPoolWithoutGradientPassesNaNOn() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 1, 5, 5));
            x.set(new ai.djl.ndarray.index.NDIndex("0, 0, 2, 2"), Float.NaN);
            NDArray y = Kernels.maxPool(x, new long[] {3, 3}, new long[] {2, 2}, new long[4], false);
            assertEquals(4, (int) y.isNaN().sum().getLong(), "every window holding the NaN is NaN");
        }
    }

    @Test
    void spaceToDepthConvolutionGivesTheDirectValuesAndInputGradients() {
        long[][] cases = {
            // channels, kernel, stride, pad, input size
            {3, 7, 2, 0, 224}, {3, 7, 2, 3, 33}, {3, 11, 4, 2, 67}, {1, 3, 2, 1, 20}, {4, 5, 3, 0, 31}, {3, 2, 2, 0, 9},
        };
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            for (long[] c : cases) {
                long[] strides = {c[2], c[2]};
                long[] pads = {c[3], c[3], c[3], c[3]};
                long[] one = {1, 1};
                NDArray w = m.randomNormal(new Shape(8, c[0], c[1], c[1]));
                NDArray b = m.randomNormal(new Shape(8));
                NDArray x = m.randomNormal(new Shape(2, c[0], c[4], c[4] + 1));
                NDArray out = m.randomNormal(Kernels.conv2d(x, w, b, strides, pads, one, 1, m).getShape());
                NDArray[] direct = valueAndGradient(x, out, in -> in.getNDArrayInternal().convolution(in, w, b,
                        new Shape(strides), new Shape(c[3], c[3]), new Shape(one), 1).singletonOrThrow());
                NDArray[] blocked = valueAndGradient(x, out, in -> Kernels.conv2d(in, w, b, strides, pads, one, 1,
                        m));
                String what = java.util.Arrays.toString(c);
                assertEquals(direct[0].getShape(), blocked[0].getShape(), what);
                assertTrue(direct[0].allClose(blocked[0], 1e-4, 1e-4, false), what);
                assertTrue(direct[1].allClose(blocked[1], 1e-4, 1e-4, false), what);
            }
        }
    }

    @Test
    void pointwiseConvolutionOfOneImageGivesTheDirectValuesAndInputGradients() {
        long[][] cases = {
            // input channels, output channels, height, width
            {96, 16, 31, 31}, {3, 8, 5, 7}, {64, 256, 1, 1}, {16, 64, 13, 12},
        };
        long[] one = {1, 1};
        long[] none = new long[4];
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(2);
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            for (long[] c : cases) {
                NDArray w = m.randomNormal(new Shape(c[1], c[0], 1, 1));
                NDArray b = m.randomNormal(new Shape(c[1]));
                NDArray x = m.randomNormal(new Shape(1, c[0], c[2], c[3]));
                assertTrue(PointwiseConvolution.suits(x, w, one, none, one, 1), "the route applies");
                NDArray out = m.randomNormal(new Shape(1, c[1], c[2], c[3]));
                NDArray[] direct = valueAndGradient(x, out, in -> in.getNDArrayInternal().convolution(in, w, b,
                        new Shape(one), new Shape(0, 0), new Shape(one), 1).singletonOrThrow());
                NDArray[] product = valueAndGradient(x, out, in -> Kernels.conv2d(in, w, b, one, none, one, 1, m));
                String what = java.util.Arrays.toString(c);
                assertEquals(direct[0].getShape(), product[0].getShape(), what);
                assertTrue(direct[0].allClose(product[0], 1e-4, 1e-4, false), what);
                assertTrue(direct[1].allClose(product[1], 1e-4, 1e-4, false), what);
            }
            NDArray w = m.randomNormal(new Shape(8, 4, 1, 1));
            assertTrue(!PointwiseConvolution.suits(m.zeros(new Shape(2, 4, 5, 5)), w, one, none, one, 1),
                    "batches keep libtorch's own convolution");
            assertTrue(!PointwiseConvolution.suits(m.zeros(new Shape(1, 4, 5, 5)), w, new long[] {2, 2}, none, one,
                    1), "and so do strided ones");
            assertTrue(!PointwiseConvolution.suits(m.zeros(new Shape(1, 4, 5, 5)), w, one, new long[] {1, 1, 1, 1},
                    one, 1), "and padded ones");
            NDArray channelsLast = MemoryLayout.channelsLast(m.randomNormal(new Shape(1, 4, 5, 5)));
            assertTrue(!PointwiseConvolution.suits(channelsLast, w, one, none, one, 1),
                    "and channels-last inputs (oneDNN takes them without reorders)");
            ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
            assertTrue(!PointwiseConvolution.suits(m.zeros(new Shape(1, 4, 5, 5)), w, one, none, one, 1),
                    "and, with one thread, all: libtorch's own route is a product then");
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    @Test
    void theLayoutOfAPyTorchArrayIsKnown() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 6, 5, 7));
            assertEquals(Contiguity.Layout.ROW_MAJOR, Contiguity.of(x));
            NDArray last = MemoryLayout.channelsLast(x);
            assertEquals(Contiguity.Layout.OTHER, Contiguity.of(last));
            NDArray back = MemoryLayout.rowMajor(last);
            assertEquals(Contiguity.Layout.ROW_MAJOR, Contiguity.of(back));
            assertTrue(back.contentEquals(x));
            assertTrue(MemoryLayout.rowMajor(x) == x, "a row-major array is returned as it is");
        }
    }

    @Test
    void layoutConversionsKeepValuesAndGradients() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 5, 7, 6));
            NDArray out = m.randomNormal(x.getShape());
            NDArray[] there = valueAndGradient(x, out, MemoryLayout::channelsLast);
            NDArray[] andBack = valueAndGradient(x, out, in -> MemoryLayout.rowMajor(MemoryLayout.channelsLast(in)));
            for (NDArray[] r : new NDArray[][] {there, andBack}) {
                assertEquals(x.getShape(), r[0].getShape());
                assertTrue(r[0].contentEquals(x), "values unchanged");
                assertTrue(r[1].contentEquals(out), "the gradient of Σ x·out is out");
            }
        }
    }

    /**
     * A first layer as image models have it (strided convolution on three channels, ReLU, max pool, next
     * convolution), recorded: the space-to-depth convolution and the pool run channels-last, the next convolution
     * returns to row-major. Values and input gradients equal PyTorch's ops taken directly.
     */
    @Test
    void theChannelsLastFirstLayerGivesTheDirectValuesAndInputGradients() {
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            long[] one = {1, 1};
            long[] two = {2, 2};
            long[] pads = {3, 3, 3, 3};
            NDArray w1 = m.randomNormal(new Shape(16, 3, 7, 7));
            NDArray b1 = m.randomNormal(new Shape(16));
            NDArray w2 = m.randomNormal(new Shape(6, 16, 3, 3));
            NDArray b2 = m.randomNormal(new Shape(6));
            NDArray x = m.randomNormal(new Shape(2, 3, 45, 38));
            java.util.function.UnaryOperator<NDArray> ours = in -> Kernels.conv2d(
                    Kernels.maxPool(ai.djl.nn.Activation.relu(Kernels.conv2d(in, w1, b1, two, pads, one, 1, m)),
                            new long[] {3, 3}, two, new long[4], true),
                    w2, b2, one, new long[] {1, 1, 1, 1}, one, 1, m);
            java.util.function.UnaryOperator<NDArray> direct = in -> {
                NDArray c1 = in.getNDArrayInternal().convolution(in, w1, b1, new Shape(2, 2), new Shape(3, 3),
                        new Shape(one), 1).singletonOrThrow();
                NDArray p = ai.djl.nn.Activation.relu(c1).getNDArrayInternal().maxPool(new Shape(3, 3),
                        new Shape(2, 2), new Shape(0, 0), true);
                return p.getNDArrayInternal().convolution(p, w2, b2, new Shape(one), new Shape(1, 1),
                        new Shape(one), 1).singletonOrThrow();
            };
            NDArray out = m.randomNormal(ours.apply(x).getShape());
            NDArray[] expected = valueAndGradient(x, out, direct);
            NDArray[] actual = valueAndGradient(x, out, ours);
            assertEquals(expected[0].getShape(), actual[0].getShape());
            assertTrue(expected[0].allClose(actual[0], 1e-4, 1e-4, false), "values");
            assertTrue(expected[1].allClose(actual[1], 1e-4, 1e-4, false), "input gradients");
        }
    }

    /** The op's value and the gradient of Σ value·out with respect to the input. */
    private static NDArray[] valueAndGradient(NDArray x, NDArray out, java.util.function.UnaryOperator<NDArray> op) {
        NDArray in = x.duplicate();
        in.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = op.apply(in);
            gc.backward(y.mul(out).sum());
            return new NDArray[] {y.stopGradient(), in.getGradient().duplicate()};
        }
    }
}
