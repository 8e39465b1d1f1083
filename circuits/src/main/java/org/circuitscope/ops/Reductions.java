package org.circuitscope.ops;

import static org.circuitscope.ops.Values.axis;
import static org.circuitscope.ops.Values.out;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BiFunction;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.Op;

/** Reductions over axes (given as an attribute in the canonical form), Softmax and LogSoftmax. */
final class Reductions {
    private Reductions() {
    }

    enum Kind { MEAN, MAX, MIN, SUM, PROD, SUM_SQUARE, L1, L2, LOG_SUM, LOG_SUM_EXP }

    static Op reduce(Kind kind, Attributes a) {
        long[] axesAttr = a.getInts("axes", null);
        boolean keep = a.getInt("keepdims", 1) != 0;
        boolean noop = a.getInt("noop_with_empty_axes", 0) != 0;
        return (in, m) -> {
            NDArray x = Values.array(in[0], m);
            int rank = x.getShape().dimension();
            if ((axesAttr == null || axesAttr.length == 0) && noop) {
                return out(x.duplicate());
            }
            boolean[] reduce = new boolean[rank];
            if (axesAttr == null || axesAttr.length == 0) {
                java.util.Arrays.fill(reduce, true);
            } else {
                for (long ax : axesAttr) {
                    reduce[axis(ax, rank)] = true;
                }
            }
            long[] kept = x.getShape().getShape().clone();
            boolean empty = false;
            for (int i = 0; i < rank; i++) {
                if (reduce[i]) {
                    empty |= kept[i] == 0;
                    kept[i] = 1;
                }
            }
            NDArray r;
            if (empty) {
                r = m.full(new Shape(kept), identity(kind), x.getDataType());
            } else {
                NDArray base = switch (kind) {
                    case SUM_SQUARE, L2 -> x.square();
                    case L1 -> x.abs();
                    case LOG_SUM_EXP -> x;
                    default -> x;
                };
                if (kind == Kind.LOG_SUM_EXP) {
                    // log Σ e^x, shifted by the maximum so large values do not overflow
                    NDArray max = along(x, reduce, (v, ax) -> v.max(new int[] {ax}, true)).stopGradient();
                    r = along(x.sub(max).exp(), reduce, (v, ax) -> v.sum(new int[] {ax}, true)).log().add(max);
                } else {
                    r = along(base, reduce, (v, ax) -> switch (kind) {
                        case MEAN -> v.mean(new int[] {ax}, true);
                        case MAX -> v.max(new int[] {ax}, true);
                        case MIN -> v.min(new int[] {ax}, true);
                        case PROD -> v.prod(new int[] {ax}, true);
                        default -> v.sum(new int[] {ax}, true);
                    });
                    if (kind == Kind.L2) {
                        r = r.sqrt();
                    } else if (kind == Kind.LOG_SUM) {
                        r = r.log();
                    }
                }
            }
            return out(keep ? r : r.reshape(new Shape(squeezed(kept, reduce))));
        };
    }

    private static float identity(Kind kind) {
        return switch (kind) {
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            case PROD -> 1f;
            case LOG_SUM, LOG_SUM_EXP -> Float.NEGATIVE_INFINITY;
            default -> 0f;
        };
    }

    /** Reduces one axis at a time, keeping dimensions, so axis numbers stay valid. */
    private static NDArray along(NDArray x, boolean[] reduce, BiFunction<NDArray, Integer, NDArray> f) {
        NDArray r = x;
        for (int ax = reduce.length - 1; ax >= 0; ax--) {
            if (reduce[ax]) {
                r = f.apply(r, ax);
            }
        }
        return r == x ? x.duplicate() : r;
    }

    private static long[] squeezed(long[] kept, boolean[] reduce) {
        int n = 0;
        for (boolean b : reduce) {
            n += b ? 0 : 1;
        }
        long[] r = new long[n];
        int k = 0;
        for (int i = 0; i < kept.length; i++) {
            if (!reduce[i]) {
                r[k++] = kept[i];
            }
        }
        return r;
    }

    /**
     * Softmax (or LogSoftmax) along {@code axis}; with {@code coerce_2d} (ONNX before opset 13) over the input
     * flattened to 2-D at the axis.
     */
    static Op softmax(Attributes a, boolean log) {
        boolean coerce = a.getInt("coerce_2d", 0) != 0;
        long axisAttr = a.getInt("axis", coerce ? 1 : -1);
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            int ax = axis(axisAttr, rank);
            if (!coerce || ax == rank - 1) {
                return out(log ? x.logSoftmax(ax) : x.softmax(ax));
            }
            Shape s = x.getShape();
            long outer = 1;
            for (int i = 0; i < ax; i++) {
                outer *= s.get(i);
            }
            NDArray flat = x.reshape(outer, -1);
            return out((log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(s));
        };
    }
}
