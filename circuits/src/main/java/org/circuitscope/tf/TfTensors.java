package org.circuitscope.tf;

import java.nio.ByteOrder;
import org.circuitscope.graph.GraphException;
import org.circuitscope.model.Limits;
import org.circuitscope.tf.proto.Tf.AttrValue;
import org.circuitscope.tf.proto.Tf.DataType;
import org.circuitscope.tf.proto.Tf.GraphDef;
import org.circuitscope.tf.proto.Tf.NodeDef;
import org.circuitscope.tf.proto.Tf.TensorProto;
import org.circuitscope.tf.proto.Tf.TensorShapeProto;

/**
 * Reads TensorFlow {@code TensorProto} values: packed {@code tensor_content} (little-endian) or the typed value
 * lists, where a shorter list is filled out with its last value, as TensorFlow does. Shapes are checked (no
 * negative dimension, no overflow, within {@link Limits}) and compared with the bytes present before anything is
 * allocated.
 */
final class TfTensors {
    /**
     * The most values a constant may fill out from a shorter list. Exporters write weights as packed content; a
     * fill stands for small constants (zeros, a repeated scalar), and a large one lets a few bytes demand gigabytes.
     */
    static final int MAX_FILLED_VALUES = 1 << 24;

    private TfTensors() {
    }

    /**
     * Checks every constant of the graph before any is read: each has a value of a type circuitscope reads, a
     * sound shape, content of the size the shape needs, and all together fit {@link Limits#maxModelBytes()}.
     */
    static void checkSizes(GraphDef g) {
        long total = 0;
        for (NodeDef n : g.getNodeList()) {
            if (!n.getOp().equals("Const")) {
                continue;
            }
            AttrValue v = n.getAttrMap().get("value");
            if (v == null || !v.hasTensor()) {
                throw new GraphException("constant '" + n.getName() + "' has no value tensor");
            }
            TensorProto t = v.getTensor();
            int width = width(t.getDtype());
            if (width == 0) {
                continue; // read only if something uses it, and then refused by type
            }
            int count = count(t, n.getName());
            total += (long) count * (isInteger(t) ? 8 : 4);
            if (total > Limits.maxModelBytes()) {
                throw new GraphException("constant '" + n.getName() + "' brings the graph's constants to "
                        + Limits.human(total) + ", more than circuitscope loads (" + Limits.human(
                        Limits.maxModelBytes()) + "; raise -Dcircuitscope.max-model-bytes if the model really is "
                        + "that large)");
            }
        }
    }

    private static int width(DataType type) {
        return switch (type) {
            case DT_FLOAT, DT_INT32 -> 4;
            case DT_DOUBLE, DT_INT64 -> 8;
            default -> 0;
        };
    }

    /** The value count of a constant, checked against its shape, its content and the limits. */
    private static int count(TensorProto t, String node) {
        long[] shape = shape(t.getTensorShape());
        int n = Limits.arrayLength("constant '" + node + "'", shape, isInteger(t) ? 8 : 4);
        if (!t.getTensorContent().isEmpty()) {
            check(t.getTensorContent().size(), (long) n * width(t.getDtype()), node);
        } else if (n > MAX_FILLED_VALUES && n > listed(t)) {
            throw new GraphException("constant '" + node + "' declares " + n + " values but lists only "
                    + listed(t) + "; circuitscope fills out at most " + MAX_FILLED_VALUES + " values from a "
                    + "shorter list");
        }
        return n;
    }

    private static int listed(TensorProto t) {
        return switch (t.getDtype()) {
            case DT_FLOAT -> t.getFloatValCount();
            case DT_DOUBLE -> t.getDoubleValCount();
            case DT_INT32 -> t.getIntValCount();
            case DT_INT64 -> t.getInt64ValCount();
            default -> 0;
        };
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

    static float[] floats(TensorProto t, String node) {
        if (isInteger(t)) {
            long[] l = longs(t, node);
            float[] r = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                r[i] = l[i];
            }
            return r;
        }
        if (t.getDtype() == DataType.DT_FLOAT) {
            int n = count(t, node);
            float[] r = new float[n];
            if (!t.getTensorContent().isEmpty()) {
                t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
                return r;
            }
            fill(r, t.getFloatValCount(), i -> t.getFloatVal(i));
            return r;
        }
        if (t.getDtype() == DataType.DT_DOUBLE) {
            int n = count(t, node);
            float[] r = new float[n];
            if (!t.getTensorContent().isEmpty()) {
                var b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    r[i] = (float) b.get(i);
                }
                return r;
            }
            fill(r, t.getDoubleValCount(), i -> (float) t.getDoubleVal(i));
            return r;
        }
        throw new GraphException("constant '" + node + "' has type " + t.getDtype() + ", which circuitscope does not "
                + "read");
    }

    static long[] longs(TensorProto t, String node) {
        if (!isInteger(t)) {
            throw new GraphException("constant '" + node + "' has type " + t.getDtype() + ", not an integer type");
        }
        int n = count(t, node);
        long[] r = new long[n];
        boolean packed = !t.getTensorContent().isEmpty();
        if (t.getDtype() == DataType.DT_INT32) {
            if (packed) {
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
