package org.circuitscope.tflite;

import java.util.Arrays;

/**
 * A tensor's affine quantisation: real = scale × (q − zero_point), with one scale and zero point for the whole
 * tensor or one per index along {@code dimension} (per-channel weights).
 */
record Quantization(float[] scale, long[] zeroPoint, int dimension) {
    static final Quantization NONE = new Quantization(new float[0], new long[0], 0);

    boolean present() {
        return scale.length > 0;
    }

    boolean perChannel() {
        return scale.length > 1;
    }

    /** The zero point for channel {@code c} (a missing zero point is 0; a single one holds for every channel). */
    long zeroPoint(int c) {
        return zeroPoint.length == 0 ? 0 : zeroPoint[zeroPoint.length == 1 ? 0 : c];
    }

    @Override
    public String toString() {
        return present() ? "scale " + (perChannel() ? scale.length + " values along axis " + dimension
                : scale[0]) + ", zero point " + (zeroPoint.length > 1 ? zeroPoint.length + " values"
                : String.valueOf(zeroPoint(0))) : "none";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && Arrays.equals(q.scale, scale) && Arrays.equals(q.zeroPoint, zeroPoint)
                && q.dimension == dimension;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scale) * 31 + Arrays.hashCode(zeroPoint) + dimension;
    }
}
