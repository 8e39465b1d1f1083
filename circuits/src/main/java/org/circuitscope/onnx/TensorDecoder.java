package org.circuitscope.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.circuitscope.graph.GraphException;
import org.circuitscope.model.Limits;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto.DataType;

/**
 * Reads the values of an ONNX {@code TensorProto}: from {@code raw_data} (little-endian), from the typed repeated
 * fields, or from an external data file beside the model. Floating types (float32, float64, float16, bfloat16)
 * are read as float32; integer and boolean types as longs.
 *
 * <p>Nothing is allocated on a declared size alone: the shape is checked (no negative dimension, no overflow,
 * within {@link Limits}) and compared with the bytes or values really present before the array is made, and all
 * tensors of a model together stay within {@link Limits#maxModelBytes()}. External data must be a regular file
 * inside the model's folder: absolute locations, {@code ..} escapes and symbolic links that lead out of the folder
 * are refused (the hole of onnx/onnx#3991, CVE-2022-25882).
 */
final class TensorDecoder {
    private final Path baseDir;
    private long decodedBytes;

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
        return switch (DataType.forNumber(t.getDataType()) == null ? DataType.UNDEFINED
                : DataType.forNumber(t.getDataType())) {
            case INT64, INT32, INT16, INT8, UINT64, UINT32, UINT16, UINT8, BOOL -> true;
            default -> false;
        };
    }

    /** Bytes per value in {@code raw_data}, or 0 for types circuitscope does not read. */
    private static int width(int type) {
        DataType dt = DataType.forNumber(type);
        if (dt == null) {
            return 0;
        }
        return switch (dt) {
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT, INT32, UINT32 -> 4;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> 0;
        };
    }

    float[] floats(TensorProto t) {
        int type = t.getDataType();
        if (isInteger(t)) {
            long[] l = longs(t);
            float[] r = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                r[i] = l[i];
            }
            return r;
        }
        if (type != DataType.FLOAT_VALUE && type != DataType.DOUBLE_VALUE && type != DataType.FLOAT16_VALUE
                && type != DataType.BFLOAT16_VALUE) {
            throw unsupported(t, "float32, float64, float16, bfloat16 and integer types are supported");
        }
        int n = count(t);
        ByteString raw = raw(t, n);
        if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] r = new float[n];
            switch (type) {
                case DataType.FLOAT_VALUE -> b.asFloatBuffer().get(r);
                case DataType.DOUBLE_VALUE -> {
                    for (int i = 0; i < n; i++) {
                        r[i] = (float) b.getDouble(i * 8);
                    }
                }
                case DataType.FLOAT16_VALUE -> {
                    for (int i = 0; i < n; i++) {
                        r[i] = halfToFloat(b.getShort(i * 2));
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        r[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                    }
                }
            }
            return r;
        }
        float[] r;
        switch (type) {
            case DataType.FLOAT_VALUE -> {
                checkCount(t, t.getFloatDataCount(), n);
                r = new float[n];
                for (int i = 0; i < n; i++) {
                    r[i] = t.getFloatData(i);
                }
            }
            case DataType.DOUBLE_VALUE -> {
                checkCount(t, t.getDoubleDataCount(), n);
                r = new float[n];
                for (int i = 0; i < n; i++) {
                    r[i] = (float) t.getDoubleData(i);
                }
            }
            default -> {
                // float16 and bfloat16 values sit in int32_data, one 16-bit pattern each
                checkCount(t, t.getInt32DataCount(), n);
                r = new float[n];
                boolean half = type == DataType.FLOAT16_VALUE;
                for (int i = 0; i < n; i++) {
                    int bits = t.getInt32Data(i) & 0xffff;
                    r[i] = half ? halfToFloat(bits) : Float.intBitsToFloat(bits << 16);
                }
            }
        }
        return r;
    }

    long[] longs(TensorProto t) {
        int type = t.getDataType();
        if (type == DataType.FLOAT_VALUE || type == DataType.DOUBLE_VALUE || type == DataType.FLOAT16_VALUE
                || type == DataType.BFLOAT16_VALUE) {
            float[] f = floats(t);
            long[] r = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                r[i] = (long) f[i];
            }
            return r;
        }
        if (!isInteger(t)) {
            throw unsupported(t, "float and integer types are supported");
        }
        int n = count(t);
        ByteString raw = raw(t, n);
        if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = switch (DataType.forNumber(type)) {
                    case INT64, UINT64 -> b.getLong(i * 8);
                    case INT32 -> b.getInt(i * 4);
                    case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
                    case INT16 -> b.getShort(i * 2);
                    case UINT16 -> b.getShort(i * 2) & 0xffff;
                    case INT8 -> b.get(i);
                    default -> b.get(i) & 0xff;
                };
            }
            return r;
        }
        long[] r;
        if (type == DataType.INT64_VALUE) {
            checkCount(t, t.getInt64DataCount(), n);
            r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = t.getInt64Data(i);
            }
        } else if (type == DataType.UINT64_VALUE || type == DataType.UINT32_VALUE) {
            checkCount(t, t.getUint64DataCount(), n);
            r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = t.getUint64Data(i);
            }
        } else {
            checkCount(t, t.getInt32DataCount(), n);
            r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = t.getInt32Data(i);
            }
        }
        return r;
    }

    /**
     * The tensor's value count, refusing bad shapes and counting it against the model's budget (as the float32 or
     * int64 copy that is kept).
     */
    private int count(TensorProto t) {
        String what = "tensor '" + t.getName() + "'";
        int n = Limits.arrayLength(what, dims(t), isInteger(t) ? 8 : 4);
        long kept = (long) n * (isInteger(t) ? 8 : 4);
        if (decodedBytes + kept > Limits.maxModelBytes()) {
            throw new GraphException(what + " brings the model's weights to " + Limits.human(decodedBytes + kept)
                    + ", more than circuitscope loads (" + Limits.human(Limits.maxModelBytes()) + "; raise "
                    + "-Dcircuitscope.max-model-bytes if the model really is that large)");
        }
        decodedBytes += kept;
        return n;
    }

    /** The packed bytes of the tensor (raw_data or external), checked to hold exactly {@code n} values; or null. */
    private ByteString raw(TensorProto t, int n) {
        int width = width(t.getDataType());
        long want = (long) n * width;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return external(t, want);
        }
        if (!t.hasRawData()) {
            return null;
        }
        ByteString raw = t.getRawData();
        if (raw.size() != want) {
            throw new GraphException("tensor '" + t.getName() + "' should hold " + n + " values (" + want
                    + " bytes) but holds " + raw.size() + " bytes: the file is damaged or truncated");
        }
        return raw;
    }

    private ByteString external(TensorProto t, long want) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue().trim());
                    case "length" -> length = Long.parseLong(e.getValue().trim());
                    default -> {
                    }
                }
            } catch (NumberFormatException ex) {
                throw new GraphException("tensor '" + t.getName() + "' gives its external " + e.getKey() + " as '"
                        + e.getValue() + "', not a whole number");
            }
        }
        if (location == null || location.isEmpty() || baseDir == null) {
            throw new GraphException("tensor '" + t.getName() + "' keeps its values in an external file"
                    + (location == null || location.isEmpty() ? " that the model does not name"
                    : " (" + location + "), but the model was not read from a folder; load it from its file path"));
        }
        Path file = confined(t, location);
        if (offset < 0 || length < -1) {
            throw new GraphException("tensor '" + t.getName() + "' gives a negative external offset or length ("
                    + offset + ", " + length + ")");
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            long len = length >= 0 ? length : size - offset;
            if (len != want) {
                throw new GraphException("tensor '" + t.getName() + "' should hold " + want + " bytes but its "
                        + "external data " + (length >= 0 ? "declares " : "runs to ") + len + " bytes (" + location
                        + ")");
            }
            if (offset > size || size - offset < len) {
                throw new GraphException("tensor '" + t.getName() + "' reads bytes " + offset + ".." + (offset + len)
                        + " of " + location + ", which has only " + size + " bytes: the data file is truncated");
            }
            byte[] bytes = new byte[(int) len];
            f.seek(offset);
            f.readFully(bytes);
            return UnsafeByteOperations.unsafeWrap(bytes);
        } catch (IOException e) {
            throw new GraphException("cannot read the external values of tensor '" + t.getName() + "' from "
                    + location + ": " + e.getMessage(), e);
        }
    }

    /** The external data file, refused unless it is a regular file inside the model's folder. */
    private Path confined(TensorProto t, String location) {
        String refused = "tensor '" + t.getName() + "' names external data at '" + location + "', ";
        Path rel;
        try {
            rel = Path.of(location);
        } catch (java.nio.file.InvalidPathException e) {
            throw new GraphException(refused + "which is not a file name");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
                || location.matches("^[A-Za-z]:.*")) {
            throw new GraphException(refused + "an absolute path; external data must lie in the model's folder, "
                    + "named relative to it");
        }
        Path base;
        try {
            base = baseDir.toRealPath();
        } catch (IOException e) {
            throw new GraphException("cannot resolve the model's folder " + baseDir + ": " + e.getMessage(), e);
        }
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base)) {
            throw new GraphException(refused + "outside the model's folder " + base + "; external data must lie "
                    + "inside it");
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new GraphException(refused + "but there is no such file in " + base);
        } catch (IOException e) {
            throw new GraphException(refused + "which cannot be read: " + e.getMessage(), e);
        }
        if (!real.startsWith(base)) {
            throw new GraphException(refused + "a link that leads out of the model's folder (to " + real
                    + "); external data must lie inside it");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new GraphException(refused + "which is not a regular file");
        }
        return real;
    }

    /** An IEEE 754 half-precision bit pattern (the low 16 bits of {@code h}) as a float. */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void checkCount(TensorProto t, int have, int n) {
        if (have != n) {
            throw new GraphException("tensor '" + t.getName() + "' should hold " + n + " values but holds " + have
                    + ": the file is damaged or truncated");
        }
    }

    private static GraphException unsupported(TensorProto t, String supported) {
        return new GraphException("tensor '" + t.getName() + "' has element type " + typeName(t.getDataType())
                + ", which circuitscope does not read (" + supported + ")");
    }

    static String typeName(int type) {
        DataType dt = DataType.forNumber(type);
        return dt == null ? "#" + type : dt.name();
    }
}
