package org.circuitscope.tf;

import java.nio.ByteOrder;
import org.circuitscope.graph.GraphException;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.TensorProto;
import org.circuitscope.tf.proto.Tf.TensorShapeProto;

/**
 * Reads TensorFlow {@code TensorProto} values: packed {@code tensor_content} (little-endian) or the typed value
 * lists, where a shorter list is filled out with its last value, as TensorFlow does.
 */
final class TfTensors {
    private TfTensors() {
    }

    static long[] shape(TensorShapeProto s) {
        long[] d = new long[s.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.getDim(i).getSize();
        }
        return d;
    }

    static boolean isInteger(TensorProto t) {
        return t.getDtype() == DataType.DT_INT32 || t.getDtype() == DataType.DT_INT64;
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    static float[] floats(TensorProto t, String node) {
        long[] shape = shape(t.getTensorShape());
        int n = count(shape);
        float[] r = new float[n];
        if (t.getDtype() == DataType.DT_FLOAT) {
            if (!t.getTensorContent().isEmpty()) {
                check(t.getTensorContent().size(), n * 4L, node);
                t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
                return r;
            }
            fill(r, t.getFloatValCount(), i -> t.getFloatVal(i));
            return r;
        }
        if (t.getDtype() == DataType.DT_DOUBLE) {
            fill(r, t.getDoubleValCount(), i -> (float) t.getDoubleVal(i));
            return r;
        }
        if (isInteger(t)) {
            long[] l = longs(t, node);
            for (int i = 0; i < n; i++) {
                r[i] = l[i];
            }
            return r;
        }
        throw new GraphException("constant '" + node + "' has type " + t.getDtype() + ", which circuitscope does not "
                + "read");
    }

    static long[] longs(TensorProto t, String node) {
        long[] shape = shape(t.getTensorShape());
        int n = count(shape);
        long[] r = new long[n];
        boolean packed = !t.getTensorContent().isEmpty();
        if (t.getDtype() == DataType.DT_INT32) {
            if (packed) {
                check(t.getTensorContent().size(), n * 4L, node);
                var b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                for (int i = 0; i < n; i++) {
                    r[i] = b.get(i);
                }
                return r;
            }
            int have = t.getIntValCount();
            for (int i = 0; i < n; i++) {
                r[i] = have == 0 ? 0 : t.getIntVal(Math.min(i, have - 1));
            }
            return r;
        }
        if (t.getDtype() == DataType.DT_INT64) {
            if (packed) {
                check(t.getTensorContent().size(), n * 8L, node);
                t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r);
                return r;
            }
            int have = t.getInt64ValCount();
            for (int i = 0; i < n; i++) {
                r[i] = have == 0 ? 0 : t.getInt64Val(Math.min(i, have - 1));
            }
            return r;
        }
        throw new GraphException("constant '" + node + "' has type " + t.getDtype() + ", not an integer type");
    }

    private interface FloatAt {
        float at(int i);
    }

    private static void fill(float[] r, int have, FloatAt values) {
        for (int i = 0; i < r.length; i++) {
            r[i] = have == 0 ? 0 : values.at(Math.min(i, have - 1));
        }
    }

    private static void check(long have, long want, String node) {
        if (have != want) {
            throw new GraphException("constant '" + node + "' should hold " + want + " bytes but holds " + have
                    + ": the file is damaged or truncated");
        }
    }
}
