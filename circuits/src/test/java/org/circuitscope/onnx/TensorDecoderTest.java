package org.circuitscope.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.circuitscope.model.ModelException;
import org.circuitscope.onnx.proto.Onnx.StringStringEntryProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The element types ONNX files carry, read from raw_data and from the typed fields; declared sizes checked before
 * anything is allocated; external data confined to the model's folder.
 */
class TensorDecoderTest {
    private static TensorProto.Builder tensor(DataType type, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("t").setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static ByteString le(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (width) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return ByteString.copyFrom(b.array());
    }

    private final TensorDecoder decoder = new TensorDecoder(null);

    @Test
    void floatingTypesBecomeFloat32() {
        // float16: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff (largest half), 2^-24 = 0x0001 (smallest subnormal)
        float[] want = {1f, -2.5f, 65504f, 0x1p-24f};
        TensorProto half = tensor(DataType.FLOAT16, 4).setRawData(le(2, 0x3c00, 0xc100, 0x7bff, 0x0001)).build();
        assertArrayEquals(want, decoder.floats(half));
        TensorProto halfTyped = tensor(DataType.FLOAT16, 4).addInt32Data(0x3c00).addInt32Data(0xc100)
                .addInt32Data(0x7bff).addInt32Data(0x0001).build();
        assertArrayEquals(want, decoder.floats(halfTyped));
        // bfloat16: the top 16 bits of a float32; 1.0 = 0x3f80, -2.5 = 0xc020, 3.140625 = 0x4049
        TensorProto bf = tensor(DataType.BFLOAT16, 3).setRawData(le(2, 0x3f80, 0xc020, 0x4049)).build();
        assertArrayEquals(new float[] {1f, -2.5f, 3.140625f}, decoder.floats(bf));
        TensorProto dbl = tensor(DataType.DOUBLE, 2).setRawData(le(8, Double.doubleToLongBits(0.25),
                Double.doubleToLongBits(-7.5))).build();
        assertArrayEquals(new float[] {0.25f, -7.5f}, decoder.floats(dbl));
        TensorProto dblTyped = tensor(DataType.DOUBLE, 2).addDoubleData(0.25).addDoubleData(-7.5).build();
        assertArrayEquals(new float[] {0.25f, -7.5f}, decoder.floats(dblTyped));
    }

    @Test
    void integerAndBooleanTypes() {
        assertArrayEquals(new long[] {-3, 127, -128}, decoder.longs(tensor(DataType.INT8, 3)
                .setRawData(le(1, -3, 127, -128)).build()));
        assertArrayEquals(new long[] {253, 127, 128}, decoder.longs(tensor(DataType.UINT8, 3)
                .setRawData(le(1, -3, 127, -128)).build()));
        assertArrayEquals(new long[] {-30000, 30000}, decoder.longs(tensor(DataType.INT16, 2)
                .setRawData(le(2, -30000, 30000)).build()));
        assertArrayEquals(new long[] {65535}, decoder.longs(tensor(DataType.UINT16, 1).setRawData(le(2, -1)).build()));
        assertArrayEquals(new long[] {1, 0, 1}, decoder.longs(tensor(DataType.BOOL, 3).setRawData(le(1, 1, 0, 1))
                .build()));
        assertArrayEquals(new long[] {4294967295L}, decoder.longs(tensor(DataType.UINT32, 1).setRawData(le(4, -1))
                .build()));
        assertArrayEquals(new long[] {1, 0}, decoder.longs(tensor(DataType.BOOL, 2).addInt32Data(1).addInt32Data(0)
                .build()));
        // integers read as floats (a weight stored as int8, say)
        assertArrayEquals(new float[] {-3, 127}, decoder.floats(tensor(DataType.INT8, 2).setRawData(le(1, -3, 127))
                .build()));
    }

    @Test
    void badShapesAreNamedBeforeAnythingIsAllocated() {
        ModelException negative = assertThrows(ModelException.class,
                () -> decoder.floats(tensor(DataType.FLOAT, 3, -108).build()));
        assertTrue(negative.getMessage().contains("negative dimension (-108"), negative.getMessage());
        ModelException overflow = assertThrows(ModelException.class,
                () -> decoder.floats(tensor(DataType.FLOAT, 1L << 40, 1L << 40).build()));
        assertTrue(overflow.getMessage().contains("64-bit"), overflow.getMessage());
        ModelException huge = assertThrows(ModelException.class,
                () -> decoder.floats(tensor(DataType.FLOAT, 1L << 20, 1L << 20).build()));
        assertTrue(huge.getMessage().contains("more than circuitscope reads into one tensor"), huge.getMessage());

        // 200 million values declared, none present: refused by the count, with no 800 MB array made first
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        TensorProto empty = tensor(DataType.FLOAT, 200_000_000).build();
        ModelException e = assertThrows(ModelException.class, () -> decoder.floats(empty));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("should hold 200000000 values but holds 0"), e.getMessage());
        assertTrue(allocated < 10_000_000, "allocated " + allocated + " bytes before refusing");
        TensorProto shortRaw = tensor(DataType.FLOAT, 200_000_000).setRawData(le(4, 1, 2)).build();
        ModelException r = assertThrows(ModelException.class, () -> decoder.floats(shortRaw));
        assertTrue(r.getMessage().contains("holds 8 bytes"), r.getMessage());
        assertTrue(threads.getCurrentThreadAllocatedBytes() - before < 10_000_000);
    }

