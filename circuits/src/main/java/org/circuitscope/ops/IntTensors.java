package org.circuitscope.ops;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongBinaryOperator;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Value;

/**
 * Integer tensors on the Java side (shapes, indices, axes: what exporters compute around Reshape and Slice), with
 * numpy broadcasting. Keeping them here keeps shape arithmetic exact and out of autograd.
 */
final class IntTensors {
    private IntTensors() {
    }

    /** The numpy broadcast of two shapes. */
    static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] r = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw new GraphException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The flat index into a value of {@code shape} broadcast to {@code target}, for target position {@code flat}. */
    private static int source(long[] shape, long[] target, long[] targetStrides, long flat) {
        int offset = target.length - shape.length;
        long idx = 0;
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            long coord = (flat / targetStrides[i + offset]) % target[i + offset];
            if (shape[i] != 1) {
                idx += coord * stride;
            }
            stride *= shape[i];
        }
        return (int) idx;
    }

    static Value.Ints binary(Value.Ints x, Value.Ints y, LongBinaryOperator f) {
        long[] shape = broadcast(x.shape(), y.shape());
        long[] st = strides(shape);
        int n = (int) Values.product(shape);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = f.applyAsLong(x.data()[source(x.shape(), shape, st, i)], y.data()[source(y.shape(), shape, st, i)]);
        }
        return new Value.Ints(shape, r);
    }

    static Value.Ints where(Value.Ints c, Value.Ints x, Value.Ints y) {
        long[] shape = broadcast(broadcast(c.shape(), x.shape()), y.shape());
        long[] st = strides(shape);
        int n = (int) Values.product(shape);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = c.data()[source(c.shape(), shape, st, i)] != 0 ? x.data()[source(x.shape(), shape, st, i)]
                    : y.data()[source(y.shape(), shape, st, i)];
        }
        return new Value.Ints(shape, r);
    }

    static Value.Ints expand(Value.Ints x, long[] shape) {
        long[] target = broadcast(x.shape(), shape);
        long[] st = strides(target);
        int n = (int) Values.product(target);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = x.data()[source(x.shape(), target, st, i)];
        }
        return new Value.Ints(target, r);
    }

    /** Elements along {@code axis} picked by {@code indices} (negative indices count from the end). */
    static Value.Ints gather(Value.Ints x, Value.Ints indices, int axis) {
        long[] s = x.shape();
        long size = s[axis];
        long outer = Values.product(Arrays.copyOfRange(s, 0, axis));
        long inner = Values.product(Arrays.copyOfRange(s, axis + 1, s.length));
        long[] idx = indices.data();
        long[] r = new long[(int) (outer * idx.length * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long j : idx) {
                long jj = j < 0 ? j + size : j;
                if (jj < 0 || jj >= size) {
                    throw new GraphException("index " + j + " is out of range for an axis of size " + size);
                }
                for (long i = 0; i < inner; i++) {
                    r[k++] = x.data()[(int) ((o * size + jj) * inner + i)];
                }
            }
        }
        long[] shape = new long[s.length - 1 + indices.shape().length];
        System.arraycopy(s, 0, shape, 0, axis);
        System.arraycopy(indices.shape(), 0, shape, axis, indices.shape().length);
        System.arraycopy(s, axis + 1, shape, axis + indices.shape().length, s.length - axis - 1);
        return new Value.Ints(shape, r);
    }

    static Value.Ints concat(List<Value.Ints> parts, int axis) {
        long[] s0 = parts.get(0).shape();
        long outer = Values.product(Arrays.copyOfRange(s0, 0, axis));
        long inner = Values.product(Arrays.copyOfRange(s0, axis + 1, s0.length));
        long total = 0;
        for (Value.Ints p : parts) {
            total += p.shape()[axis];
        }
        long[] r = new long[(int) (outer * total * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (Value.Ints p : parts) {
                long len = p.shape()[axis] * inner;
                System.arraycopy(p.data(), (int) (o * len), r, k, (int) len);
                k += len;
            }
        }
        long[] shape = s0.clone();
        shape[axis] = total;
        return new Value.Ints(shape, r);
    }

    /** A strided slice: for each axis, start, end (exclusive) and step, already clamped. */
    static Value.Ints slice(Value.Ints x, long[] starts, long[] ends, long[] steps) {
        long[] s = x.shape();
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Math.max(0, steps[i] > 0 ? (ends[i] - starts[i] + steps[i] - 1) / steps[i]
                    : (starts[i] - ends[i] - steps[i] - 1) / -steps[i]);
        }
        long[] st = strides(s);
        long[] ost = strides(out);
        int n = (int) Values.product(out);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long src = 0;
            for (int d = 0; d < s.length; d++) {
                long c = (i / ost[d]) % out[d];
                src += (starts[d] + c * steps[d]) * st[d];
            }
            r[i] = x.data()[(int) src];
        }
        return new Value.Ints(out, r);
    }

    static Value.Ints transpose(Value.Ints x, int[] perm) {
        long[] s = x.shape();
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[perm[i]];
        }
        long[] st = strides(s);
        long[] ost = strides(out);
        int n = (int) Values.product(out);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long src = 0;
            for (int d = 0; d < s.length; d++) {
                src += ((i / ost[d]) % out[d]) * st[perm[d]];
            }
            r[i] = x.data()[(int) src];
        }
        return new Value.Ints(out, r);
    }
}
