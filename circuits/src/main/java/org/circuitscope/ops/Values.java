package org.circuitscope.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;

/** Small helpers the op implementations share: wrapping results, axes, and moving integers onto the engine. */
final class Values {
    private Values() {
    }

    static Value[] out(NDArray x) {
        return new Value[] {new Value.Array(x)};
    }

    static Value[] out(Value v) {
        return new Value[] {v};
    }

    static Op unary(UnaryOperator<NDArray> f) {
        return (in, m) -> out(f.apply(in[0].array()));
    }

    /** A possibly negative axis of a rank-{@code rank} value, checked. */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new GraphException("axis " + axis + " is out of range for a value of rank " + rank);
        }
        return (int) a;
    }

    static long[] shapeOf(Value v) {
        return v instanceof Value.Ints i ? i.shape() : v.array().getShape().getShape();
    }

    static int rank(Value v) {
        return shapeOf(v).length;
    }

    /** A float (or boolean) array for a value; integers computed on the Java side are moved to the engine. */
    static NDArray array(Value v, NDManager m) {
        if (v instanceof Value.Ints i) {
            float[] f = new float[i.data().length];
            for (int k = 0; k < f.length; k++) {
                f[k] = i.data()[k];
            }
            return m.create(f, new Shape(i.shape()));
        }
        return v.array();
    }

    /** The first element of a scalar-like value as a float. */
    static float scalar(Value v) {
        if (v instanceof Value.Ints i) {
            return i.data()[0];
        }
        NDArray a = v.array();
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()[0]
                : a.toType(DataType.FLOAT32, false).toFloatArray()[0];
    }

    static boolean present(Value[] in, int k) {
        return in.length > k && in[k] != null;
    }

    static int[] toInts(long[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.toIntExact(v[i]);
        }
        return r;
    }

    static long product(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static String show(long[] v) {
        return Arrays.toString(v);
    }

    /** The mean over several axes, keeping them as size 1 (one axis at a time: DJL reduces one axis per call). */
    static NDArray meanKeep(NDArray x, int[] axes) {
        NDArray r = x;
        int[] sorted = axes.clone();
        java.util.Arrays.sort(sorted);
        for (int i = sorted.length - 1; i >= 0; i--) {
            r = r.mean(new int[] {sorted[i]}, true);
        }
        return r;
    }
}
