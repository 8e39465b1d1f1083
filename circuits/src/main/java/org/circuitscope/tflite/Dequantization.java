package org.circuitscope.tflite;

import java.nio.ByteBuffer;

/**
 * Constant tensors as float values: float32 as stored, float16 widened, and integer tensors with a quantisation
 * as scale × (q − zero_point), per tensor or per channel along the quantised dimension. An int32 bias without
 * its own scale takes input scale × weight scale, as TensorFlow Lite's integer kernels define it.
 */
final class Dequantization {
    private Dequantization() {
    }

    /** The real values of a constant tensor, row-major in its own (NHWC) layout. */
    static float[] floats(TfLiteTensor t) {
        return floats(t, t.quantization());
    }

    /** As {@link #floats(TfLiteTensor)}, reading integer data with {@code q} (the bias rule gives it). */
    static float[] floats(TfLiteTensor t, Quantization q) {
        ByteBuffer b = t.data();
        int n = Math.toIntExact(t.elements());
        float[] out = new float[n];
        switch (t.type()) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(4 * i);
                }
                return out;
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
                return out;
            }
            case UINT8, INT8, INT16, INT32, INT64 -> {
                if (!q.present()) {
                    throw new TfLiteFormatException("constant tensor " + t.describe() + " holds integers with no "
                            + "quantisation scale, so it has no real values");
                }
                dequantize(t, q, out);
                return out;
            }
            default -> throw new TfLiteFormatException("constant tensor " + t.describe() + " has element type "
                    + t.type() + ", which circuitscope cannot read as real values");
        }
    }

    private static void dequantize(TfLiteTensor t, Quantization q, float[] out) {
        int[] shape = t.shape();
        int channels = 1;
        int inner = 1;
        if (q.perChannel()) {
            int axis = q.dimension();
            if (axis < 0 || axis >= shape.length || shape[axis] != q.scale().length) {
                throw new TfLiteFormatException("tensor " + t.describe() + " has " + q.scale().length
                        + " quantisation scales along dimension " + axis + ", which does not match its shape");
            }
            channels = shape[axis];
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
        }
        for (int i = 0; i < out.length; i++) {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            out[i] = (float) (q.scale()[c] * (double) (raw(t, i) - q.zeroPoint(c)));
        }
    }

    /** The stored integer at flat index {@code i}. */
    static long raw(TfLiteTensor t, int i) {
        ByteBuffer b = t.data();
        return switch (t.type()) {
            case UINT8 -> Byte.toUnsignedInt(b.get(i));
            case INT8 -> b.get(i);
            case INT16 -> b.getShort(2 * i);
            case INT32 -> b.getInt(4 * i);
            case INT64 -> b.getLong(8 * i);
            default -> throw new TfLiteFormatException("tensor " + t.describe() + " does not hold integers");
        };
    }

    /** A constant integer tensor (a shape, axes, paddings) as longs; refused when it is quantised or real. */
    static long[] ints(TfLiteTensor t) {
        if (t.type() != TensorType.INT32 && t.type() != TensorType.INT64) {
            throw new TfLiteFormatException("tensor " + t.describe() + " should hold int32 or int64 values");
        }
        long[] out = new long[Math.toIntExact(t.elements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw(t, i);
        }
        return out;
    }

    /**
     * The quantisation an int32 bias is read with: its own when the file gives one, else input scale × weight
     * scale (per output channel when the weights are per channel), zero point 0.
     */
    static Quantization biasQuantization(TfLiteTensor bias, TfLiteTensor input, TfLiteTensor weights) {
        if (bias.quantization().present() || bias.type() != TensorType.INT32) {
            return bias.quantization();
        }
        Quantization in = input.quantization();
        Quantization w = weights.quantization();
        if (!in.present() || !w.present() || in.perChannel()) {
            throw new TfLiteFormatException("int32 bias " + bias.describe() + " has no scale, and the input and "
                    + "weight scales it would take are not given");
        }
        float[] s = new float[w.scale().length];
        for (int c = 0; c < s.length; c++) {
            s[c] = in.scale()[0] * w.scale()[c];
        }
        return new Quantization(s, new long[] {0}, 0);
    }

    /** IEEE 754 half precision to float, including subnormals, infinities and NaN. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
