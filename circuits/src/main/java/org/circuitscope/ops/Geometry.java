package org.circuitscope.ops;

import java.util.Arrays;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.SpatialPadding;

/**
 * The window geometry of a convolution or pool over the last two axes: kernel, strides, dilations and padding
 * {top, left, bottom, right}, resolved from a node's attributes for an input of a given size. One-dimensional ops
 * are read as two-dimensional ones of height 1. This is the one reading of kernel_shape / strides / dilations /
 * pads / auto_pad: the executor, expanded weights and receptive fields all call it.
 */
public record Geometry(long[] kernel, long[] strides, long[] dilations, long[] pads) {

    /** The attributes of a window op, checked once when the node is bound. */
    public record Spec(long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad, int rank) {

        /** The window for an input of height h and width w (the kernel given when the node does not state it). */
        public Geometry resolve(long h, long w, long[] kernelFromWeights) {
            long[] k = kernel != null ? kernel : kernelFromWeights;
            if (k == null) {
                throw new GraphException("lacks kernel_shape");
            }
            long[] p = switch (autoPad) {
                case "NOTSET" -> pads;
                case "VALID" -> new long[] {0, 0, 0, 0};
                default -> SpatialPadding.same(h, w, k, strides, dilations, autoPad.equals("SAME_UPPER"));
            };
            return new Geometry(k, strides, dilations, p);
        }

        /** The effective extent of the window along each axis: (k - 1) · dilation + 1. */
        public long[] extent(long[] k) {
            return new long[] {(k[0] - 1) * dilations[0] + 1, (k[1] - 1) * dilations[1] + 1};
        }
    }

    /**
     * Reads a window op's attributes. {@code spatialRank} is 1 or 2 when known from kernel_shape (else from the
     * weights at run time, where 1-D ops are widened the same way).
     */
    public static Spec spec(Attributes a, boolean kernelRequired) {
        long[] kernel = a.getInts("kernel_shape", null);
        if (kernel == null && kernelRequired) {
            throw new GraphException("lacks the required attribute 'kernel_shape'");
        }
        int rank = kernel != null ? kernel.length : a.has("strides") ? a.getInts("strides", null).length
                : a.has("pads") ? a.getInts("pads", null).length / 2 : 2;
        if (rank != 1 && rank != 2) {
            throw new GraphException("is a " + rank + "-D window op; circuitscope runs 1-D and 2-D convolutions and "
                    + "pools (kernel_shape " + Arrays.toString(kernel) + ")");
        }
        long[] strides = widen(a.getInts("strides", ones(rank)), rank, 1, "strides");
        long[] dilations = widen(a.getInts("dilations", ones(rank)), rank, 1, "dilations");
        long[] pads = a.getInts("pads", new long[2 * rank]);
        if (pads.length != 2 * rank) {
            throw new GraphException("has pads " + Arrays.toString(pads) + ", which should have " + 2 * rank
                    + " values for a " + rank + "-D op");
        }
        long[] p4 = rank == 2 ? pads : new long[] {0, pads[0], 0, pads[1]};
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!Arrays.asList("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER").contains(autoPad)) {
            throw new GraphException("has an unknown auto_pad '" + autoPad + "'");
        }
        for (long v : strides) {
            if (v <= 0) {
                throw new GraphException("has strides " + Arrays.toString(strides) + "; strides must be positive");
            }
        }
        for (long v : dilations) {
            if (v <= 0) {
                throw new GraphException("has dilations " + Arrays.toString(dilations) + "; they must be positive");
            }
        }
        for (long v : p4) {
            if (v < 0) {
                throw new GraphException("has negative pads " + Arrays.toString(pads));
            }
        }
        long[] k2 = kernel == null ? null : widen(kernel, rank, 1, "kernel_shape");
        return new Spec(k2, strides, dilations, p4, autoPad, rank);
    }

    private static long[] ones(int n) {
        long[] r = new long[n];
        Arrays.fill(r, 1);
        return r;
    }

    /** A 1-D attribute as its 2-D form (height 1 first); a 2-D one as it is. */
    private static long[] widen(long[] v, int rank, long fill, String name) {
        if (v.length != rank) {
            throw new GraphException("has " + name + " " + Arrays.toString(v) + " for a " + rank + "-D op");
        }
        return rank == 2 ? v.clone() : new long[] {fill, v[0]};
    }

    /** The output length of a window op along one axis (PyTorch's rule for a last ceil-mode window). */
    public static long outputSize(long in, long extent, long stride, long begin, long end, boolean ceil) {
        long span = in + begin + end - extent;
        if (span < 0) {
            throw new GraphException("a window of " + extent + " does not fit an input of " + in
                    + " with padding " + begin + "+" + end);
        }
        long out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + begin) {
            out--;
        }
        return out;
    }

    /**
     * A Pad node's pads over every axis of a rank-{@code rank} value (ONNX order: begins, then ends), its axes
     * attribute resolved; null when the node states no pads.
     */
    public static long[] fullPads(Attributes a, int rank) {
        long[] pads = a.getInts("pads", null);
        if (pads == null) {
            return null;
        }
        long[] axes = a.getInts("axes", null);
        if (axes == null) {
            return pads.length == 2 * rank ? pads : null;
        }
        long[] full = new long[2 * rank];
        for (int i = 0; i < axes.length; i++) {
            int ax = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
            full[ax] = pads[i];
            full[ax + rank] = pads[axes.length + i];
        }
        return full;
    }
}