    private static TensorProto external(String location, long... dims) {
        TensorProto.Builder t = tensor(DataType.FLOAT, dims).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        return t.build();
    }

    @Test
    void externalDataIsReadOnlyFromInsideTheModelsFolder(@TempDir Path root) throws Exception {
        Path model = Files.createDirectories(root.resolve("model"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        Files.write(model.resolve("weights.bin"), b.array());
        Files.createDirectories(model.resolve("sub"));
        Files.write(model.resolve("sub/w.bin"), b.array());
        Files.write(outside.resolve("secret.bin"), b.array());
        TensorDecoder d = new TensorDecoder(model);
        assertArrayEquals(new float[] {1.5f, -2f}, d.floats(external("weights.bin", 2)));
        assertArrayEquals(new float[] {1.5f, -2f}, d.floats(external("sub/../sub/w.bin", 2)));

        String abs = outside.resolve("secret.bin").toString();
        ModelException a = assertThrows(ModelException.class, () -> d.floats(external(abs, 2)));
        assertTrue(a.getMessage().contains("absolute path"), a.getMessage());
        ModelException up = assertThrows(ModelException.class, () -> d.floats(external("../outside/secret.bin", 2)));
        assertTrue(up.getMessage().contains("outside the model's folder"), up.getMessage());
        Files.createSymbolicLink(model.resolve("link.bin"), outside.resolve("secret.bin"));
        ModelException link = assertThrows(ModelException.class, () -> d.floats(external("link.bin", 2)));
        assertTrue(link.getMessage().contains("a link that leads out of the model's folder"), link.getMessage());
        Files.createSymbolicLink(model.resolve("zero.bin"), Path.of("/dev/zero"));
        ModelException zero = assertThrows(ModelException.class, () -> d.floats(external("zero.bin", 1L << 28)));
        assertTrue(zero.getMessage().contains("leads out"), zero.getMessage());
        ModelException dir = assertThrows(ModelException.class, () -> d.floats(external("sub", 2)));
        assertTrue(dir.getMessage().contains("not a regular file"), dir.getMessage());
        ModelException missing = assertThrows(ModelException.class, () -> d.floats(external("absent.bin", 2)));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        ModelException size = assertThrows(ModelException.class, () -> d.floats(external("weights.bin", 3)));
        assertTrue(size.getMessage().contains("should hold 12 bytes") && size.getMessage().contains("8 bytes"),
                size.getMessage());
    }

    @Test
    void halfPrecisionSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, TensorDecoder.halfToFloat(0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, TensorDecoder.halfToFloat(0xfc00));
        assertTrue(Float.isNaN(TensorDecoder.halfToFloat(0x7e00)));
        assertEquals(-0f, TensorDecoder.halfToFloat(0x8000));
        assertEquals(0.333251953125f, TensorDecoder.halfToFloat(0x3555));
    }
}
