package org.circuitscope.tflite;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes FlatBuffers for tests, front to back: a table's vtable, then the table, then everything it refers to
 * (offsets are unsigned, so referents must lie after the field that points at them). Tables are built as maps from
 * field id to value: {@link Scalar}s, {@link Table}s, strings, and vectors.
 */
final class FlatWriter {

    /** A fixed-width scalar field; width 1, 2, 4 or 8 bytes. */
    record Scalar(long bits, int width) {
        static Scalar i8(int v) {
            return new Scalar(v, 1);
        }

        static Scalar i32(int v) {
            return new Scalar(v, 4);
        }

        static Scalar i64(long v) {
            return new Scalar(v, 8);
        }

        static Scalar f32(float v) {
            return new Scalar(Float.floatToRawIntBits(v), 4);
        }
    }

    /** A vector of scalars of one width. */
    record Scalars(long[] bits, int width) {
        static Scalars ints(int... v) {
            long[] b = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = v[i];
            }
            return new Scalars(b, 4);
        }

        static Scalars longs(long... v) {
            return new Scalars(v.clone(), 8);
        }

        static Scalars floats(float... v) {
            long[] b = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Float.floatToRawIntBits(v[i]);
            }
            return new Scalars(b, 4);
        }

        static Scalars bytes(byte[] v) {
            long[] b = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = v[i];
            }
            return new Scalars(b, 1);
        }
    }

    /** A table: field id → Scalar, Table, String, Scalars or List of Tables. */
    static final class Table {
        final Map<Integer, Object> fields = new TreeMap<>();

        Table set(int id, Object value) {
            if (value != null) {
                fields.put(id, value);
            }
            return this;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Offsets to fill in at the end: position of the field, position of its referent. */
    private final List<int[]> patches = new ArrayList<>();

    private FlatWriter() {
    }

    /** The buffer: root offset, the 4-byte identifier, then the root table and all it refers to. */
    static byte[] write(Table root, String identifier) {
        FlatWriter w = new FlatWriter();
        w.int32(0);
        w.out.writeBytes(identifier.getBytes(StandardCharsets.ISO_8859_1));
        int rootPos = w.table(root);
        byte[] b = w.out.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, rootPos);
        for (int[] p : w.patches) {
            bb.putInt(p[0], p[1] - p[0]);
        }
        return b;
    }

    private void align(int n) {
        while (out.size() % n != 0) {
            out.write(0);
        }
    }

    private void int32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void scalar(long bits, int width) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits);
        out.write(b.array(), 0, width);
    }

    private int table(Table t) {
        int maxId = t.fields.isEmpty() ? -1 : ((TreeMap<Integer, Object>) t.fields).lastKey();
        // Table body layout: soffset (4), then fields each aligned to its width.
        int[] fieldOffset = new int[maxId + 1];
        int size = 4;
        for (Map.Entry<Integer, Object> e : t.fields.entrySet()) {
            int width = e.getValue() instanceof Scalar s ? s.width() : 4;
            size = (size + width - 1) / width * width;
            fieldOffset[e.getKey()] = size;
            size += width;
        }
        align(4);
        int vtablePos = out.size();
        out.write((4 + 2 * (maxId + 1)) & 0xff);
        out.write(((4 + 2 * (maxId + 1)) >> 8) & 0xff);
        out.write(size & 0xff);
        out.write((size >> 8) & 0xff);
        for (int id = 0; id <= maxId; id++) {
            out.write(fieldOffset[id] & 0xff);
            out.write((fieldOffset[id] >> 8) & 0xff);
        }
        align(8);
        int tablePos = out.size();
        int32(tablePos - vtablePos);
        byte[] body = new byte[size - 4];
        List<int[]> refs = new ArrayList<>();
        List<Object> referents = new ArrayList<>();
        for (Map.Entry<Integer, Object> e : t.fields.entrySet()) {
            int at = fieldOffset[e.getKey()] - 4;
            if (e.getValue() instanceof Scalar s) {
                ByteBuffer tmp = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.bits());
                System.arraycopy(tmp.array(), 0, body, at, s.width());
            } else {
                refs.add(new int[] {tablePos + 4 + at});
                referents.add(e.getValue());
            }
        }
        out.writeBytes(body);
        for (int i = 0; i < refs.size(); i++) {
            int target = object(referents.get(i));
            patch(refs.get(i)[0], target);
        }
        return tablePos;
    }

    private int object(Object o) {
        if (o instanceof Table t) {
            return table(t);
        }
        if (o instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            align(4);
            int pos = out.size();
            int32(b.length);
            out.writeBytes(b);
            out.write(0);
            return pos;
        }
        if (o instanceof Scalars v) {
            align(Math.max(4, v.width()));
            if (v.width() == 8 && out.size() % 8 == 0) {
                int32(0); // so that the elements after the 4-byte length are 8-aligned
            }
            int pos = out.size();
            int32(v.bits().length);
            for (long b : v.bits()) {
                scalar(b, v.width());
            }
            return pos;
        }
        if (o instanceof List<?> list) {
            align(4);
            int pos = out.size();
            int32(list.size());
            int first = out.size();
            for (int i = 0; i < list.size(); i++) {
                int32(0);
            }
            for (int i = 0; i < list.size(); i++) {
                patch(first + 4 * i, object(list.get(i)));
            }
            return pos;
        }
        throw new IllegalArgumentException("cannot write " + o);
    }

    /** Records that the unsigned offset at {@code at} points to {@code target}. */
    private void patch(int at, int target) {
        patches.add(new int[] {at, target});
    }
}
