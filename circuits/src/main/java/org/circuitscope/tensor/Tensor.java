package org.circuitscope.tensor;

import java.util.Arrays;

/**
 * A dense float tensor held on the Java heap: a shape and its values in row-major order. It is what the engine hands
 * out (activations, weights, gradients), so notebook variables can keep it for as long as they like with no native
 * memory behind it.
 */
public final class Tensor {
    private final long[] shape;
    private final float[] data;

    public Tensor(long[] shape, float[] data) {
        long n = count(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, not "
                    + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor zeros(long... shape) {
        return new Tensor(shape, new float[Math.toIntExact(count(shape))]);
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** The values, row-major. The array is the tensor's own: changing it changes the tensor. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public float get(long... index) {
        return data[offset(index)];
    }

    public int offset(long... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of rank "
                    + shape.length);
        }
        long off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return (int) off;
    }

    /** The sub-tensor at {@code i} along the first axis (a copy). */
    public Tensor slice(int i) {
        long[] sub = Arrays.copyOfRange(shape, 1, shape.length);
        int n = Math.toIntExact(count(sub));
        return new Tensor(sub, Arrays.copyOfRange(data, i * n, (i + 1) * n));
    }

    /** The same values with another shape of the same size. */
    public Tensor reshape(long... newShape) {
        return new Tensor(newShape, data);
    }

    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            m = Math.max(m, v);
        }
        return m;
    }

    public float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : data) {
            m = Math.min(m, v);
        }
        return m;
    }

    public double mean() {
        double s = 0;
        for (float v : data) {
            s += v;
        }
        return data.length == 0 ? Double.NaN : s / data.length;
    }

    /** Index of the first non-finite value, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(" [");
        for (int i = 0; i < Math.min(8, data.length); i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > 8 ? ", …]" : "]").toString();
    }
}
