package org.circuitscope.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One table of a FlatBuffers buffer, read in place. The layout (little-endian throughout): a table starts with a
 * signed 32-bit distance back to its vtable; the vtable holds its own byte size, the table's byte size, then one
 * 16-bit offset per field id from the table start (0 or past the vtable's end: the field is absent and takes its
 * schema default). A field that refers to a table, vector or string holds an unsigned 32-bit offset relative to
 * the field's own position; a vector (and a string) starts with its 32-bit element count. A union is two fields:
 * a ubyte type id and, at the next id, the offset of its table.
 *
 * <p>Every offset is checked against the buffer, so a truncated or foreign file ends in a
 * {@link TfLiteFormatException} that says where, never an index error.
 */
final class FlatTable {
    private final ByteBuffer buf;
    private final int pos;
    private final int vtable;
    private final int vtableSize;

    private FlatTable(ByteBuffer buf, int pos) {
        this.buf = buf;
        this.pos = pos;
        check(pos, 4, "table");
        this.vtable = pos - buf.getInt(pos);
        check(vtable, 4, "vtable");
        this.vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
        check(vtable, vtableSize, "vtable");
    }

    /** The root table: the buffer starts with the root's offset (then, optionally, a 4-byte file identifier). */
    static FlatTable root(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 8) {
            throw new TfLiteFormatException("the file is " + b.limit() + " bytes long, too short for a flatbuffer");
        }
        return new FlatTable(b, offsetAt(b, 0));
    }

    /** The 4-byte file identifier after the root offset (e.g. "TFL3"), as text. */
    static String identifier(ByteBuffer bytes) {
        byte[] id = new byte[4];
        bytes.duplicate().position(4).get(id);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static int offsetAt(ByteBuffer b, int at) {
        long target = at + Integer.toUnsignedLong(b.getInt(at));
        if (target >= b.limit()) {
            throw new TfLiteFormatException("an offset at byte " + at + " points to byte " + target
                    + ", past the end of the " + b.limit() + "-byte file");
        }
        return (int) target;
    }

    private void check(long at, long length, String what) {
        if (at < 0 || length < 0 || at + length > buf.limit()) {
            throw new TfLiteFormatException("a " + what + " at byte " + at + " (" + length + " bytes) lies outside "
                    + "the " + buf.limit() + "-byte file");
        }
    }

    /** The field's position in the buffer, or -1 when it is absent. */
    private int field(int id) {
        int entry = 4 + 2 * id;
        if (entry + 2 > vtableSize) {
            return -1;
        }
        int off = Short.toUnsignedInt(buf.getShort(vtable + entry));
        return off == 0 ? -1 : pos + off;
    }

    boolean has(int id) {
        return field(id) >= 0;
    }

    byte getByte(int id, byte fallback) {
        int f = field(id);
        if (f < 0) {
            return fallback;
        }
        check(f, 1, "byte field");
        return buf.get(f);
    }

    boolean getBool(int id, boolean fallback) {
        return getByte(id, (byte) (fallback ? 1 : 0)) != 0;
    }

    int getInt(int id, int fallback) {
        int f = field(id);
        if (f < 0) {
            return fallback;
        }
        check(f, 4, "int field");
        return buf.getInt(f);
    }

    long getUint(int id, long fallback) {
        int f = field(id);
        return f < 0 ? fallback : Integer.toUnsignedLong(getInt(id, 0));
    }

    long getLong(int id, long fallback) {
        int f = field(id);
        if (f < 0) {
            return fallback;
        }
        check(f, 8, "long field");
        return buf.getLong(f);
    }

    float getFloat(int id, float fallback) {
        int f = field(id);
        if (f < 0) {
            return fallback;
        }
        check(f, 4, "float field");
        return buf.getFloat(f);
    }

    /** The table a field refers to, or null when the field is absent. */
    FlatTable table(int id) {
        int f = field(id);
        if (f < 0) {
            return null;
        }
        check(f, 4, "table offset");
        return new FlatTable(buf, offsetAt(buf, f));
    }

    /** The start of a vector's elements, or -1 when absent; {@code width} is the element size, for the check. */
    private int vector(int id, int width) {
        int f = field(id);
        if (f < 0) {
            return -1;
        }
        check(f, 4, "vector offset");
        int v = offsetAt(buf, f);
        check(v, 4, "vector length");
        long n = Integer.toUnsignedLong(buf.getInt(v));
        check(v + 4L, n * width, "vector of " + n + " elements");
        return v;
    }

    int length(int id) {
        int v = vector(id, 0);
        return v < 0 ? 0 : buf.getInt(v);
    }

    String string(int id) {
        int v = vector(id, 1);
        if (v < 0) {
            return null;
        }
        byte[] b = new byte[buf.getInt(v)];
        buf.duplicate().position(v + 4).get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    List<FlatTable> tables(int id) {
        int v = vector(id, 4);
        List<FlatTable> out = new ArrayList<>();
        if (v >= 0) {
            int n = buf.getInt(v);
            for (int i = 0; i < n; i++) {
                out.add(new FlatTable(buf, offsetAt(buf, v + 4 + 4 * i)));
            }
        }
        return out;
    }

    int[] ints(int id) {
        int v = vector(id, 4);
        if (v < 0) {
            return new int[0];
        }
        int[] out = new int[buf.getInt(v)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getInt(v + 4 + 4 * i);
        }
        return out;
    }

    long[] longs(int id) {
        int v = vector(id, 8);
        if (v < 0) {
            return new long[0];
        }
        long[] out = new long[buf.getInt(v)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getLong(v + 4 + 8 * i);
        }
        return out;
    }

    float[] floats(int id) {
        int v = vector(id, 4);
        if (v < 0) {
            return new float[0];
        }
        float[] out = new float[buf.getInt(v)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getFloat(v + 4 + 4 * i);
        }
        return out;
    }

    /** A ubyte vector as a little-endian view of the buffer (no copy); empty when absent. */
    ByteBuffer bytes(int id) {
        int v = vector(id, 1);
        if (v < 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return slice(v + 4L, buf.getInt(v));
    }

    /** {@code length} bytes of the whole buffer from {@code offset} (for data stored outside the flatbuffer). */
    ByteBuffer slice(long offset, long length) {
        check(offset, length, "data block");
        return buf.duplicate().position((int) offset).limit((int) (offset + length)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }
}
