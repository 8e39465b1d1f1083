package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.SpatialPadding;

/** Max and average pools over 1-D and 2-D windows, and global pools. */
final class Pooling {
    private Pooling() {
    }

    static Op maxPool(Attributes a) {
        Geometry.Spec spec = Geometry.spec(a, true);
        boolean ceil = a.getInt("ceil_mode", 0) != 0;
        return (in, m) -> out(pool(in[0].array(), spec, ceil, true, false, m));
    }

    static Op avgPool(Attributes a) {
        Geometry.Spec spec = Geometry.spec(a, true);
        boolean ceil = a.getInt("ceil_mode", 0) != 0;
        boolean countPad = a.getInt("count_include_pad", 0) != 0;
        return (in, m) -> out(pool(in[0].array(), spec, ceil, false, countPad, m));
    }

    /** A max or average pool; {@code countPad}: whether explicit padding counts in an average's divisor. */
    static NDArray pool(NDArray x, Geometry.Spec spec, boolean ceil, boolean max, boolean countPad, NDManager m) {
        int rank = x.getShape().dimension();
        if (rank != spec.rank() + 2) {
            throw new GraphException("is a " + spec.rank() + "-D pool but its input has shape " + x.getShape());
        }
        boolean oneD = spec.rank() == 1;
        NDArray x2 = oneD ? x.expandDims(2) : x;
        Geometry g = spec.resolve(x2.getShape().get(2), x2.getShape().get(3), null);
        boolean dilated = g.dilations()[0] != 1 || g.dilations()[1] != 1;
        NDArray y;
        if (dilated) {
            y = windowPool(x2, g, ceil, max, countPad, m);
        } else if (max) {
            y = Kernels.maxPool(x2, g.kernel(), g.strides(), g.pads(), ceil);
        } else {
            y = Kernels.avgPool(x2, g.kernel(), g.strides(), g.pads(), ceil, countPad, m);
        }
        return oneD ? y.squeeze(2) : y;
    }

    /**
     * A pool over a dilated window, as the maximum or sum of the window's strided views of the padded input. The
     * region a last ceil-mode window reaches beyond the padding never counts.
     */
    static NDArray windowPool(NDArray x, Geometry g, boolean ceil, boolean max, boolean countPad, NDManager m) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long[] k = g.kernel();
        long[] s = g.strides();
        long[] d = g.dilations();
        long[] p = g.pads();
        long eh = (k[0] - 1) * d[0] + 1;
        long ew = (k[1] - 1) * d[1] + 1;
        long oh = Geometry.outputSize(h, eh, s[0], p[0], p[2], ceil);
        long ow = Geometry.outputSize(w, ew, s[1], p[1], p[3], ceil);
        long extraH = Math.max(0, (oh - 1) * s[0] + eh - (h + p[0] + p[2]));
        long extraW = Math.max(0, (ow - 1) * s[1] + ew - (w + p[1] + p[3]));
        long[] full = {p[0], p[1], p[2] + extraH, p[3] + extraW};
        NDArray padded = SpatialPadding.padInput(x, full, max ? Double.NEGATIVE_INFINITY : 0);
        NDArray acc = sumOrMax(padded, k, s, d, oh, ow, max);
        if (max) {
            return acc;
        }
        // the divisor: how many counted cells each window covers (real pixels, plus explicit padding if counted)
        NDArray ones = m.ones(new Shape(1, 1, h, w), x.getDataType());
        NDArray counted = countPad ? SpatialPadding.padInput(ones, p, 1) : SpatialPadding.padInput(ones, p, 0);
        NDArray cells = SpatialPadding.padInput(counted, new long[] {0, 0, extraH, extraW}, 0);
        return acc.div(sumOrMax(cells, k, s, d, oh, ow, false));
    }

    private static NDArray sumOrMax(NDArray padded, long[] k, long[] s, long[] d, long oh, long ow, boolean max) {
        NDArray acc = null;
        for (long a = 0; a < k[0]; a++) {
            for (long b = 0; b < k[1]; b++) {
                long y0 = a * d[0];
                long x0 = b * d[1];
                NDArray view = padded.get(new NDIndex(":, :, " + y0 + ":" + (y0 + (oh - 1) * s[0] + 1) + ":" + s[0]
                        + ", " + x0 + ":" + (x0 + (ow - 1) * s[1] + 1) + ":" + s[1]));
                acc = acc == null ? view : max ? acc.maximum(view) : acc.add(view);
            }
        }
        return acc;
    }

    /** Mean or max over every axis after the first two, keeping them as size 1. */
    static Op global(boolean mean) {
        return (in, m) -> {
            NDArray x = in[0].array();
            if (x.getShape().dimension() < 3) {
                throw new GraphException("needs an input N×C×…, not " + x.getShape());
            }
            return out(Kernels.globalPool(x, mean));
        };
    }
}
