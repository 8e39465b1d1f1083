package org.circuitscope.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.circuitscope.graph.GraphException;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Reads the values of an ONNX {@code TensorProto}: from {@code raw_data} (little-endian), from the typed repeated
 * fields, or from an external data file beside the model.
 */
final class TensorDecoder {
    private final Path baseDir;

    TensorDecoder(Path baseDir) {
        this.baseDir = baseDir;
    }

    static long[] dims(TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDims(i);
        }
        return d;
    }

    static boolean isInteger(TensorProto t) {
        int type = t.getDataType();
        return type == DataType.INT64_VALUE || type == DataType.INT32_VALUE || type == DataType.INT8_VALUE
                || type == DataType.UINT8_VALUE || type == DataType.INT16_VALUE || type == DataType.BOOL_VALUE;
    }

    float[] floats(TensorProto t) {
        int n = count(t);
        int type = t.getDataType();
        if (type == DataType.FLOAT_VALUE) {
            ByteString raw = raw(t);
            if (raw != null) {
                float[] r = new float[n];
                checkSize(t, raw, n, 4);
                raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
                return r;
            }
            checkCount(t, t.getFloatDataCount(), n);
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                r[i] = t.getFloatData(i);
            }
            return r;
        }
        if (type == DataType.DOUBLE_VALUE) {
            ByteString raw = raw(t);
            float[] r = new float[n];
            if (raw != null) {
                checkSize(t, raw, n, 8);
                var b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    r[i] = (float) b.get(i);
                }
            } else {
                checkCount(t, t.getDoubleDataCount(), n);
                for (int i = 0; i < n; i++) {
                    r[i] = (float) t.getDoubleData(i);
                }
            }
            return r;
        }
        if (isInteger(t)) {
            long[] l = longs(t);
            float[] r = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                r[i] = l[i];
            }
            return r;
        }
        throw new GraphException("tensor '" + t.getName() + "' has element type " + typeName(type)
                + ", which circuitscope does not read (float32, float64 and integer types are supported)");
    }

    long[] longs(TensorProto t) {
        int n = count(t);
        int type = t.getDataType();
        ByteString raw = raw(t);
        long[] r = new long[n];
        if (type == DataType.INT64_VALUE) {
            if (raw != null) {
                checkSize(t, raw, n, 8);
                raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(r);
            } else {
                checkCount(t, t.getInt64DataCount(), n);
                for (int i = 0; i < n; i++) {
                    r[i] = t.getInt64Data(i);
                }
            }
            return r;
        }
        if (type == DataType.INT32_VALUE || type == DataType.INT16_VALUE || type == DataType.INT8_VALUE
                || type == DataType.UINT8_VALUE || type == DataType.BOOL_VALUE) {
            int width = type == DataType.INT32_VALUE ? 4 : type == DataType.INT16_VALUE ? 2 : 1;
            if (raw != null) {
                checkSize(t, raw, n, width);
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    r[i] = switch (width) {
                        case 4 -> b.getInt(i * 4);
                        case 2 -> b.getShort(i * 2);
                        default -> type == DataType.INT8_VALUE ? b.get(i) : b.get(i) & 0xff;
                    };
                }
            } else {
                checkCount(t, t.getInt32DataCount(), n);
                for (int i = 0; i < n; i++) {
                    r[i] = t.getInt32Data(i);
                }
            }
            return r;
        }
        if (type == DataType.FLOAT_VALUE || type == DataType.DOUBLE_VALUE) {
            float[] f = floats(t);
            for (int i = 0; i < n; i++) {
                r[i] = (long) f[i];
            }
            return r;
        }
        throw new GraphException("tensor '" + t.getName() + "' has element type " + typeName(type)
                + ", which circuitscope does not read as integers");
    }

    private ByteString raw(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return external(t);
        }
        return t.hasRawData() ? t.getRawData() : null;
    }

    private ByteString external(TensorProto t) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> {
                }
            }
        }
        if (location == null || baseDir == null) {
            throw new GraphException("tensor '" + t.getName() + "' keeps its values in an external file"
                    + (location == null ? " that the model does not name" : " (" + location + "), but the model "
                    + "was not read from a folder; load it from its file path"));
        }
        Path file = baseDir.resolve(location).normalize();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = length >= 0 ? length : f.length() - offset;
            byte[] bytes = new byte[Math.toIntExact(len)];
            f.seek(offset);
            f.readFully(bytes);
            return ByteString.copyFrom(bytes);
        } catch (IOException e) {
            throw new GraphException("cannot read the external values of tensor '" + t.getName() + "' from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static int count(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    private static void checkSize(TensorProto t, ByteString raw, int n, int width) {
        if (raw.size() != (long) n * width) {
            throw new GraphException("tensor '" + t.getName() + "' should hold " + n + " values (" + (long) n * width
                    + " bytes) but holds " + raw.size() + " bytes: the file is damaged or truncated");
        }
    }

    private static void checkCount(TensorProto t, int have, int n) {
        if (have != n) {
            throw new GraphException("tensor '" + t.getName() + "' should hold " + n + " values but holds " + have
                    + ": the file is damaged or truncated");
        }
    }

    static String typeName(int type) {
        DataType dt = DataType.forNumber(type);
        return dt == null ? "#" + type : dt.name();
    }
}
